// Admission reserves an estimate against budgets and tpm; release settles it to the real figure
// (released on failure with a zero usage). Same behaviour in memory and on a real Redis; Redis
// also frees a crashed replica's reservation at the end of its lease, and never settles twice.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createMemoryStore } from '../../../src/limits/memory-store'
import { createRedisStore } from '../../../src/limits/redis-store'
import type { LimitStore } from '../../../src/limits/limit-store'
import { hasRedisServer, principal, rejection, startRedis, T0, type TestRedis } from './helpers'

let redis: TestRedis | undefined
const stores: LimitStore[] = []
beforeAll(async () => {
  if (hasRedisServer()) redis = await startRedis()
})
afterAll(async () => {
  for (const s of stores) await s.close()
  await redis?.stop()
})

const makers: Array<[string, () => LimitStore]> = [['memory', () => createMemoryStore()]]
if (hasRedisServer())
  makers.push([
    'redis',
    () => {
      const s = createRedisStore({ url: redis!.url, onError: 'closed', warn: () => {}, leaseMs: 60_000 })
      stores.push(s)
      return s
    },
  ])

for (const [label, make] of makers)
  describe(`${label}: reservations`, () => {
    test('running requests reserve their cost: admission stops once spent + reserved reaches the budget', async () => {
      const store = make()
      const p = principal({ key: { budget: { usd: 1, per: 'day' } } })
      const admitted = []
      for (let i = 0; i < 3; i++) admitted.push(await store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + i))
      // 3 × 0.4 reserved ≥ $1: the fourth waits for a settle
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + 3))
      expect(err.code).toBe('budget_exceeded')
      // one failed (nothing spent): its reservation is released, room again
      await store.release(admitted[0].ticket, { tokens: 0, costUsd: 0 }, T0 + 4)
      const again = await store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + 5)
      // two settle at their real (smaller) cost: 0.4 reserved + 0.2 spent
      await store.release(admitted[1].ticket, { tokens: 10, costUsd: 0.1 }, T0 + 6)
      await store.release(admitted[2].ticket, { tokens: 10, costUsd: 0.1 }, T0 + 7)
      await store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + 8)
      await rejection(store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + 9))
      // a second release of the same ticket changes nothing
      await store.release(admitted[1].ticket, { tokens: 10, costUsd: 0.1 }, T0 + 10)
      await store.release(again.ticket, { tokens: 10, costUsd: 0.1 }, T0 + 11)
      await store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0.4 }, T0 + 12)
    })

    test('the first request is admitted even when its estimate alone exceeds the budget', async () => {
      const store = make()
      const p = principal({ key: { budget: { usd: 0.01, per: 'day' } } })
      await store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 5 }, T0)
      await rejection(store.admit({ principal: p, estimatedTokens: 10, estimatedCostUsd: 0 }, T0 + 1))
    })
  })

describe.skipIf(!hasRedisServer())('redis: reservations', () => {
  test('a replica that crashed holding a reservation: it is freed when its lease ends', async () => {
    const store = createRedisStore({ url: redis!.url, onError: 'closed', warn: () => {}, leaseMs: 1_000 })
    stores.push(store)
    const p = principal({ key: { budget: { usd: 1, per: 'day' } } })
    await store.admit({ principal: p, estimatedTokens: 1, estimatedCostUsd: 2 }, T0)
    await rejection(store.admit({ principal: p, estimatedTokens: 1, estimatedCostUsd: 0.1 }, T0 + 500))
    // never released (the replica died); after the lease the reservation no longer counts
    await store.admit({ principal: p, estimatedTokens: 1, estimatedCostUsd: 0.1 }, T0 + 1_001)
  })

  test('a settle that cannot reach Redis is queued and lands once Redis answers again', async () => {
    const r2 = await startRedis()
    const store = createRedisStore({ url: r2.url, onError: 'closed', warn: () => {}, timeoutMs: 200 })
    const p = principal({ key: { budget: { usd: 1, per: 'day' } } })
    const now = Date.now()
    const t = await store.admit({ principal: p, estimatedTokens: 1, estimatedCostUsd: 0.1 }, now)
    // the connection breaks: the settle is kept, not lost
    await r2.conn.send('CLIENT', ['KILL', 'TYPE', 'normal', 'SKIPME', 'yes'])
    await store.release(t.ticket, { tokens: 5, costUsd: 0.25 }, now + 1)
    expect(store.pendingSettles!()).toBe(1)
    const spendKeys = async () => (await r2.conn.send('KEYS', ['llmproxy:spend:*'])) as string[]
    const deadline = Date.now() + 5000
    let spent = 0
    while (Date.now() < deadline) {
      const keys = await spendKeys().catch(() => [])
      if (keys.length) spent = Number(await r2.conn.send('GET', [keys[0]]))
      if (spent > 0) break
      await Bun.sleep(100)
    }
    expect(spent).toBeCloseTo(0.25, 9)
    expect(store.pendingSettles!()).toBe(0)
    await store.close()
    await r2.stop()
  })
})
