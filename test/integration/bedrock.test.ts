// Bedrock upstream end to end: credentials (SigV4 from config, environment and profile file;
// Bedrock API keys), the AWS SDK as the reference client for the same mock, and the failover
// rules for AWS errors, before and inside event-streams.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import Anthropic from '@anthropic-ai/sdk'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventMessage, exceptionMessage } from '../helpers/aws-eventstream'
import { bedrock, BEDROCK_API_KEY, BEDROCK_CREDS, checkAuth, converseStream } from '../helpers/bedrock-wire'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { probeCompletion } from '../../src/cli/doctor/probe-http'
import { resolveConfig } from '../../src/config/load'

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'
const NOVA = 'amazon.nova-pro-v1:0'

let mock: Mock
let reply: (r: Received) => Reply | Promise<Reply>
const SAVED = { ...process.env }

beforeAll(() => {
  mock = startMock((r) => reply(r))
})
afterAll(() => mock.stop())
afterEach(() => {
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE']) {
    if (SAVED[k] === undefined) delete process.env[k]
    else process.env[k] = SAVED[k]
  }
})

const provider = (extra: Record<string, unknown> = {}) => ({ dialect: 'bedrock', region: 'us-west-2', base_url: mock.url, max_retries: 0, ...extra })
const keys = { aws_access_key_id: BEDROCK_CREDS.accessKeyId, aws_secret_access_key: BEDROCK_CREDS.secretAccessKey }
const withProxy = async (providers: Record<string, unknown>, models: Record<string, unknown>, run: (p: TestProxy) => Promise<void>) => {
  const p = await startProxy({ providers, models })
  try {
    await run(p)
  } finally {
    p.stop()
  }
}
const chat = (p: TestProxy) => new OpenAI({ apiKey: 'k', baseURL: `${p.url}/v1`, maxRetries: 0 })

