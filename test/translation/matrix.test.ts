// Every front door × every upstream dialect × {non-stream, stream} × the shared scenarios, driven
// by the official client libraries against mock upstreams that speak each dialect's exact wire format.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { bedrock, BEDROCK_CREDS } from '../helpers/bedrock-wire'
import { WIRE_WITH_GEMINI, type Script } from '../helpers/wire'
import { dialectEntry, dialects, frontDoors, isLocal } from '../../src/dialects'
import { drive, FRONT_DRIVERS, type Front, type Turn } from './clients'
import { upstreamView } from './upstream-view'

// the dialect lists come from the registry: a new dialect joins the matrix by registering, and
// the test below fails until it has a client driver, a mock upstream and a model here
const FRONTS = frontDoors().map((d) => d.name as Front)
const UPSTREAMS = dialects().filter((d) => !isLocal(d)).map((d) => d.name as Up)
const WIRE = { ...WIRE_WITH_GEMINI, bedrock }
type Up = keyof typeof WIRE
// a dialect may take a second column for another of its APIs: Bedrock's Converse (bedrock, Claude
// with bedrock_api: converse) and InvokeModel (Claude's native body, the default for Claude ids)
type Column = Up | 'bedrock-invoke'
const COLUMNS: Column[] = [...UPSTREAMS, 'bedrock-invoke']
const MODEL: Record<Column, string> = { 'openai-chat': 'chat-model', 'openai-responses': 'resp-model', anthropic: 'ant-model', gemini: 'gem-model', bedrock: 'bed-model', 'bedrock-invoke': 'bedi-model' }
// Bedrock's upstream path is empty (the model and operation are the path): matched by its prefix
const dialectOfPath = (p: string): Up => (p.startsWith('/model/') ? 'bedrock' : UPSTREAMS.find((d) => d !== 'bedrock' && p.includes(dialectEntry(d)!.upstreamPath))!)

test('every registered dialect has its place in the matrix', () => {
  for (const f of FRONTS) expect(FRONT_DRIVERS).toContain(f)
  for (const u of UPSTREAMS) {
    expect(Object.keys(WIRE)).toContain(u)
    expect(Object.keys(MODEL)).toContain(u)
  }
})

let mock: Mock
let proxy: TestProxy
let reply: (r: Received) => Reply | Promise<Reply> = () => ({ kind: 'json', status: 500, body: {} })

