// Signatures and reasoning that survive any client: a Chat or Anthropic client on a Gemini upstream
// gets Gemini's real thoughtSignature back onto the call it replays (not Google's placeholder), and
// on an OpenAI reasoning model through Responses its encrypted reasoning items go back before the
// call. Per key (another key replaying the same call id gets the placeholder), shared through Redis
// between two replicas, bounded (eviction and TTL in the unit below).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'
import { CarryCache } from '../../src/carry/carry-cache'
import { SKIP_SIGNATURE } from '../../src/dialects/gemini/encode-contents'
import { hasRedisServer, startRedis, type TestRedis } from '../unit/limits/helpers'

const SIG = 'CiQB-real-gemini-signature=='
const ENC = 'gAAAAB-real-openai-encrypted-reasoning'

/** a Responses reply whose reasoning item carries encrypted_content (as with include) */
function withEncrypted(reply: Reply): Reply {
  const patch = (item: any) => (item?.type === 'reasoning' ? { ...item, encrypted_content: ENC } : item)
  const patchResponse = (r: any) => (r?.output ? { ...r, output: r.output.map(patch) } : r)
  if (reply.kind === 'json') return { ...reply, body: patchResponse(reply.body) }
  if (reply.kind !== 'sse') return reply
  const frames = reply.frames.map((f) => {
    if (typeof f === 'string' || typeof f.data !== 'object' || f.data === null) return f
    const d: any = f.data
    if (f.event === 'response.output_item.done') return { ...f, data: { ...d, item: patch(d.item) } }
    if (d.response) return { ...f, data: { ...d, response: patchResponse(d.response) } }
    return f
  })
  return { ...reply, frames }
}

function script(r: Received): Reply {
  const text = JSON.stringify(r.body)
  const gem = r.path.includes('/v1beta/models/')
  const d = gem ? 'gemini' : r.path.endsWith('/responses') ? 'openai-responses' : 'anthropic'
  if (text.includes('72F sunny')) return WIRE_WITH_GEMINI[d](r, { text: 'Sunny.' })
  const reply = WIRE_WITH_GEMINI[d](r, { reasoning: 'Look it up.', tools: [{ id: 'call_oa_1', name: 'get_weather', args: { city: 'Paris' }, signature: SIG }] })
  return d === 'openai-responses' ? withEncrypted(reply) : reply
}

interface Env {
  url: string
  stop(): void
}

async function startEnv(mock: Mock, redis?: string): Promise<Env> {
  const { gateway } = await startGateway({
    ...(redis && { state: { redis } }),
    providers: {
      'up-gem': { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem', max_retries: 0 },
      'up-resp': { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'sk-resp', max_retries: 0 },
    },
    models: { 'gem-*': 'up-gem/*', 'o-*': 'up-resp/*' },
    auth: { keys: [{ key: 'sk-alice', name: 'alice' }, { key: 'sk-bob', name: 'bob' }] },
  })
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => gateway.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    stop() {
      server.stop(true)
      void gateway.close()
    },
  }
}

const TOOLS = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }]

/** a Chat tool loop: the call, then its result; the second upstream body is returned */
async function chatLoop(env: Env, mock: Mock, model: string, key: string, stream: boolean, replayKey = key) {
  const ask = async (c: OpenAI, messages: any[]) => {
    if (!stream) return (await c.chat.completions.create({ model, messages, tools: TOOLS })).choices[0].message
    const s = await c.chat.completions.create({ model, messages, tools: TOOLS, stream: true })
    const calls: any[] = []
    for await (const chunk of s)
      for (const tc of chunk.choices[0]?.delta.tool_calls ?? []) {
        calls[tc.index] ??= { id: tc.id, type: 'function', function: { name: tc.function?.name, arguments: '' } }
        calls[tc.index].function.arguments += tc.function?.arguments ?? ''
      }
    return { role: 'assistant', content: null, tool_calls: calls }
  }
  const first = await ask(new OpenAI({ baseURL: `${env.url}/v1`, apiKey: key, maxRetries: 0 }), [{ role: 'user', content: 'weather?' }])
  const call = first.tool_calls![0] as any
  const n = mock.received.length
  await ask(new OpenAI({ baseURL: `${env.url}/v1`, apiKey: replayKey, maxRetries: 0 }), [
    { role: 'user', content: 'weather?' },
    { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: call.function }] },
    { role: 'tool', tool_call_id: call.id, content: '72F sunny' },
  ])
  return mock.received[n].body
}

const geminiCallSignature = (body: any): unknown => body.contents.find((c: any) => c.role === 'model').parts.find((p: any) => p.functionCall).thoughtSignature