describe('credentials', () => {
  test('SigV4 from config keys; the wire path double-encodes nothing, the signature covers %3A', async () => {
    reply = (r) => bedrock(r, { text: 'signed ok' })
    await withProxy({ b: provider(keys) }, { m: `b/${CLAUDE}` }, async (p) => {
      const r = await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(r.choices[0].message.content).toBe('signed ok')
    })
    const got = mock.received.at(-1)!
    expect(new URL(got.url).pathname).toBe('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke')
    expect(got.headers.get('authorization')).toStartWith(`AWS4-HMAC-SHA256 Credential=${BEDROCK_CREDS.accessKeyId}/`)
    expect(got.headers.get('authorization')).toContain('/us-west-2/bedrock/aws4_request')
  })

  test('a wrong secret is refused by the signature check: the client gets 401 naming it', async () => {
    reply = (r) => bedrock(r, { text: 'never' })
    await withProxy({ b: provider({ ...keys, aws_secret_access_key: 'wrong' }) }, { m: `b/${NOVA}` }, async (p) => {
      const err: any = await chat(p)
        .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e) => e)
      expect(err.status).toBe(401)
      expect(err.message).toContain('signature')
    })
  })

  test('AWS_* environment variables, then AWS_PROFILE from a credentials file', async () => {
    reply = (r) => bedrock(r, { text: 'from env' })
    process.env.AWS_ACCESS_KEY_ID = BEDROCK_CREDS.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = BEDROCK_CREDS.secretAccessKey
    await withProxy({ b: provider() }, { m: `b/${NOVA}` }, async (p) => {
      const r = await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(r.choices[0].message.content).toBe('from env')
    })
    delete process.env.AWS_ACCESS_KEY_ID
    delete process.env.AWS_SECRET_ACCESS_KEY
    const dir = mkdtempSync(join(tmpdir(), 'aws-'))
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id=nope\naws_secret_access_key=nope\n[team]\naws_access_key_id=${BEDROCK_CREDS.accessKeyId}\naws_secret_access_key=${BEDROCK_CREDS.secretAccessKey}\n`)
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials')
    process.env.AWS_PROFILE = 'team'
    reply = (r) => bedrock(r, { text: 'from profile' })
    await withProxy({ b: provider() }, { m: `b/${NOVA}` }, async (p) => {
      const r = await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(r.choices[0].message.content).toBe('from profile')
    })
  })

  test('a Bedrock API key goes as a bearer token and nothing is signed', async () => {
    reply = (r) => bedrock(r, { text: 'bearer ok' })
    await withProxy({ b: provider({ api_key: BEDROCK_API_KEY }) }, { m: `b/${NOVA}` }, async (p) => {
      const r = await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(r.choices[0].message.content).toBe('bearer ok')
    })
    const got = mock.received.at(-1)!
    expect(got.headers.get('authorization')).toBe(`Bearer ${BEDROCK_API_KEY}`)
    expect(got.headers.get('x-amz-date')).toBeNull()
  })
})

describe('Claude reasoning through a tool loop', () => {
  for (const api of ['converse', 'invoke'] as const)
    for (const stream of [false, true])
      test(`${api}${stream ? ', streamed' : ''}: the Anthropic client gets signed thinking, and its replay reaches Bedrock with the signature`, async () => {
        reply = (r) => bedrock(r, { reasoning: 'I should look it up.', tools: [{ id: 'tooluse_w1', name: 'get_weather', args: { city: 'Paris' } }] })
        await withProxy({ b: provider({ ...keys, bedrock_api: api }) }, { m: `b/${CLAUDE}` }, async (p) => {
          const client = new Anthropic({ apiKey: 'k', baseURL: p.url, maxRetries: 0 })
          const tools = [{ name: 'get_weather', description: 'w', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }]
          const params = { model: 'm', max_tokens: 4000, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, tools, messages: [{ role: 'user' as const, content: 'Weather in Paris?' }] }
          const first = stream ? await client.messages.stream(params).finalMessage() : await client.messages.create(params)
          expect(first.stop_reason).toBe('tool_use')
          const thinking = first.content.find((b) => b.type === 'thinking') as any
          const sig = api === 'converse' ? 'sig-bedrock' : 'sig-mock'
          expect(thinking).toMatchObject({ thinking: 'I should look it up.', signature: sig })
          const call = first.content.find((b) => b.type === 'tool_use') as any
          reply = (r) => bedrock(r, { text: 'Sunny.' })
          const second = await client.messages.create({
            ...params,
            messages: [...params.messages, { role: 'assistant', content: first.content as any }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '21C sunny' }] }],
          })
          expect((second.content.find((b) => b.type === 'text') as any).text).toBe('Sunny.')
          const body = mock.received.at(-1)!.body
          if (api === 'converse') {
            expect(body.messages[1].content[0]).toEqual({ reasoningContent: { reasoningText: { text: 'I should look it up.', signature: sig } } })
            expect(body.additionalModelRequestFields.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
            expect(body.messages[2].content[0].toolResult).toEqual({ toolUseId: 'tooluse_w1', content: [{ text: '21C sunny' }] })
          } else {
            expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'I should look it up.', signature: sig })
            expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
          }
        })
      })
})

describe('Responses clients carrying Claude reasoning (Codex style)', () => {
  for (const [api, stream] of [['converse', false], ['invoke', true]] as const)
    test(`${api}${stream ? ', streamed' : ''}: encrypted_content carries the signed thinking back to Bedrock`, async () => {
      reply = (r) => bedrock(r, { reasoning: 'Plan: call the tool.', tools: [{ id: 'tooluse_r1', name: 'get_weather', args: { city: 'Oslo' } }] })
      await withProxy({ b: provider({ ...keys, bedrock_api: api }) }, { m: `b/${CLAUDE}` }, async (p) => {
        const client = chat(p)
        const tools = [{ type: 'function' as const, name: 'get_weather', description: 'w', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } } } }]
        const params = { model: 'm', store: false, include: ['reasoning.encrypted_content' as const], reasoning: { effort: 'medium' as const }, tools, input: [{ role: 'user' as const, content: 'Weather in Oslo?' }] }
        const first: any = stream ? await client.responses.stream(params).finalResponse() : await client.responses.create(params)
        const reasoning = first.output.find((o: any) => o.type === 'reasoning')
        const call = first.output.find((o: any) => o.type === 'function_call')
        expect(reasoning.encrypted_content).toBeTruthy()
        expect(call).toMatchObject({ name: 'get_weather', call_id: 'tooluse_r1' })
        reply = (r) => bedrock(r, { text: 'Cold.' })
        const second: any = await client.responses.create({ ...params, input: [...params.input, reasoning, call, { type: 'function_call_output', call_id: call.call_id, output: '-3C' }] })
        expect(second.output_text).toBe('Cold.')
        const body = mock.received.at(-1)!.body
        const sig = api === 'converse' ? 'sig-bedrock' : 'sig-mock'
        if (api === 'converse') expect(body.messages[1].content[0]).toEqual({ reasoningContent: { reasoningText: { text: 'Plan: call the tool.', signature: sig } } })
        else expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'Plan: call the tool.', signature: sig })
      })
    })
})

describe('count_tokens', () => {
  test('Claude models are counted by Bedrock CountTokens (base model id), other families locally', async () => {
    reply = (r) => bedrock(r, {})
    await withProxy({ b: provider(keys) }, { claude: `b/${CLAUDE}`, nova: `b/${NOVA}` }, async (p) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: p.url, maxRetries: 0 })
      const params = { messages: [{ role: 'user' as const, content: 'How many tokens is this?' }], system: 'Be brief.' }
      const before = mock.received.length
      const counted = await client.messages.countTokens({ model: 'claude', ...params })
      const got = mock.received.at(-1)!
      expect(mock.received.length - before).toBe(1)
      expect(got.path).toBe('/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens')
      const inner = JSON.parse(Buffer.from(got.body.input.invokeModel.body, 'base64').toString('utf8'))
      expect(inner.system).toEqual([{ type: 'text', text: 'Be brief.' }])
      expect(counted.input_tokens).toBe(Math.ceil(JSON.stringify(inner).length / 10))
      const local = await client.messages.countTokens({ model: 'nova', ...params })
      expect(mock.received.length - before).toBe(1)
      expect(local.input_tokens).toBeGreaterThan(5)
    })
  })
})

describe('llm-proxy doctor --live', () => {
  test('the 1-token ping to a Bedrock model is signed (the mock verifies it)', async () => {
    reply = (r) => bedrock(r, { text: 'p' })
    const cfg = resolveConfig({ providers: { b: provider(keys) } }, {}, {})
    const ok = await probeCompletion(cfg.providers[0], NOVA, 5000)
    expect(ok).toMatchObject({ ok: true, detail: 'HTTP 200' })
    expect(mock.received.at(-1)!.headers.get('authorization')).toStartWith('AWS4-HMAC-SHA256 ')
    const bad = resolveConfig({ providers: { b: provider({ ...keys, aws_secret_access_key: 'wrong' }) } }, {}, {})
    expect(await probeCompletion(bad.providers[0], NOVA, 5000)).toMatchObject({ ok: false, detail: 'HTTP 403: the key was rejected' })
  })
})

describe('the AWS SDK against the same mock (reference client)', () => {
  const sdk = () => new BedrockRuntimeClient({ region: 'us-west-2', endpoint: mock.url, credentials: BEDROCK_CREDS, requestHandler: new NodeHttpHandler(), maxAttempts: 1 })

  test('Converse and ConverseStream: the mock accepts the SDK signature, the SDK reads its event-stream (real CRCs)', async () => {
    reply = (r) => bedrock(r, { text: 'Hello from the mock', tools: [{ id: 'tooluse_1', name: 'get_weather', args: { city: 'Paris' } }] })
    const c = sdk()
    const r = await c.send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
    expect(r.output?.message?.content?.[0]).toEqual({ text: 'Hello from the mock' })
    const sdkPath = new URL(mock.received.at(-1)!.url).pathname
    const s = await c.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
    const events: any[] = []
    for await (const ev of s.stream!) events.push(ev)
    expect(events.map((e) => Object.keys(e)[0])).toEqual(['messageStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'contentBlockStart', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata'])
    // the proxy addresses the same model the same way
    await withProxy({ b: provider({ ...keys, bedrock_api: 'converse' }) }, { m: `b/${CLAUDE}` }, async (p) => {
      await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    })
    expect(new URL(mock.received.at(-1)!.url).pathname).toBe(sdkPath)
  })

  test('InvokeModelWithResponseStream: base64 chunks the SDK decodes into Anthropic events', async () => {
    reply = (r) => bedrock(r, { text: 'native' })
    const s = await sdk().send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) }))
    const types: string[] = []
    for await (const ev of s.body!) if (ev.chunk?.bytes) types.push(JSON.parse(new TextDecoder().decode(ev.chunk.bytes)).type)
    expect(types).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
  })
})

describe('AWS errors and failover', () => {
  const twoTargets = (extra: Record<string, unknown> = {}) => ({
    providers: { first: provider({ ...keys, ...extra }), second: provider({ ...keys, base_url: `${mock.url}/second`, ...extra }) },
    models: { m: { strategy: 'fallback', targets: [`first/${NOVA}`, `second/${NOVA}`] } },
  })
  const second = (r: Received) => r.path.startsWith('/second')
  const strip = (r: Received): Received => ({ ...r, path: r.path.replace(/^\/second/, '') })

  test('ThrottlingException → the next target', async () => {
    reply = async (r) => {
      const denied = await checkAuth(r)
      if (denied) return denied
      if (second(r)) return bedrock(strip(r), { text: 'second answered' })
      return { kind: 'json', status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/' }, body: { message: 'Too many requests, please wait before trying again.' } }
    }
    const { providers, models } = twoTargets()
    await withProxy(providers, models, async (p) => {
      const r = await chat(p).chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
      expect(r.choices[0].message.content).toBe('second answered')
    })
  })

  test('ValidationException → 400 to the client, never retried', async () => {
    const before = mock.received.length
    reply = () => ({ kind: 'json', status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: { message: 'messages: text content blocks must be non-empty' } })
    const { providers, models } = twoTargets()
    await withProxy(providers, models, async (p) => {
      const err: any = await new Anthropic({ apiKey: 'k', baseURL: p.url, maxRetries: 0 }).messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e)
      expect(err.status).toBe(400)
      expect(err.message).toContain('text content blocks must be non-empty')
    })
    expect(mock.received.length - before).toBe(1)
  })

  test('a throttlingException as the stream opens → the next target; after output it is an in-stream error', async () => {
    reply = async (r) => {
      if (second(r)) return bedrock(strip(r), { text: 'streamed by second' })
      return { kind: 'binary', contentType: 'application/vnd.amazon.eventstream', chunks: [exceptionMessage('throttlingException', 'slow down')] }
    }
    const { providers, models } = twoTargets()
    await withProxy(providers, models, async (p) => {
      const s = await chat(p).chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      let text = ''
      for await (const c of s) text += c.choices[0]?.delta?.content ?? ''
      expect(text).toBe('streamed by second')
    })
    reply = () => ({
      kind: 'binary',
      contentType: 'application/vnd.amazon.eventstream',
      chunks: [eventMessage('messageStart', { role: 'assistant' }), eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'partial' } }), exceptionMessage('modelStreamErrorException', 'model crashed')],
    })
    await withProxy(providers, models, async (p) => {
      const s = new Anthropic({ apiKey: 'k', baseURL: p.url, maxRetries: 0 }).messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      const err: any = await s.finalMessage().catch((e) => e)
      expect(String(err?.message)).toContain('model crashed')
    })
  })

  test('a corrupted message mid-stream reaches each client as its in-stream error, after the text so far', async () => {
    const bad = eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' lost' } })
    bad[bad.length - 6] ^= 0x20
    reply = () => ({
      kind: 'binary',
      contentType: 'application/vnd.amazon.eventstream',
      chunks: [eventMessage('messageStart', { role: 'assistant' }), eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'kept' } }), bad, eventMessage('messageStop', { stopReason: 'end_turn' })],
    })
    await withProxy({ b: provider(keys) }, { m: `b/${NOVA}` }, async (p) => {
      const seen: string[] = []
      const s = await chat(p).chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      const err: any = await (async () => {
        for await (const c of s) seen.push(c.choices[0]?.delta?.content ?? '')
      })().catch((e) => e)
      expect(seen.join('')).toBe('kept')
      expect(String(err?.message)).toContain('CRC')
      const raw = await fetch(`${p.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }) }).then((r) => r.text())
      expect(raw).toContain('"text":"kept"')
      expect(raw).toContain('event: error')
      expect(raw).not.toContain('lost')
    })
  })

  test('an event-stream split into 7-byte network chunks translates the same', async () => {
    reply = async (r) => ({ kind: 'binary', contentType: 'application/vnd.amazon.eventstream', chunks: converseStream({ reasoning: 'Hmm.', text: 'Split but whole.' }), chunkBytes: 7 })
    await withProxy({ b: provider(keys) }, { m: `b/${NOVA}` }, async (p) => {
      const s = await chat(p).chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })
      let text = ''
      let reasoning = ''
      for await (const c of s) {
        text += c.choices[0]?.delta?.content ?? ''
        reasoning += (c.choices[0]?.delta as any)?.reasoning_content ?? ''
      }
      expect(text).toBe('Split but whole.')
      expect(reasoning).toBe('Hmm.')
    })
  })
})

