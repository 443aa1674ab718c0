import { describe, expect, test } from 'bun:test'
import {
  formatDuration,
  limitError,
  limitHeaders,
  periodEnd,
  periodStart,
  scaledCount,
  tokensNeeded,
  violates,
  violations,
  WINDOW_MS,
  windowWaitMs,
  type Scope,
  type ScopeCounts,
} from '../../../src/limits/limiter'
import { T0 } from './helpers'

const iso = (ms: number) => new Date(ms).toISOString()
const zero: ScopeCounts = { rpmCur: 0, rpmPrev: 0, tpmCur: 0, tpmPrev: 0, active: 0, spent: 0 }

describe('calendar periods (UTC)', () => {
  test('day', () => {
    expect(iso(periodStart(T0, 'day'))).toBe('2026-11-29T00:00:00.000Z')
    expect(iso(periodEnd(T0, 'day'))).toBe('2026-11-30T00:00:00.000Z')
    expect(iso(periodEnd(Date.UTC(2026, 11, 31, 23, 59, 59, 999), 'day'))).toBe('2027-01-01T00:00:00.000Z')
  })

  test('week starts on Monday', () => {
    // T0 is a Sunday: its week began on Monday the 23rd
    expect(iso(periodStart(T0, 'week'))).toBe('2026-11-23T00:00:00.000Z')
    expect(iso(periodEnd(T0, 'week'))).toBe('2026-11-30T00:00:00.000Z')
    const monday = Date.UTC(2026, 10, 30)
    expect(periodStart(monday, 'week')).toBe(monday)
    expect(iso(periodEnd(monday, 'week'))).toBe('2026-12-07T00:00:00.000Z')
  })

  test('month, across the year and a leap February', () => {
    expect(iso(periodStart(T0, 'month'))).toBe('2026-11-01T00:00:00.000Z')
    expect(iso(periodEnd(Date.UTC(2026, 11, 15), 'month'))).toBe('2027-01-01T00:00:00.000Z')
    expect(iso(periodEnd(Date.UTC(2028, 1, 29, 12), 'month'))).toBe('2028-03-01T00:00:00.000Z')
  })
})

describe('sliding window', () => {
  test('the previous window weighs less as the current one advances', () => {
    expect(scaledCount(60, 0, T0) / WINDOW_MS).toBe(60)
    expect(scaledCount(60, 10, T0 + 30_000) / WINDOW_MS).toBe(40)
    expect(scaledCount(60, 10, T0 + 59_999) / WINDOW_MS).toBeCloseTo(10, 2)
  })

  test('windowWaitMs is the first instant the request fits (checked against violates)', () => {
    let seed = 7
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n)
    for (let i = 0; i < 2_000; i++) {
      const limit = 1 + rand(50)
      const counts = { ...zero, rpmPrev: rand(limit + 5), rpmCur: rand(limit + 2) }
      const scope: Scope = { id: 's', label: 'group s', rpm: limit }
      const now = T0 + rand(WINDOW_MS)
      if (!violates(scope, counts, 0, now)) continue
      const wait = windowWaitMs(counts.rpmPrev, counts.rpmCur, 1, limit, now)
      expect(wait).toBeGreaterThan(0)
      // roll the counts forward as a store would
      const at = (t: number): ScopeCounts =>
        t - (t % WINDOW_MS) === T0 ? counts : t - (t % WINDOW_MS) === T0 + WINDOW_MS ? { ...zero, rpmPrev: counts.rpmCur } : zero
      expect(violates(scope, at(now + wait), 0, now + wait)).toBe(false)
      expect(violates(scope, at(now + wait - 1), 0, now + wait - 1)).toBe(true)
    }
  })

  test('tokens needed: at least 1, at most the limit', () => {
    expect(tokensNeeded(0, 100)).toBe(1)
    expect(tokensNeeded(50, 100)).toBe(50)
    expect(tokensNeeded(500, 100)).toBe(100)
  })
})

describe('errors and headers', () => {
  const group: Scope = { id: 'group:batch', label: 'group batch', rpm: 2, budget: { usd: 25, per: 'day' } }

  test('the longest-lasting violation is the one reported', () => {
    const counts = { ...zero, rpmCur: 2, spent: 30 }
    const vs = violations(group, counts, 0, T0)
    expect(vs.map((v) => v.kind)).toEqual(['rpm', 'budget'])
    const err = limitError(vs, T0)
    expect(err.code).toBe('budget_exceeded')
    expect(err.message).toBe('budget of $25/day for group batch exhausted; resets at 2026-11-30T00:00:00Z')
    expect(err.retryAfter).toBe(43_200)
    expect(err.retryable).toBe(false)
  })

  test('formatDuration uses the OpenAI reset format', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(20)).toBe('20ms')
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(90_000)).toBe('1m30s')
    expect(formatDuration(3_600_000 + 1_000)).toBe('1h0m1s')
  })

  test('no rpm or tpm anywhere: no headers', () => {
    expect(limitHeaders([{ id: 'k', label: 'key k', maxConcurrent: 2 }], [zero], T0)).toEqual({})
  })
})
