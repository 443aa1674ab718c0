// Stored responses for every upstream: the official openai SDK and the OpenAI Agents SDK run a
// multi-turn tool loop with previous_response_id against Anthropic, Chat and Gemini mocks; the
// proxy rebuilds each turn's conversation from what it stored. GET / DELETE / input_items,
// ownership (another key's response is a 404 like a missing one), TTL expiry and the size cap, on
// SQLite and (when LLM_PROXY_TEST_POSTGRES names a server) on Postgres.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import OpenAI from 'openai'
import { Agent, OpenAIResponsesModel, run, setTracingDisabled, tool } from '@openai/agents'
import { startMock, type Mock, type Received } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'
import type { Gateway } from '../../src/gateway'

const UPS = ['anthropic', 'openai-chat', 'gemini'] as const
type Up = (typeof UPS)[number]
const MODEL: Record<Up, string> = { anthropic: 'ant-model', 'openai-chat': 'chat-model', gemini: 'gem-model' }
const dialectOf = (p: string): Up | 'openai-responses' =>
  p.endsWith('/chat/completions') ? 'openai-chat' : p.endsWith('/responses') ? 'openai-responses' : p.includes('/v1beta/models/') ? 'gemini' : 'anthropic'

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
  strict: false,
}

/** tool call unless the conversation already holds the tool's answer; the text says how many turns it saw */
function script(r: Received) {
  const d = dialectOf(r.path)
  const text = JSON.stringify(r.body)
  if (d === 'openai-responses') return WIRE_WITH_GEMINI[d](r, { text: 'passed through' })
  if (!text.includes('in Paris')) return WIRE_WITH_GEMINI[d](r, { text: 'Hello!' })
  if (text.includes('72F sunny')) return WIRE_WITH_GEMINI[d](r, { text: `It is 72F and sunny. [saw Paris: ${text.includes('weather in Paris')}]` })
  return WIRE_WITH_GEMINI[d](r, { tools: [{ id: 'call_w1', name: 'get_weather', args: { city: 'Paris' }, signature: 'sig-gem-1' }] })
}

interface Env {
  url: string
  gateway: Gateway
  mock: Mock
  clock: { t: number }
  stop(): void
}

