// The response cache, opt-in per alias or key: an exact repeat is replayed (whole or streamed,
// whatever the first one was) with x-llm-proxy-cache: hit, no upstream call, zero tokens in the
// ledger row (its provider marked cache:…), counted in /metrics; temperature > 0 is not cached
// unless the config says so; another key never gets it; entries expire. On SQLite and on Redis.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { startMock, type Mock, type Received } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { WIRE } from '../helpers/wire'
import type { Gateway } from '../../src/gateway'
import { hasRedisServer, startRedis, type TestRedis } from '../unit/limits/helpers'

let turn = 0
/** every upstream answer is different, so a replay is recognisable */
function script(r: Received) {
  const d = r.path.endsWith('/chat/completions') ? 'openai-chat' : 'anthropic'
  return WIRE[d](r, { text: `answer number ${++turn}`, usage: { input: 40, output: 9 } })
}

interface Env {
  url: string
  gateway: Gateway
  mock: Mock
  clock: { t: number }
  stop(): Promise<void>
}

async function startEnv(raw: Record<string, unknown>, ttl: string): Promise<Env> {
  const mock = startMock(script)
  const clock = { t: Date.now() }
  const { gateway } = await startGateway(
    {
      ...raw,
      providers: {
        'up-ant': { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
        'up-chat': { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-chat', max_retries: 0 },
      },
      models: {
        cached: { targets: ['up-ant/claude-x'], cache: { ttl } },
        'cached-chat': { targets: ['up-chat/gpt-x'], cache: { ttl } },
        'cached-warm': { targets: ['up-ant/claude-x'], cache: { ttl, any_temperature: true } },
        plain: { targets: ['up-ant/claude-x'] },
      },
      auth: {
        keys: [
          { key: 'sk-alice', name: 'alice' },
          { key: 'sk-bob', name: 'bob' },
          { key: 'sk-carol', name: 'carol', cache: { ttl } },
        ],
      },
    },
    { clock: { now: () => clock.t, sleep: (ms) => Bun.sleep(ms) } },
  )
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => gateway.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    gateway,
    mock,
    clock,
    async stop() {
      server.stop(true)
      mock.stop()
      await gateway.close()
    },
  }
}

const chat = (env: Env, body: Record<string, unknown>, key = 'sk-alice') =>
  fetch(`${env.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function textOf(res: Response): Promise<string> {
  if (!(res.headers.get('content-type') ?? '').includes('event-stream')) return ((await res.json()) as any).choices[0].message.content
  let out = ''
  for (const line of (await res.text()).split('\n'))
    if (line.startsWith('data: {')) out += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? ''
  return out
}

let n = 0
const fresh = (extra: Record<string, unknown> = {}) => ({ model: 'cached', messages: [{ role: 'user', content: `question ${++n}` }], ...extra })

function suite(kind: string, raw: () => Record<string, unknown>, ttl: string, expire: (env: Env) => Promise<void>) {
  describe(`response cache on ${kind}`, () => {
    let env: Env
    beforeAll(async () => {
      env = await startEnv(raw(), ttl)
    })
    afterAll(async () => {
      await env?.stop()
    })

    test('a repeat is a hit: same answer, no upstream call, whole or streamed', async () => {
      const body = fresh()
      const first = await chat(env, body)
      expect(first.headers.get('x-llm-proxy-cache')).toBeNull()
      const original = await textOf(first)
      const calls = env.mock.received.length
      const again = await chat(env, body)
      expect(again.headers.get('x-llm-proxy-cache')).toBe('hit')
      expect(again.headers.get('x-llm-proxy-provider')).toBe('cache:up-ant')
      expect(await textOf(again)).toBe(original)
      // the same request streamed: replayed through the stream encoder
      const streamed = await chat(env, { ...body, stream: true })
      expect(streamed.headers.get('x-llm-proxy-cache')).toBe('hit')
      expect(await textOf(streamed)).toBe(original)
      expect(env.mock.received.length).toBe(calls)
    })

    test('a streamed first answer is stored from its events and replayed whole', async () => {
      const body = fresh({ stream: true, model: 'cached-chat' })
      const original = await textOf(await chat(env, body))
      const replay = await chat(env, { ...body, stream: false })
      expect(replay.headers.get('x-llm-proxy-cache')).toBe('hit')
      expect(await textOf(replay)).toBe(original)
      // the openai SDK reads the replay like any answer
      const sdk = new OpenAI({ baseURL: `${env.url}/v1`, apiKey: 'sk-alice', maxRetries: 0 })
      const got = await sdk.chat.completions.create(body as any)
      let text = ''
      for await (const c of got as any) text += c.choices[0]?.delta?.content ?? ''
      expect(text).toBe(original)
    })

    test('temperature > 0 is not cached unless the config says so; an alias without cache never is', async () => {
      const warm = fresh({ temperature: 0.7 })
      await chat(env, warm)
      expect((await chat(env, warm)).headers.get('x-llm-proxy-cache')).toBeNull()
      const allowed = fresh({ temperature: 0.7, model: 'cached-warm' })
      await chat(env, allowed)
      expect((await chat(env, allowed)).headers.get('x-llm-proxy-cache')).toBe('hit')
      const cold = fresh({ temperature: 0 })
      await chat(env, cold)
      expect((await chat(env, cold)).headers.get('x-llm-proxy-cache')).toBe('hit')
      const plain = fresh({ model: 'plain' })
      await chat(env, plain)
      expect((await chat(env, plain)).headers.get('x-llm-proxy-cache')).toBeNull()
    })

    test("another key never gets a key's cached answer", async () => {
      const body = fresh()
      const original = await textOf(await chat(env, body, 'sk-alice'))
      const other = await chat(env, body, 'sk-bob')
      expect(other.headers.get('x-llm-proxy-cache')).toBeNull()
      expect(await textOf(other)).not.toBe(original)
    })

    test("a key's own cache setting applies to any model", async () => {
      const body = fresh({ model: 'plain' })
      await chat(env, body, 'sk-carol')
      expect((await chat(env, body, 'sk-carol')).headers.get('x-llm-proxy-cache')).toBe('hit')
    })

    test('entries expire', async () => {
      const body = fresh()
      await chat(env, body)
      await expire(env)
      const after = await chat(env, body)
      expect(after.headers.get('x-llm-proxy-cache')).toBeNull()
      // and the new answer is cached again
      expect((await chat(env, body)).headers.get('x-llm-proxy-cache')).toBe('hit')
    })

    test('counted in /metrics', async () => {
      const text = await (await fetch(`${env.url}/metrics`)).text()
      const count = (r: string) => Number(new RegExp(`llm_proxy_response_cache_total\\{result="${r}"\\} (\\d+)`).exec(text)?.[1] ?? 0)
      expect(count('hit')).toBeGreaterThanOrEqual(7)
      expect(count('miss')).toBeGreaterThanOrEqual(6)
      expect(count('stored')).toBeGreaterThanOrEqual(6)
    })
  })
}

const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-rcache-'))
const ledger = join(dir, 'db.sqlite')
suite('SQLite', () => ({ usage: { store: `sqlite:${ledger}` } }), '10m', async (env) => {
  env.clock.t += 10 * 60_000 + 1
})

test('SQLite: a hit is a ledger row with zero tokens, its provider marked cache:', async () => {
  const db = new Database(ledger, { readonly: true })
  const rows = db.query<{ provider: string; input_tokens: number; output_tokens: number }, []>("SELECT provider, input_tokens, output_tokens FROM usage_ledger WHERE provider LIKE 'cache:%'").all()
  db.close()
  expect(rows.length).toBeGreaterThanOrEqual(7)
  for (const r of rows) expect(r).toMatchObject({ input_tokens: 0, output_tokens: 0 })
  expect(rows.map((r) => r.provider)).toContain('cache:up-ant')
})

let redis: TestRedis | undefined
if (hasRedisServer()) {
  beforeAll(async () => {
    redis = await startRedis()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  // Redis expires entries itself (real time): a short ttl and a wait
  suite('Redis', () => ({ state: { redis: redis!.url } }), '1500ms', async () => {
    await Bun.sleep(1600)
  })
} else test.skip('response cache on Redis: needs redis-server', () => {})