beforeAll(async () => {
  mock = startMock((r) => reply(r))
  proxy = await startProxy({
    providers: {
      'up-chat': { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-chat', max_retries: 0 },
      'up-resp': { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'sk-resp', max_retries: 0 },
      'up-ant': { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
      'up-gem': { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem', max_retries: 0 },
      // SigV4-signed: the Bedrock mock verifies every signature
      'up-bed': { dialect: 'bedrock', region: 'us-east-1', base_url: mock.url, bedrock_api: 'converse', aws_access_key_id: BEDROCK_CREDS.accessKeyId, aws_secret_access_key: BEDROCK_CREDS.secretAccessKey, max_retries: 0 },
      'up-bedi': { dialect: 'bedrock', region: 'us-east-1', base_url: mock.url, aws_access_key_id: BEDROCK_CREDS.accessKeyId, aws_secret_access_key: BEDROCK_CREDS.secretAccessKey, max_retries: 0 },
    },
    models: {
      'chat-*': 'up-chat/*',
      'resp-*': 'up-resp/*',
      'ant-*': 'up-ant/*',
      'gem-*': 'up-gem/*',
      'bed-*': 'up-bed/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'bedi-*': 'up-bedi/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    },
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const script = (s: Script) => {
  reply = (r) => WIRE[dialectOfPath(r.path)](r, s)
}
const lastUpstream = () => {
  const r = mock.received.at(-1)!
  return upstreamView(dialectOfPath(r.path), r.body)
}

const WEATHER = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
const TIME = { name: 'get_time', description: 'Time in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }
// 1×1 PNG
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='

for (const front of FRONTS)
  for (const up of COLUMNS)
    for (const stream of [false, true])
      describe(`${front} → ${up} (${stream ? 'stream' : 'non-stream'})`, () => {
        const model = MODEL[up]
        const run = (turn: Turn) => drive(front, proxy.url, model, turn, stream)

        test('text', async () => {
          script({ text: 'Hello matrix', usage: { input: 21, output: 5 } })
          const seen = await run({ system: 'Be brief.', user: 'Say hello' })
          expect(seen.text).toBe('Hello matrix')
          expect(seen.finish).toBe('stop')
          expect(seen.usage).toEqual({ input: 21, output: 5 })
          const v = lastUpstream()
          expect(v.system).toContain('Be brief.')
          expect(v.text).toContain('Say hello')
        })

        test('multi-turn', async () => {
          script({ text: 'Third' })
          const seen = await run({ history: [{ role: 'user', text: 'One' }, { role: 'assistant', text: 'Two' }], user: 'Three?' })
          expect(seen.text).toBe('Third')
          const v = lastUpstream()
          expect(v.roles).toEqual(['user', 'assistant', 'user'])
          expect(v.text).toBe('OneTwoThree?')
        })

        test('tool call, then its result round trip', async () => {
          script({ tools: [{ id: 'call_w1', name: 'get_weather', args: { city: 'Paris' } }] })
          const seen = await run({ user: 'Weather in Paris?', tools: [WEATHER] })
          expect(seen.finish).toBe('tool_calls')
          expect(seen.toolCalls).toHaveLength(1)
          expect(seen.toolCalls[0].name).toBe('get_weather')
          expect(seen.toolCalls[0].args).toEqual({ city: 'Paris' })
          expect(lastUpstream().toolNames).toEqual(['get_weather'])
          script({ text: 'It is sunny.' })
          const id = seen.toolCalls[0].id
          const next = await run({ user: 'thanks', tools: [WEATHER], toolRound: { calls: [{ id, name: 'get_weather', args: { city: 'Paris' } }], results: [{ id, output: 'sunny, 21C' }] } })
          expect(next.text).toBe('It is sunny.')
          const v = lastUpstream()
          expect(v.toolCallIds).toHaveLength(1)
          expect(v.toolResults).toEqual([{ id: v.toolCallIds[0], output: 'sunny, 21C' }])
        })

        test('two parallel tool calls', async () => {
          script({
            tools: [
              { id: 'call_a', name: 'get_weather', args: { city: 'Paris' } },
              { id: 'call_b', name: 'get_time', args: { city: 'Tokyo' } },
            ],
          })
          const seen = await run({ user: 'Weather in Paris and time in Tokyo', tools: [WEATHER, TIME] })
          expect(seen.finish).toBe('tool_calls')
          expect(seen.toolCalls.map((t) => [t.name, t.args])).toEqual([
            ['get_weather', { city: 'Paris' }],
            ['get_time', { city: 'Tokyo' }],
          ])
          // Gemini on Gemini is pass-through, and the Gemini API sends calls without ids
          if (front === 'gemini' && up === 'gemini') expect(seen.toolCalls.map((t) => t.id)).toEqual(['', ''])
          else expect(new Set(seen.toolCalls.map((t) => t.id)).size).toBe(2)
        })

        test('image input', async () => {
          script({ text: 'A pixel.' })
          const seen = await run({ user: [{ type: 'text', text: 'What is this?' }, { type: 'image', mediaType: 'image/png', data: PNG }] })
          expect(seen.text).toBe('A pixel.')
          expect(lastUpstream().images).toBe(1)
        })

        test('thinking / reasoning surfaces in the client form', async () => {
          script({ reasoning: 'Let me think.', text: 'Done.' })
          const seen = await run({ user: 'Think first', reasoning: true })
          expect(seen.text).toBe('Done.')
          expect(lastUpstream().reasoning).toBe(true)
          // Chat upstreams (DeepSeek, vLLM, Ollama…) send it as reasoning_content
          expect(seen.reasoning).toBe('Let me think.')
        })

        test('JSON schema output', async () => {
          script({ text: '{"answer":42}' })
          const seen = await run({ user: 'Answer in JSON', jsonSchema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false } })
          expect(JSON.parse(seen.text)).toEqual({ answer: 42 })
          expect(lastUpstream().jsonSchema).toBe(true)
        })

        test('upstream error before the stream keeps its status in the client dialect', async () => {
          reply = (r) => {
            const d = dialectOfPath(r.path)
            const body =
              d === 'anthropic'
                ? { type: 'error', error: { type: 'rate_limit_error', message: 'too many requests upstream' } }
                : d === 'gemini'
                  ? { error: { code: 429, message: 'too many requests upstream', status: 'RESOURCE_EXHAUSTED' } }
                  : d === 'bedrock'
                    ? { message: 'too many requests upstream' }
                    : { error: { message: 'too many requests upstream', type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null } }
            const aws: Record<string, string> = d === 'bedrock' ? { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' } : {}
            return { kind: 'json', status: 429, headers: { 'retry-after': '3', ...aws }, body }
          }
          const err: any = await run({ user: 'hi' }).catch((e) => e)
          expect(err?.status).toBe(429)
          expect(String(err?.message)).toContain('too many requests upstream')
        })

        if (stream)
          test('upstream drop mid-stream becomes an in-stream error', async () => {
            reply = async (r) => ({ ...((await WIRE[dialectOfPath(r.path)](r, { text: 'partial answer that never ends' })) as any), dropAfter: 3 })
            const err: any = await run({ user: 'hi' }).then(
              () => undefined,
              (e) => e,
            )
            expect(err).toBeDefined()
          })
      })
