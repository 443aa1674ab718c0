import { describe, expect, test } from 'bun:test'
import { backoffMs, isKeyBound, isRetryableStatus, parseRetryAfter } from '../../../src/upstream/retry'
import { seededRandom } from '../../../src/routing/strategy'

const NOW = Date.parse('2025-01-01T00:00:00Z')
const h = (o: Record<string, string>) => new Headers(o)

describe('status classes', () => {
  test('retryable', () => {
    for (const s of [408, 409, 429, 500, 502, 503, 504, 529]) expect(isRetryableStatus(s)).toBe(true)
    for (const s of [200, 400, 401, 403, 404, 413, 422, 501]) expect(isRetryableStatus(s)).toBe(false)
  })

  test('key-bound', () => {
    for (const s of [401, 403, 429]) expect(isKeyBound(s)).toBe(true)
    for (const s of [400, 404, 408, 500, 503]) expect(isKeyBound(s)).toBe(false)
  })
})

describe('backoffMs', () => {
  test('full jitter within [0, min(max, base * 2^n))', () => {
    const r = seededRandom(3)
    for (let attempt = 0; attempt < 10; attempt++) {
      const ceiling = Math.min(8000, 250 * 2 ** attempt)
      let max = 0
      for (let i = 0; i < 500; i++) {
        const d = backoffMs(attempt, r)
        expect(d).toBeGreaterThanOrEqual(0)
        expect(d).toBeLessThan(ceiling)
        max = Math.max(max, d)
      }
      expect(max).toBeGreaterThan(ceiling * 0.9) // the jitter spans the range
    }
  })

  test('extremes of the random source', () => {
    expect(backoffMs(0, () => 0)).toBe(0)
    expect(backoffMs(2, () => 0.999999)).toBe(999)
    expect(backoffMs(100, () => 0.999999)).toBe(7999)
  })

  test('custom base and max', () => {
    expect(backoffMs(3, () => 0.5, { baseMs: 100, maxMs: 10_000 })).toBe(400)
    expect(backoffMs(3, () => 0.5, { baseMs: 100, maxMs: 500 })).toBe(250)
  })
})

describe('parseRetryAfter', () => {
  test('retry-after-ms wins', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '1500', 'retry-after': '9' }), NOW)).toBe(1500)
    expect(parseRetryAfter(h({ 'retry-after-ms': '12.3' }), NOW)).toBe(13)
  })

  test('seconds', () => {
    expect(parseRetryAfter(h({ 'retry-after': '20' }), NOW)).toBe(20_000)
    expect(parseRetryAfter(h({ 'retry-after': '0' }), NOW)).toBe(0)
    expect(parseRetryAfter(h({ 'retry-after': '1.5' }), NOW)).toBe(1500)
  })

  test('HTTP date, relative to now; past dates are 0', () => {
    expect(parseRetryAfter(h({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), NOW)).toBe(30_000)
    expect(parseRetryAfter(h({ 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), NOW)).toBe(0)
  })

  test('capped at max (default 60 s)', () => {
    expect(parseRetryAfter(h({ 'retry-after': '3600' }), NOW)).toBe(60_000)
    expect(parseRetryAfter(h({ 'retry-after-ms': '999999' }), NOW, 5000)).toBe(5000)
    expect(parseRetryAfter(h({ 'retry-after': 'Thu, 02 Jan 2025 00:00:00 GMT' }), NOW)).toBe(60_000)
  })

  test('absent or garbage', () => {
    expect(parseRetryAfter(h({}), NOW)).toBeUndefined()
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), NOW)).toBeUndefined()
    expect(parseRetryAfter(h({ 'retry-after': '-5' }), NOW)).toBeUndefined()
    expect(parseRetryAfter(h({ 'retry-after-ms': 'abc' }), NOW)).toBeUndefined()
    // a bad retry-after-ms falls through to retry-after
    expect(parseRetryAfter(h({ 'retry-after-ms': 'abc', 'retry-after': '2' }), NOW)).toBe(2000)
  })
})
