// Two proxy replicas sharing one Redis (`state.redis`) hold one set of limits; an unreachable
// Redis follows `state.on_error` quickly: open admits, closed answers 503 in the client dialect.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'
import { freePort, hasRedisServer, startRedis, type TestRedis } from '../unit/limits/helpers'

const KEY = 'sk-replica-client-5a6b7c8d9e'
const CONC = 'sk-replica-conc-0f1e2d3c4b'
const run = `${process.pid}-${Date.now().toString(36)}`

const config = (redis: string, onError: 'open' | 'closed', upUrl = 'http://127.0.0.1:9') => ({
  providers: {
    demo: { dialect: 'echo' },
    up: { dialect: 'openai-chat', base_url: `${upUrl}/v1`, api_key: 'sk-replica-upstream-123456' },
  },
  models: { 'echo-*': 'demo/*', 'gpt-*': 'up/*' },
  auth: {
    // names unique per run: counters in a shared Redis must not leak between test runs
    keys: [
      { key: KEY, name: `replica-${run}`, rpm: 3 },
      { key: CONC, name: `conc-${run}`, max_concurrent: 1 },
    ],
  },
  state: { redis, on_error: onError },
})

const chat = (p: TestProxy, key = KEY, model = 'echo-1', stream = false, content = 'hi') =>
  fetch(`${p.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
  })

const messages = (p: TestProxy) =>
  fetch(`${p.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'echo-1', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
  })

if (!hasRedisServer()) console.warn('replicas.test.ts: redis-server is not installed; the shared-Redis tests are SKIPPED')

describe.skipIf(!hasRedisServer())('two replicas on one Redis', () => {
  let redis: TestRedis
  let a: TestProxy
  let b: TestProxy
  let up: Mock

  beforeAll(async () => {
    redis = await startRedis()
    up = startMock((r) => {
      const reply = openaiChat(r, { text: 'one two three four five six' })
      return reply.kind === 'sse' ? { ...reply, delayMs: 150 } : reply
    })
    a = await startProxy(config(redis.url, 'closed', up.url))
    b = await startProxy(config(redis.url, 'closed', up.url))
  })
  afterAll(async () => {
    a?.stop()
    b?.stop()
    up?.stop()
    await redis?.stop()
  })

  test('together they hold one rpm limit', async () => {
    const statuses = []
    for (const p of [a, b, a, b, a]) statuses.push((await chat(p)).status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
    const res = await chat(b)
    expect(res.headers.get('x-ratelimit-limit-requests')).toBe('3')
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    expect((await res.json()).error.message).toContain('3 requests per minute exceeded')
  })

  test('a stream on one replica holds the max_concurrent slot on the other', async () => {
    const s = await chat(a, CONC, 'gpt-4o', true)
    expect(s.status).toBe(200)
    const reader = s.body!.getReader()
    await reader.read()
    expect((await chat(b, CONC)).status).toBe(429)
    while (!(await reader.read()).done);
    const deadline = Date.now() + 1500
    let status = 0
    while (Date.now() < deadline && (status = (await chat(b, CONC)).status) !== 200) await Bun.sleep(20)
    expect(status).toBe(200)
  })

  test('Redis going away mid-run: on_error closed answers 503 within 1 s on both replicas', async () => {
    await redis.stop()
    for (const p of [a, b]) {
      const t0 = performance.now()
      const res = await chat(p)
      expect(performance.now() - t0).toBeLessThan(1000)
      expect(res.status).toBe(503)
    }
  })
})

describe('Redis unreachable', () => {
  let open: TestProxy
  let closed: TestProxy

  beforeAll(async () => {
    // a port nobody listens on
    const dead = `redis://127.0.0.1:${await freePort()}`
    open = await startProxy(config(dead, 'open'))
    closed = await startProxy(config(dead, 'closed'))
  })
  afterAll(() => {
    open?.stop()
    closed?.stop()
  })

  test('on_error: open admits within 1 s (and keeps admitting; limits are not enforced)', async () => {
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const res = await chat(open)
      expect(res.status).toBe(200)
      expect(performance.now() - t0).toBeLessThan(1000)
    }
    expect(open.logs.some((l) => l.includes('rate-limit state (Redis) unavailable') && l.includes('limits are not enforced'))).toBe(true)
  })

  test('on_error: closed answers 503 in the client dialect within 1 s', async () => {
    let t0 = performance.now()
    const res = await chat(closed)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(res.status).toBe(503)
    const body = await res.json()
    expect(body.error.code).toBe('state_unavailable')
    expect(body.error.message).toContain('rate-limit state is unavailable')
    t0 = performance.now()
    const anth = await messages(closed)
    expect(performance.now() - t0).toBeLessThan(1000)
    // the Anthropic dialect renders an overloaded 503 as its own 529 (what Claude Code retries)
    expect(anth.status).toBe(529)
    expect(await anth.json()).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
  })
})

describe.skipIf(!hasRedisServer())('upstream key benches are shared by replicas', () => {
  test('a key refused with 401 on one replica stops being used by the other within ~1 s', async () => {
    const redis = await startRedis()
    const seen: string[] = []
    const up = startMock((r) => {
      const auth = r.headers.get('authorization') ?? ''
      seen.push(auth)
      if (auth.endsWith('sk-shared-bad-111111')) return { kind: 'json', status: 401, body: { error: { message: 'bad key', type: 'invalid_request_error', code: 'invalid_api_key', param: null } } }
      return openaiChat(r, { text: 'ok' })
    })
    const cfg = {
      providers: { up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: ['sk-shared-bad-111111', 'sk-shared-good-222222'] } },
      models: { '*': 'up/*' },
      state: { redis: redis.url },
    }
    const a = await startProxy(cfg)
    const b = await startProxy(cfg)
    const ask = (p: TestProxy) =>
      fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }) })
    try {
      // replica a meets the bad key (then retries with the good one)
      expect((await ask(a)).status).toBe(200)
      expect(seen.filter((s) => s.endsWith('bad-111111'))).toHaveLength(1)
      await Bun.sleep(1600)
      seen.length = 0
      for (let i = 0; i < 4; i++) expect((await ask(b)).status).toBe(200)
      // replica b never tried the benched key
      expect(seen.every((s) => s.endsWith('good-222222'))).toBe(true)
    } finally {
      a.stop()
      b.stop()
      up.stop()
      await redis.stop()
    }
  }, 15_000)
})

describe.skipIf(!hasRedisServer())('round-robin positions are shared by replicas', () => {
  test('requests alternating between two replicas alternate the targets too', async () => {
    const redis = await startRedis()
    const seen: string[] = []
    const up = startMock((r) => {
      seen.push(r.body.model)
      return openaiChat(r, { text: 'ok' })
    })
    const cfg = {
      providers: { up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-rr-upstream-000000' } },
      models: { [`rr-${run}`]: { strategy: 'round_robin', targets: ['up/model-a', 'up/model-b'] } },
      state: { redis: redis.url },
    }
    const a = await startProxy(cfg)
    const b = await startProxy(cfg)
    const ask = (p: TestProxy) =>
      fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: `rr-${run}`, messages: [{ role: 'user', content: 'x' }] }) })
    try {
      for (let i = 0; i < 3; i++) {
        expect((await ask(a)).status).toBe(200)
        expect((await ask(b)).status).toBe(200)
      }
      // local counters would give a, a, b, b, a, a; one shared rotation alternates
      expect(seen).toEqual(['model-a', 'model-b', 'model-a', 'model-b', 'model-a', 'model-b'])
    } finally {
      a.stop()
      b.stop()
      up.stop()
      await redis.stop()
    }
  }, 15_000)
})