async function startEnv(store: string, responses?: Record<string, unknown>): Promise<Env> {
  const mock = startMock(script)
  const clock = { t: Date.now() }
  const { gateway } = await startGateway(
    {
      usage: { store },
      ...(responses && { responses }),
      providers: {
        'up-chat': { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-chat', max_retries: 0 },
        'up-resp': { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'sk-resp', max_retries: 0 },
        'up-ant': { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
        'up-gem': { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem', max_retries: 0 },
      },
      models: { 'chat-*': 'up-chat/*', 'resp-*': 'up-resp/*', 'ant-*': 'up-ant/*', 'gem-*': 'up-gem/*' },
      auth: { keys: [{ key: 'sk-alice', name: 'alice' }, { key: 'sk-bob', name: 'bob' }] },
    },
    { clock: { now: () => clock.t, sleep: (ms) => Bun.sleep(ms) } },
  )
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => gateway.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    gateway,
    mock,
    clock,
    stop() {
      server.stop(true)
      mock.stop()
      void gateway.close()
    },
  }
}

const client = (env: Env, key = 'sk-alice') => new OpenAI({ baseURL: `${env.url}/v1`, apiKey: key, maxRetries: 0 })
const get = (env: Env, path: string, key = 'sk-alice', method = 'GET') => fetch(`${env.url}/v1/responses/${path}`, { method, headers: { authorization: `Bearer ${key}` } })
const lastUpstream = (env: Env) => env.mock.received[env.mock.received.length - 1]

function suite(kind: string, fresh: () => Promise<string>) {
  describe(`stored responses on ${kind}`, () => {
    let env: Env
    beforeAll(async () => {
      env = await startEnv(await fresh())
    })
    afterAll(() => env?.stop())

    for (const up of UPS)
      for (const stream of [false, true])
        test(`openai SDK tool loop with previous_response_id → ${up}${stream ? ', streamed' : ''}`, async () => {
          const c = client(env)
          const ask = async (body: Record<string, unknown>) =>
            stream ? await c.responses.stream(body as any).finalResponse() : ((await c.responses.create(body as any)) as OpenAI.Responses.Response)
          const r1 = await ask({ model: MODEL[up], input: 'What is the weather in Paris?', tools: [WEATHER_TOOL] })
          expect(r1.status).toBe('completed')
          expect((r1 as any).store).toBe(true)
          const call = r1.output.find((i) => i.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall
          expect(call.name).toBe('get_weather')
          const r2 = await ask({ model: MODEL[up], previous_response_id: r1.id, input: [{ type: 'function_call_output', call_id: call.call_id, output: '72F sunny' }], tools: [WEATHER_TOOL] })
          expect(r2.previous_response_id).toBe(r1.id)
          expect(r2.output_text).toBe('It is 72F and sunny. [saw Paris: true]')
          // the upstream got the whole conversation: the question, the call and its result
          const body = JSON.stringify(lastUpstream(env).body)
          expect(body).toContain('What is the weather in Paris?')
          expect(body).toContain('get_weather')
          expect(body).toContain('72F sunny')
          // Gemini gets its own signature back on the stored call (the carried-state cache; the
          // stored items hold none, as the client asked for no encrypted content)
          if (up === 'gemini') expect(JSON.stringify(lastUpstream(env).body)).toContain('"thoughtSignature":"sig-gem-1"')
          // a third turn continues the chain of two
          const r3 = await ask({ model: MODEL[up], previous_response_id: r2.id, input: 'And tomorrow?', tools: [WEATHER_TOOL] })
          expect(r3.status).toBe('completed')
          const third = JSON.stringify(lastUpstream(env).body)
          for (const s of ['What is the weather in Paris?', '72F sunny', 'It is 72F and sunny.', 'And tomorrow?']) expect(third).toContain(s)
          // what was stored is what the client saw
          const got = await c.responses.retrieve(r2.id)
          expect(got.id).toBe(r2.id)
          expect(got.output_text).toBe(r2.output_text)
          const items = await c.responses.inputItems.list(r3.id, { order: 'asc' })
          expect(items.data.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message', 'message'])
        })

    test('OpenAI Agents SDK: a run continuing the previous one with previousResponseId, tool loop on Anthropic', async () => {
      setTracingDisabled(true)
      const weather = tool({
        name: 'get_weather',
        description: 'Weather for a city',
        parameters: WEATHER_TOOL.parameters as any,
        strict: false,
        execute: async () => '72F sunny',
      })
      const agent = new Agent({ name: 'forecaster', instructions: 'Answer weather questions.', model: new OpenAIResponsesModel(client(env) as any, MODEL.anthropic), tools: [weather] })
      const first = await run(agent, 'Hello there')
      expect(first.lastResponseId).toMatch(/^resp_/)
      const before = env.mock.received.length
      const second = await run(agent, 'What is the weather in Paris?', { previousResponseId: first.lastResponseId })
      expect(second.finalOutput).toBe('It is 72F and sunny. [saw Paris: true]')
      const turns = env.mock.received.slice(before)
      expect(turns.length).toBe(2)
      // the tool turn was sent as previous_response_id + the tool output; the proxy rebuilt the rest
      const last = JSON.stringify(turns[1].body)
      for (const s of ['Hello there', 'What is the weather in Paris?', '72F sunny']) expect(last).toContain(s)
    })

    test('another key: GET, DELETE, input_items and previous_response_id answer as if it did not exist', async () => {
      const r = await client(env).responses.create({ model: MODEL['openai-chat'], input: 'weather in Paris?', tools: [WEATHER_TOOL] })
      const missing = await get(env, 'resp_doesnotexist', 'sk-bob')
      const other = await get(env, r.id, 'sk-bob')
      expect(other.status).toBe(404)
      expect(missing.status).toBe(404)
      const a = (await other.json()) as any
      const b = (await missing.json()) as any
      expect(a.error.message.replace(r.id, 'X')).toBe(b.error.message.replace('resp_doesnotexist', 'X'))
      expect((await get(env, `${r.id}/input_items`, 'sk-bob')).status).toBe(404)
      expect((await get(env, r.id, 'sk-bob', 'DELETE')).status).toBe(404)
      const cont = await fetch(`${env.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-bob', 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL.anthropic, previous_response_id: r.id, input: 'hi' }),
      })
      expect(cont.status).toBe(400)
      expect(((await cont.json()) as any).error).toMatchObject({ code: 'previous_response_not_found', param: 'previous_response_id' })
      // the owner still has it, and can delete it
      expect((await get(env, r.id)).status).toBe(200)
      const del = await get(env, r.id, 'sk-alice', 'DELETE')
      expect(await del.json()).toEqual({ id: r.id, object: 'response', deleted: true })
      expect((await get(env, r.id)).status).toBe(404)
    })

    test('store: false is not stored; a Responses upstream passes through and keeps its own', async () => {
      const r = await client(env).responses.create({ model: MODEL.anthropic, input: 'weather in Paris?', store: false })
      expect((r as any).store).toBe(false)
      expect((await get(env, r.id)).status).toBe(404)
      const before = env.mock.received.length
      const p = await client(env).responses.create({ model: 'resp-model', input: 'hi', previous_response_id: 'resp_upstream_owned' })
      expect(p.output_text).toBe('passed through')
      expect(env.mock.received[before].body.previous_response_id).toBe('resp_upstream_owned')
      expect((await get(env, p.id)).status).toBe(404)
    })

    test('input_items pagination: limit, order, after', async () => {
      const c = client(env)
      const r1 = await c.responses.create({ model: MODEL['openai-chat'], input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }, { role: 'user', content: 'weather in Paris?' }] })
      const page1 = (await (await get(env, `${r1.id}/input_items?limit=2&order=asc`)).json()) as any
      expect(page1.data.map((i: any) => i.content[0].text)).toEqual(['one', 'two'])
      expect(page1.has_more).toBe(true)
      const page2 = (await (await get(env, `${r1.id}/input_items?limit=2&order=asc&after=${page1.last_id}`)).json()) as any
      expect(page2.data.map((i: any) => i.content[0].text)).toEqual(['weather in Paris?'])
      expect(page2.has_more).toBe(false)
      const desc = (await (await get(env, `${r1.id}/input_items`)).json()) as any
      expect(desc.data[0].content[0].text).toBe('weather in Paris?')
      expect((await get(env, `${r1.id}/input_items?limit=0`)).status).toBe(400)
    })

    test('TTL: an expired response is gone, and so is a chain through it', async () => {
      const c = client(env)
      const r1 = await c.responses.create({ model: MODEL.anthropic, input: 'weather in Paris?' })
      env.clock.t += 29 * 86_400_000
      expect((await get(env, r1.id)).status).toBe(200)
      env.clock.t += 2 * 86_400_000
      expect((await get(env, r1.id)).status).toBe(404)
      const cont = await fetch(`${env.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-alice', 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL.anthropic, previous_response_id: r1.id, input: 'hi' }),
      })
      expect(cont.status).toBe(400)
    })
  })

  describe(`stored responses limits on ${kind}`, () => {
    let env: Env
    beforeAll(async () => {
      env = await startEnv(await fresh(), { ttl: '1h', max_bytes: '6KiB' })
    })
    afterAll(() => env?.stop())

    test('configured ttl and max_bytes', async () => {
      const c = client(env)
      const small = await c.responses.create({ model: MODEL.anthropic, input: 'weather in Paris?' })
      const big = await c.responses.create({ model: MODEL.anthropic, input: 'x'.repeat(8000) })
      expect((await get(env, small.id)).status).toBe(200)
      // over the cap: answered, not stored
      expect(big.status).toBe('completed')
      expect((await get(env, big.id)).status).toBe(404)
      env.clock.t += 3_600_001
      expect((await get(env, small.id)).status).toBe(404)
    })
  })
}

suite('SQLite', async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'llm-proxy-responses-')), 'db.sqlite')}`)

const pg = process.env.LLM_PROXY_TEST_POSTGRES
if (pg) {
  let n = 0
  suite('Postgres', async () => {
    const admin = new SQL(pg, { max: 1 })
    const name = `llm_proxy_responses_${process.pid}_${n++}`
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name}`)
    await admin.unsafe(`CREATE DATABASE ${name}`)
    await admin.close()
    const u = new URL(pg)
    u.pathname = `/${name}`
    return u.toString()
  })
} else test.skip('stored responses on Postgres: needs LLM_PROXY_TEST_POSTGRES=postgres://…', () => {})