describe('carried state, one replica', () => {
  let mock: Mock
  let env: Env
  beforeAll(async () => {
    mock = startMock(script)
    env = await startEnv(mock)
  })
  afterAll(() => {
    env.stop()
    mock.stop()
  })

  for (const stream of [false, true])
    test(`Chat client on Gemini: the real signature goes back${stream ? ' (streamed)' : ''}`, async () => {
      const body = await chatLoop(env, mock, 'gem-3-pro', 'sk-alice', stream)
      expect(geminiCallSignature(body)).toBe(SIG)
    })

  test('another key replaying the same call id gets the placeholder (a miss), counted in /metrics', async () => {
    const body = await chatLoop(env, mock, 'gem-3-pro', 'sk-alice', false, 'sk-bob')
    expect(geminiCallSignature(body)).toBe(SKIP_SIGNATURE)
    const text = await (await fetch(`${env.url}/metrics`)).text()
    expect(text).toMatch(/llm_proxy_carried_state_total\{result="restored"\} [1-9]/)
    expect(text).toMatch(/llm_proxy_carried_state_total\{result="missed"\} [1-9]/)
  })

  test('Anthropic client (Claude Code shape) on Gemini: the real signature goes back', async () => {
    const c = new Anthropic({ baseURL: env.url, apiKey: 'sk-alice', maxRetries: 0 })
    const tools = [{ name: 'get_weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }]
    const first = await c.messages.stream({ model: 'gem-3-pro', max_tokens: 100, messages: [{ role: 'user', content: 'weather?' }], tools }).finalMessage()
    const use = first.content.find((b) => b.type === 'tool_use')!
    expect(use.type).toBe('tool_use')
    const n = mock.received.length
    await c.messages.create({
      model: 'gem-3-pro',
      max_tokens: 100,
      tools,
      messages: [
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: first.content as any },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: (use as any).id, content: '72F sunny' }] },
      ],
    })
    expect(geminiCallSignature(mock.received[n].body)).toBe(SIG)
  })

  for (const stream of [false, true])
    test(`Chat client on an OpenAI reasoning model through Responses: the encrypted reasoning goes back before the call${stream ? ' (streamed)' : ''}`, async () => {
      const body = await chatLoop(env, mock, 'o-reasoner', 'sk-alice', stream)
      const types = body.input.map((i: any) => i.type ?? 'message')
      const at = types.indexOf('function_call')
      expect(body.input[at - 1]).toMatchObject({ type: 'reasoning', id: 'rs_mock', encrypted_content: ENC })
    })
})

describe.skipIf(!hasRedisServer())('carried state shared through Redis', () => {
  let redis: TestRedis
  let mock: Mock
  let a: Env
  let b: Env
  beforeAll(async () => {
    redis = await startRedis()
    mock = startMock(script)
    a = await startEnv(mock, redis.url)
    b = await startEnv(mock, redis.url)
  })
  afterAll(async () => {
    a.stop()
    b.stop()
    mock.stop()
    await redis.stop()
  })

  test('the call answered through one replica is replayed through another with its signature', async () => {
    const first = await new OpenAI({ baseURL: `${a.url}/v1`, apiKey: 'sk-alice', maxRetries: 0 }).chat.completions.create({ model: 'gem-3-pro', messages: [{ role: 'user', content: 'weather?' }], tools: TOOLS })
    const call = first.choices[0].message.tool_calls![0] as any
    // Redis writes are fire-and-forget: give this one a moment to land
    await Bun.sleep(50)
    const replay = async (key: string) => {
      const n = mock.received.length
      await new OpenAI({ baseURL: `${b.url}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({
        model: 'gem-3-pro',
        tools: TOOLS,
        messages: [
          { role: 'user', content: 'weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: call.function }] },
          { role: 'tool', tool_call_id: call.id, content: '72F sunny' },
        ],
      })
      return geminiCallSignature(mock.received[n].body)
    }
    // another key finds nothing in Redis either
    expect(await replay('sk-bob')).toBe(SKIP_SIGNATURE)
    expect(await replay('sk-alice')).toBe(SIG)
  })
})

describe('the carry cache', () => {
  const make = (o: Partial<ConstructorParameters<typeof CarryCache>[0]> & { t: { now: number } }) =>
    new CarryCache({ ttlMs: 1000, maxEntries: 3, maxBytes: 1 << 20, maxValueBytes: 1024, now: () => o.t.now, ...o })

  test('least recently used entries are evicted past the count', async () => {
    const t = { now: 0 }
    const c = make({ t })
    for (const id of ['a', 'b', 'c']) c.remember('k', id, { s: id })
    await c.recall('k', ['a']) // a is now the most recent
    c.remember('k', 'd', { s: 'd' })
    const got = await c.recall('k', ['a', 'b', 'c', 'd'])
    expect([...got.keys()].sort()).toEqual(['a', 'c', 'd'])
    expect(c.stats.evictions).toBe(1)
  })

  test('bytes bound, value cap, TTL, and owners kept apart', async () => {
    const t = { now: 0 }
    const c = make({ t, maxEntries: 100, maxBytes: 200 })
    c.remember('k', 'big', { s: 'x'.repeat(2000) })
    expect(c.size.entries).toBe(0)
    for (let i = 0; i < 10; i++) c.remember('k', `id${i}`, { s: 'y'.repeat(30) })
    expect(c.size.bytes).toBeLessThanOrEqual(200)
    expect((await c.recall('k', ['id9'])).size).toBe(1)
    expect((await c.recall('other', ['id9'])).size).toBe(0)
    t.now = 1001
    expect((await c.recall('k', ['id9'])).size).toBe(0)
  })
})
