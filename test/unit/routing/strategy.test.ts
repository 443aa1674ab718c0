import { describe, expect, test } from 'bun:test'
import { pickFirst, pickWeighted, seededRandom } from '../../../src/routing/strategy'

const w = (...weights: number[]) => weights.map((weight) => ({ weight }))
const never = () => {
  throw new Error('counter must not be read')
}

function histogram(n: number, pick: () => number, size: number): number[] {
  const h = new Array<number>(size).fill(0)
  for (let i = 0; i < n; i++) h[pick()]++
  return h.map((c) => c / n)
}

describe('pickFirst', () => {
  test('fallback is always 0', () => {
    expect(pickFirst('fallback', w(1, 1, 1), () => 0.99, never)).toBe(0)
  })

  test('a single target needs no random and no counter', () => {
    for (const s of ['round_robin', 'random', 'weighted', 'fallback'] as const) expect(pickFirst(s, w(1), never, never)).toBe(0)
  })

  test('round_robin uses the counter modulo n', () => {
    expect([0, 1, 2, 3, 7].map((c) => pickFirst('round_robin', w(1, 1, 1), never, () => c))).toEqual([0, 1, 2, 0, 1])
  })

  test('random is uniform within tolerance', () => {
    const r = seededRandom(42)
    const h = histogram(10_000, () => pickFirst('random', w(1, 1, 1, 1), r, never), 4)
    for (const p of h) expect(Math.abs(p - 0.25)).toBeLessThan(0.02)
  })

  test('random never returns n even if the source returns 1', () => {
    expect(pickFirst('random', w(1, 1), () => 1, never)).toBe(1)
  })

  test('weighted 0.7 / 0.2 / 0.1 within tolerance over 10,000 picks', () => {
    const r = seededRandom(1)
    const h = histogram(10_000, () => pickFirst('weighted', w(0.7, 0.2, 0.1), r, never), 3)
    expect(Math.abs(h[0] - 0.7)).toBeLessThan(0.02)
    expect(Math.abs(h[1] - 0.2)).toBeLessThan(0.02)
    expect(Math.abs(h[2] - 0.1)).toBeLessThan(0.02)
  })

  test('weights need not sum to 1', () => {
    const r = seededRandom(9)
    const h = histogram(10_000, () => pickFirst('weighted', w(3, 1), r, never), 2)
    expect(Math.abs(h[0] - 0.75)).toBeLessThan(0.02)
  })
})

describe('pickWeighted', () => {
  test('boundaries', () => {
    expect(pickWeighted(w(1, 1), 0)).toBe(0)
    expect(pickWeighted(w(1, 1), 0.49)).toBe(0)
    expect(pickWeighted(w(1, 1), 0.5)).toBe(1)
    expect(pickWeighted(w(1, 1), 0.9999)).toBe(1)
  })

  test('zero-weight targets are never first', () => {
    for (const r of [0, 0.3, 0.6, 0.99]) expect(pickWeighted(w(0, 1, 0), r)).toBe(1)
  })

  test('all-zero weights fall back to the first target', () => {
    expect(pickWeighted(w(0, 0), 0.7)).toBe(0)
  })
})

describe('seededRandom', () => {
  test('is deterministic per seed and in [0, 1)', () => {
    const a = seededRandom(5)
    const b = seededRandom(5)
    const c = seededRandom(6)
    const xs = Array.from({ length: 1000 }, a)
    expect(Array.from({ length: 1000 }, b)).toEqual(xs)
    expect(c()).not.toBe(xs[0])
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })
})
