// One behavioural suite for every LimitStore: memory-store.test.ts and redis-store.test.ts run it.
import { describe, expect, test } from 'bun:test'
import type { LimitStore } from '../../../src/limits/limit-store'
import { principal, rejection, T0 } from './helpers'

type TestFn = typeof test

export function limitStoreSuite(label: string, t: TestFn, makeStore: () => LimitStore): void {
  describe(`${label}: rpm`, () => {
    t('counts requests, refuses the next one, rolls over the sliding window', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { rpm: 3 } })
      const remaining: string[] = []
      for (let i = 0; i < 3; i++) remaining.push((await store.admit({ principal: p, estimatedTokens: 0 }, T0 + i)).headers['x-ratelimit-remaining-requests'])
      expect(remaining).toEqual(['2', '1', '0'])

      const err = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 3))
      expect(err.status).toBe(429)
      expect(err.code).toBe('rate_limit_exceeded')
      // 3 in this window: the next minute starts with prev = 3 and decays to 2 after 20 s
      expect(err.retryAfter).toBe(80)
      expect(err.message).toContain(`rate limit of 3 requests per minute exceeded for group ${p.group}`)
      expect(err.message).not.toContain(p.key!.key!)
      expect(err.headers?.['x-ratelimit-remaining-requests']).toBe('0')

      // new window, the previous one still weighs fully at its start
      const next = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 60_000))
      expect(next.retryAfter).toBe(20)
      await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 79_999))
      const ok = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 80_000)
      expect(ok.headers['x-ratelimit-remaining-requests']).toBe('0')
      // two windows later everything has decayed
      const later = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 180_000)
      expect(later.headers['x-ratelimit-limit-requests']).toBe('3')
      expect(later.headers['x-ratelimit-remaining-requests']).toBe('2')
      expect(later.headers['x-ratelimit-reset-requests']).toBe('2m0s')
    })

    t('per key and per group: whichever is tighter refuses, named in the message', async () => {
      const store = makeStore()
      const group = `shared-${Math.random().toString(36).slice(2)}`
      const a = principal({ group, key: { rpm: 5 }, groupLimits: { rpm: 2 } })
      const b = principal({ group, key: { rpm: 5 }, groupLimits: { rpm: 2 } })
      await store.admit({ principal: a, estimatedTokens: 0 }, T0)
      await store.admit({ principal: a, estimatedTokens: 0 }, T0 + 1)
      const err = await rejection(store.admit({ principal: b, estimatedTokens: 0 }, T0 + 2))
      expect(err.message).toContain(`for group ${group}`)

      const solo = principal({ key: { rpm: 1 }, groupLimits: { rpm: 10 } })
      await store.admit({ principal: solo, estimatedTokens: 0 }, T0)
      const keyErr = await rejection(store.admit({ principal: solo, estimatedTokens: 0 }, T0 + 1))
      expect(keyErr.message).toContain(`for key ${solo.name}`)
      expect(keyErr.message).not.toContain(solo.key!.key!)
    })

    t('headers carry the tightest of key and group', async () => {
      const store = makeStore()
      const p = principal({ key: { rpm: 5, tpm: 10_000 }, groupLimits: { rpm: 10, tpm: 1_000 } })
      const { headers } = await store.admit({ principal: p, estimatedTokens: 100 }, T0 + 15_000)
      expect(headers).toEqual({
        'x-ratelimit-limit-requests': '5',
        'x-ratelimit-remaining-requests': '4',
        'x-ratelimit-reset-requests': '1m45s',
        'x-ratelimit-limit-tokens': '1000',
        'x-ratelimit-remaining-tokens': '900',
        'x-ratelimit-reset-tokens': '1m45s',
      })
    })
  })

  describe(`${label}: tpm`, () => {
    t('reserves the estimate at admission, counts the real usage at release', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { tpm: 1_000 } })
      const first = await store.admit({ principal: p, estimatedTokens: 600 }, T0)
      expect(first.headers['x-ratelimit-remaining-tokens']).toBe('400')
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 500 }, T0 + 1))
      expect(err.code).toBe('rate_limit_exceeded')
      expect(err.message).toContain('1000 tokens per minute')
      await store.release(first.ticket, { tokens: 100, costUsd: 0 }, T0 + 2)
      const second = await store.admit({ principal: p, estimatedTokens: 500 }, T0 + 3)
      expect(second.headers['x-ratelimit-remaining-tokens']).toBe('400')
    })

    t('usage is counted when the response ends, in that window', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { tpm: 1_000 } })
      const a = await store.admit({ principal: p, estimatedTokens: 600 }, T0)
      // ends 70 s later, in the next window: the reservation leaves the old window, 300 land now
      await store.release(a.ticket, { tokens: 300, costUsd: 0 }, T0 + 70_000)
      const b = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 70_000)
      expect(b.headers['x-ratelimit-remaining-tokens']).toBe('700')
    })

    t('a request larger than the whole limit runs only in an empty window', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { tpm: 100 } })
      const big = await store.admit({ principal: p, estimatedTokens: 500 }, T0)
      expect(big.headers['x-ratelimit-remaining-tokens']).toBe('0')
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 1 }, T0 + 1))
      expect(err.retryAfter).toBeGreaterThan(60)
    })
  })

  describe(`${label}: max_concurrent`, () => {
    t('takes slots, frees them on release, and release is idempotent', async () => {
      const store = makeStore()
      const p = principal({ key: { max_concurrent: 2 } })
      const a = await store.admit({ principal: p, estimatedTokens: 0 }, T0)
      await store.admit({ principal: p, estimatedTokens: 0 }, T0)
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0))
      expect(err.status).toBe(429)
      expect(err.message).toContain(`limit of 2 concurrent requests reached for key ${p.name}`)
      expect(err.retryAfter).toBe(1)
      // every exit path calls release: success, error, disconnect — only the first one counts
      await store.release(a.ticket, { tokens: 0, costUsd: 0 }, T0 + 1)
      await store.release(a.ticket, { tokens: 0, costUsd: 0 }, T0 + 1)
      await store.release(a.ticket, { tokens: 5, costUsd: 1 }, T0 + 1)
      await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 2)
      await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 3))
    })

    t('a refused request takes no slot and counts no request', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { max_concurrent: 1, rpm: 3 } })
      const a = await store.admit({ principal: p, estimatedTokens: 0 }, T0)
      await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1))
      await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 2))
      await store.release(a.ticket, { tokens: 0, costUsd: 0 }, T0 + 3)
      const b = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 4)
      expect(b.headers['x-ratelimit-remaining-requests']).toBe('1')
    })
  })

  describe(`${label}: budgets`, () => {
    t('spend per UTC day; exhausted until the day ends, with the reset time in the message', async () => {
      const store = makeStore()
      const p = principal({ groupLimits: { budget: { usd: 25, per: 'day' } } })
      const a = await store.admit({ principal: p, estimatedTokens: 0 }, T0)
      await store.release(a.ticket, { tokens: 10, costUsd: 24.99 }, T0 + 1)
      const b = await store.admit({ principal: p, estimatedTokens: 0 }, T0 + 2)
      await store.release(b.ticket, { tokens: 10, costUsd: 0.02 }, T0 + 3)
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 4))
      expect(err.status).toBe(429)
      expect(err.code).toBe('budget_exceeded')
      expect(err.message).toBe(`budget of $25/day for group ${p.group} exhausted; resets at 2026-11-30T00:00:00Z`)
      expect(err.retryAfter).toBe(12 * 3600)
      await rejection(store.admit({ principal: p, estimatedTokens: 0 }, Date.UTC(2026, 10, 29, 23, 59, 59, 999)))
      await store.admit({ principal: p, estimatedTokens: 0 }, Date.UTC(2026, 10, 30))
    })

    t('per key, per month', async () => {
      const store = makeStore()
      const p = principal({ key: { budget: { usd: 1, per: 'month' } } })
      const a = await store.admit({ principal: p, estimatedTokens: 0 }, T0)
      await store.release(a.ticket, { tokens: 1, costUsd: 1.5 }, T0)
      const err = await rejection(store.admit({ principal: p, estimatedTokens: 0 }, T0 + 1))
      expect(err.message).toBe(`budget of $1/month for key ${p.name} exhausted; resets at 2026-12-01T00:00:00Z`)
      await store.admit({ principal: p, estimatedTokens: 0 }, Date.UTC(2026, 11, 1))
    })
  })

  describe(`${label}: no limits`, () => {
    t('no headers, and release is a no-op', async () => {
      const store = makeStore()
      const p = principal()
      const r = await store.admit({ principal: p, estimatedTokens: 1_000_000 }, T0)
      expect(r.headers).toEqual({})
      await store.release(r.ticket, { tokens: 1, costUsd: 1 }, T0)
      await store.release(r.ticket, { tokens: 1, costUsd: 1 }, T0)
    })
  })
}
