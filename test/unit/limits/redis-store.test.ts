// The same limit suite against a real redis-server, plus what only Redis has: replicas sharing
// one limit, TTLs on every key, and Redis being down (on_error open / closed).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { openRedis } from '../../../src/limits/redis-conn'
import { createRedisStore } from '../../../src/limits/redis-store'
import { createRedisSharedState } from '../../../src/limits/shared-state'
import type { LimitStore } from '../../../src/limits/limit-store'
import { freePort, hasRedisServer, principal, rejection, startRedis, T0, type TestRedis } from './helpers'
import { limitStoreSuite } from './store-suite'

const available = hasRedisServer()
if (!available) console.warn('SKIPPED redis tests: redis-server not installed')
const t = available ? test : test.skip

let redis: TestRedis | undefined
const stores: LimitStore[] = []

beforeAll(async () => {
  if (available) redis = await startRedis()
})
afterAll(async () => {
  for (const s of stores) await s.close()
  await redis?.stop()
})

const warnings: string[] = []
const makeStore = (onError: 'open' | 'closed' = 'closed', url = redis!.url): LimitStore => {
  const store = createRedisStore({ url, onError, warn: (m) => warnings.push(m) })
  stores.push(store)
  return store
}

limitStoreSuite('redis', t, () => makeStore())

describe('redis: replicas', () => {
  t('two store instances on one Redis hold one limit together', async () => {
    const a = makeStore()
    const b = makeStore()
    const p = principal({ groupLimits: { rpm: 4, max_concurrent: 3 } })
    const ta = await a.admit({ principal: p, estimatedTokens: 0 }, T0)
    await b.admit({ principal: p, estimatedTokens: 0 }, T0 + 1)
    await a.admit({ principal: p, estimatedTokens: 0 }, T0 + 2)
    // three slots taken across both replicas
    const full = await rejection(b.admit({ principal: p, estimatedTokens: 0 }, T0 + 3))
    expect(full.message).toContain('3 concurrent')
    // a slot freed on replica a is free for replica b
    await a.release(ta.ticket, { tokens: 0, costUsd: 0 }, T0 + 4)
    const last = await b.admit({ principal: p, estimatedTokens: 0 }, T0 + 5)
    expect(last.headers['x-ratelimit-remaining-requests']).toBe('0')
    await a.release(ta.ticket, { tokens: 0, costUsd: 0 }, T0 + 6)
    const over = await rejection(a.admit({ principal: p, estimatedTokens: 0 }, T0 + 7))
    expect(over.message).toContain('4 requests per minute')
  })

  t('budgets and tpm are shared too', async () => {
    const a = makeStore()
    const b = makeStore()
    const p = principal({ key: { tpm: 1_000, budget: { usd: 2, per: 'week' } } })
    const x = await a.admit({ principal: p, estimatedTokens: 900 }, T0)
    await rejection(b.admit({ principal: p, estimatedTokens: 200 }, T0 + 1))
    await a.release(x.ticket, { tokens: 100, costUsd: 2 }, T0 + 2)
    const err = await rejection(b.admit({ principal: p, estimatedTokens: 200 }, T0 + 3))
    expect(err.code).toBe('budget_exceeded')
    expect(err.message).toContain('resets at 2026-11-30T00:00:00Z')
  })

  t('every key is prefixed llmproxy: and expires', async () => {
    const keys = (await redis!.conn.send('KEYS', ['*'])) as string[]
    expect(keys.length).toBeGreaterThan(0)
    for (const k of keys) {
      expect(k.startsWith('llmproxy:')).toBe(true)
      expect(Number(await redis!.conn.send('PTTL', [k]))).toBeGreaterThan(0)
    }
  })

  t('a slot of a crashed replica is freed when its lease ends', async () => {
    const store = createRedisStore({ url: redis!.url, onError: 'closed', warn: () => {}, leaseMs: 1_000 })
    stores.push(store)
    const p = principal({ groupLimits: { max_concurrent: 1 } })
    await store.admit({ principal: p, estimatedTokens: 0 }, T0)
    await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 999))
    await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1_001)
  })

  t('the scripts are reloaded after Redis forgets them (SCRIPT FLUSH)', async () => {
    const store = makeStore()
    const p = principal({ groupLimits: { rpm: 2 } })
    await store.admit({ principal: p, estimatedTokens: 0 }, T0)
    await redis!.conn.send('SCRIPT', ['FLUSH'])
    const r = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1)
    expect(r.headers['x-ratelimit-remaining-requests']).toBe('0')
  })
})

