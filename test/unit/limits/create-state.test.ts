import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Config } from '../../../src/config/types'
import { createLimitStore, createState } from '../../../src/limits'
import { hasRedisServer, principal, rejection, startRedis, T0, type TestRedis } from './helpers'

const configWith = (state: Config['state']): Config =>
  ({ server: { request_timeout: 300_000 }, state }) as unknown as Config

const available = hasRedisServer()
const t = available ? test : test.skip
let redis: TestRedis | undefined
beforeAll(async () => {
  if (available) redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

describe('createLimitStore / createState', () => {
  test('empty state.redis: in-process limits', async () => {
    const store = createLimitStore(configWith({ redis: '', on_error: 'open' }), { warn: () => {} })
    const p = principal({ groupLimits: { rpm: 1 } })
    await store.admit({ principal: p, estimatedTokens: 0 }, T0)
    expect((await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0))).status).toBe(429)
  })

  t('state.redis set: limits and shared state over one Redis connection', async () => {
    const cfg = configWith({ redis: redis!.url, on_error: 'closed' })
    const a = createState(cfg, { warn: () => {} })
    const b = createState(cfg, { warn: () => {} })
    try {
      const p = principal({ groupLimits: { rpm: 1 } })
      await a.limits.admit({ principal: p, estimatedTokens: 0 }, T0)
      expect((await rejection(b.limits.admit({ principal: p, estimatedTokens: 0 }, T0))).status).toBe(429)
      const name = `rr-${Math.random()}`
      expect([await a.shared.sharedCounter(name), await b.shared.sharedCounter(name)]).toEqual([1, 2])
    } finally {
      await a.close()
      await b.close()
    }
  })
})
