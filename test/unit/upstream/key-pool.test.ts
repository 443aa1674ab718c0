import { describe, expect, test } from 'bun:test'
import { KeyPool, KeyPools } from '../../../src/upstream/key-pool'
import { provider } from '../routing/make-config'

const take = (p: KeyPool, n: number, now: number) => Array.from({ length: n }, () => p.next(now))

describe('KeyPool', () => {
  test('round-robin over the keys', () => {
    expect(take(new KeyPool(['a', 'b', 'c']), 7, 0)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a'])
  })

  test('no keys: undefined', () => {
    expect(new KeyPool([]).next(0)).toBeUndefined()
  })

  test('auth bench skips the key until reload', () => {
    const p = new KeyPool(['a', 'b', 'c'])
    p.bench('b', 'auth')
    expect(take(p, 4, 0)).toEqual(['a', 'c', 'a', 'c'])
    expect(take(p, 2, 10 * 365 * 86_400_000)).toEqual(['a', 'c'])
    expect(p.state(0)).toEqual({ total: 3, healthy: 2, benched: 1, auth: 1, rate: 0 })
    p.clearAuthBenches()
    expect(take(p, 3, 0).sort()).toEqual(['a', 'b', 'c'])
  })

  test('rate bench: until the given time, then back in rotation', () => {
    const p = new KeyPool(['a', 'b'])
    p.bench('a', 'rate', 5_000)
    expect(take(p, 3, 1_000)).toEqual(['b', 'b', 'b'])
    expect(p.isBenched('a', 4_999)).toBe(true)
    expect(take(p, 2, 5_000)).toEqual(['a', 'b'])
    expect(p.state(5_000).benched).toBe(0)
  })

  test('rate bench without a time: 30 s from the hand-out (or the given now)', () => {
    const p = new KeyPool(['a', 'b'])
    expect(p.next(100_000)).toBe('a')
    p.bench('a', 'rate')
    expect(p.next(129_999)).toBe('b')
    expect(p.next(129_999)).toBe('b')
    expect(p.next(130_000)).toBe('a')
    p.bench('b', 'rate', undefined, 200_000)
    expect(p.isBenched('b', 229_999)).toBe(true)
    expect(p.isBenched('b', 230_000)).toBe(false)
  })

  test('all benched: the one free soonest, never nothing', () => {
    const p = new KeyPool(['a', 'b', 'c'])
    p.bench('a', 'rate', 9_000)
    p.bench('b', 'rate', 3_000)
    p.bench('c', 'auth')
    expect(take(p, 2, 0)).toEqual(['b', 'b'])
    expect(p.state(0)).toEqual({ total: 3, healthy: 0, benched: 3, auth: 1, rate: 2 })
  })

  test('all auth-benched still returns a key', () => {
    const p = new KeyPool(['a'])
    p.bench('a', 'auth')
    expect(p.next(0)).toBe('a')
  })

  test('a shorter bench does not shorten a longer one; unknown keys are ignored', () => {
    const p = new KeyPool(['a', 'b'])
    p.bench('a', 'auth')
    p.bench('a', 'rate', 10)
    expect(p.isBenched('a', 1e12)).toBe(true)
    p.bench('zzz', 'auth')
    expect(p.state(0).benched).toBe(1)
  })
})

describe('KeyPools', () => {
  test('one pool per provider, kept while the keys are the same', () => {
    const pools = new KeyPools()
    const a = provider('a', 'openai-chat', { api_keys: ['k1', 'k2'] })
    const pool = pools.pool(a)
    expect(pools.pool(a)).toBe(pool)
    pool.bench('k1', 'rate', 50_000)
    pool.bench('k2', 'auth')
    expect(pools.states(0)).toEqual([{ provider: 'a', total: 2, healthy: 0, benched: 2, auth: 1, rate: 1 }])
  })

  test('retain across reloads: same keys kept (auth benches cleared), changed or removed dropped', () => {
    const pools = new KeyPools()
    const a = provider('a', 'openai-chat', { api_keys: ['k1', 'k2'] })
    const b = provider('b', 'openai-chat', { api_keys: ['x'] })
    const c = provider('c', 'openai-chat', { api_keys: ['y'] })
    const pa = pools.pool(a)
    const pb = pools.pool(b)
    pools.pool(c)
    pa.bench('k1', 'rate', 50_000)
    pa.bench('k2', 'auth')

    const a2 = provider('a', 'openai-chat', { api_keys: ['k1', 'k2'] })
    const b2 = provider('b', 'openai-chat', { api_keys: ['x', 'z'] })
    pools.retain([a2, b2])
    expect(pools.pool(a2)).toBe(pa)
    expect(pa.state(0)).toMatchObject({ auth: 0, rate: 1 })
    expect(pools.pool(b2)).not.toBe(pb)
    expect(pools.states(0).map((s) => s.provider)).toEqual(['a', 'b'])
  })

  test('a provider whose keys changed without retain gets a fresh pool', () => {
    const pools = new KeyPools()
    const p1 = pools.pool(provider('a', 'openai-chat', { api_keys: ['k1'] }))
    const p2 = pools.pool(provider('a', 'openai-chat', { api_keys: ['k2'] }))
    expect(p2).not.toBe(p1)
    expect(p2.next(0)).toBe('k2')
  })
})