describe('redis: down', () => {
  t('on_error open admits (no headers) within 1 s and warns once a minute', async () => {
    const port = await freePort()
    const msgs: string[] = []
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, onError: 'open', warn: (m) => msgs.push(m) })
    stores.push(store)
    const p = principal({ groupLimits: { rpm: 1 } })
    const t0 = performance.now()
    const a = await store.admit({ principal: p, estimatedTokens: 0 }, T0)
    const b = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1)
    expect(performance.now() - t0).toBeLessThan(1_000)
    expect(a.headers).toEqual({})
    expect(b.headers).toEqual({})
    await store.release(a.ticket, { tokens: 1, costUsd: 1 }, T0 + 2)
    expect(msgs.length).toBe(1)
    expect(msgs[0]).toContain('on_error: open')
    await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 60_001)
    expect(msgs.length).toBe(2)
  })

  t('on_error closed refuses with 503 state_unavailable within 1 s', async () => {
    const port = await freePort()
    const store = createRedisStore({ url: `redis://127.0.0.1:${port}`, onError: 'closed', warn: () => {} })
    stores.push(store)
    const p = principal({ groupLimits: { rpm: 100 } })
    const t0 = performance.now()
    const err = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0))
    expect(performance.now() - t0).toBeLessThan(1_000)
    expect(err.status).toBe(503)
    expect(err.code).toBe('state_unavailable')
  })

  t('a Redis that stops answering (SIGSTOP) is bounded by the timeout; it recovers when back', async () => {
    const own = await startRedis()
    try {
      const store = createRedisStore({ url: own.url, onError: 'open', warn: () => {}, timeoutMs: 150 })
      stores.push(store)
      const p = principal({ groupLimits: { rpm: 5 } })
      expect((await store.admit({ principal: p, estimatedTokens: 0 }, T0)).headers['x-ratelimit-remaining-requests']).toBe('4')
      const pid = Number(((await own.conn.send('INFO', ['server'])) as string).match(/process_id:(\d+)/)![1])
      process.kill(pid, 'SIGSTOP')
      try {
        const t0 = performance.now()
        const r = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1)
        expect(performance.now() - t0).toBeLessThan(1_000)
        expect(r.headers).toEqual({})
      } finally {
        process.kill(pid, 'SIGCONT')
      }
      const back = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 2)
      expect(Number(back.headers['x-ratelimit-remaining-requests'])).toBeLessThan(4)
    } finally {
      await own.stop()
    }
  })
})

describe('redis: shared state', () => {
  t('sharedCounter is one sequence across replicas', async () => {
    const c2 = openRedis(redis!.url)
    try {
      const a = createRedisSharedState(redis!.conn, () => {})
      const b = createRedisSharedState(c2, () => {})
      const name = `rr-${Math.random()}`
      expect([await a.sharedCounter(name), await b.sharedCounter(name), await a.sharedCounter(name)]).toEqual([1, 2, 3])
      expect(Number(await redis!.conn.send('PTTL', [`llmproxy:counter:${name}`]))).toBeGreaterThan(0)
    } finally {
      c2.close()
    }
  })

  t('benchState is visible to other replicas and expires', async () => {
    const c2 = openRedis(redis!.url)
    try {
      const a = createRedisSharedState(redis!.conn, () => {})
      const b = createRedisSharedState(c2, () => {})
      const key = `openai:${Math.random()}`
      await a.benchState.set(key, 'benched:429', 150)
      expect(await b.benchState.get(key)).toBe('benched:429')
      await Bun.sleep(250)
      expect(await b.benchState.get(key)).toBeUndefined()
    } finally {
      c2.close()
    }
  })

  t('with Redis down it falls back to local state and warns', async () => {
    const down = openRedis(`redis://127.0.0.1:${await freePort()}`)
    const msgs: string[] = []
    const s = createRedisSharedState(down, (m) => msgs.push(m), { ownsConn: true })
    expect([await s.sharedCounter('x'), await s.sharedCounter('x')]).toEqual([1, 2])
    await s.benchState.set('k', 'v', 10_000)
    expect(await s.benchState.get('k')).toBe('v')
    expect(msgs.length).toBe(1)
    await s.close()
  })
})
