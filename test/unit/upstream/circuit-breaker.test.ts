import { describe, expect, test } from 'bun:test'
import { CircuitBreaker, CircuitBreakers, orderByHealth } from '../../../src/upstream/circuit-breaker'

function feed(b: CircuitBreaker, outcomes: string, start = 0, step = 1000): number {
  let t = start
  for (const c of outcomes) {
    b.record(c === '1', t)
    t += step
  }
  return t
}

describe('CircuitBreaker', () => {
  test('stays closed below 5 attempts even when all fail', () => {
    const b = new CircuitBreaker()
    feed(b, '0000')
    expect(b.state).toBe('closed')
    expect(b.allow(5000)).toBe(true)
  })

  test('opens at 5 attempts with ≥ 50% failures', () => {
    const b = new CircuitBreaker()
    feed(b, '11000')
    expect(b.state).toBe('open')
    expect(b.allow(5000)).toBe(false)
  })

  test('stays closed under 50% failures', () => {
    const b = new CircuitBreaker()
    feed(b, '1110111011')
    expect(b.state).toBe('closed')
  })

  test('only the last 20 attempts count', () => {
    const b = new CircuitBreaker()
    // 20 successes, then 10 failures interleaved: 9 of the last 20 fail → closed
    feed(b, '1'.repeat(20) + '10'.repeat(9) + '1')
    expect(b.state).toBe('closed')
    // one more failure makes it 10 of the last 20
    b.record(false, 39_000)
    expect(b.state).toBe('open')
  })

  test('only attempts within 60 s count', () => {
    const b = new CircuitBreaker()
    feed(b, '0000', 0, 1000) // t = 0..3 s
    b.record(false, 70_000) // the four old failures are out of the window
    expect(b.state).toBe('closed')
    feed(b, '0000', 71_000)
    expect(b.state).toBe('open')
  })

  test('open → half_open after the cooldown lets exactly one probe through', () => {
    const b = new CircuitBreaker({ cooldownMs: 30_000 })
    feed(b, '00000', 0) // opens at t = 4000
    expect(b.allow(33_999)).toBe(false)
    expect(b.stateAt(33_999)).toBe('open')
    expect(b.stateAt(34_000)).toBe('half_open')
    expect(b.allow(34_000)).toBe(true)
    expect(b.state).toBe('half_open')
    expect(b.allow(34_001)).toBe(false)
    expect(b.allow(50_000)).toBe(false)
  })

  test('probe success closes, with a clean window', () => {
    const b = new CircuitBreaker()
    feed(b, '00000')
    expect(b.allow(40_000)).toBe(true)
    b.record(true, 40_100)
    expect(b.state).toBe('closed')
    feed(b, '0000', 41_000)
    expect(b.state).toBe('closed') // old failures were forgotten
  })

  test('probe failure opens again for another cooldown', () => {
    const b = new CircuitBreaker()
    feed(b, '00000')
    expect(b.allow(40_000)).toBe(true)
    b.record(false, 40_100)
    expect(b.state).toBe('open')
    expect(b.allow(60_000)).toBe(false)
    expect(b.allow(70_100)).toBe(true)
  })

  test('a lost probe is replaced after the cooldown', () => {
    const b = new CircuitBreaker()
    feed(b, '00000')
    expect(b.allow(40_000)).toBe(true)
    expect(b.allow(69_999)).toBe(false)
    expect(b.allow(70_000)).toBe(true)
  })

  test('results arriving while open are ignored', () => {
    const b = new CircuitBreaker()
    feed(b, '00000')
    b.record(true, 5000)
    expect(b.state).toBe('open')
  })
})

describe('CircuitBreakers and orderByHealth', () => {
  const attempts = [{ target: 'a/1' }, { target: 'b/2' }, { target: 'c/3' }]

  test('all healthy (or unknown): the same array', () => {
    const reg = new CircuitBreakers()
    reg.get('a/1').record(true, 0)
    expect(orderByHealth(attempts, reg, 0)).toBe(attempts)
    expect(reg.find('b/2')).toBeUndefined() // ordering creates no breakers
  })

  test('open circuits move to the end, in order', () => {
    const reg = new CircuitBreakers()
    feed(reg.get('a/1'), '00000')
    feed(reg.get('b/2'), '00000')
    expect(orderByHealth(attempts, reg, 5000).map((a) => a.target)).toEqual(['c/3', 'a/1', 'b/2'])
    expect(reg.unhealthy(5000)).toEqual([
      { target: 'a/1', state: 'open' },
      { target: 'b/2', state: 'open' },
    ])
  })

  test('all open: nothing is dropped, the first stays first', () => {
    const reg = new CircuitBreakers()
    for (const a of attempts) feed(reg.get(a.target), '00000')
    expect(orderByHealth(attempts, reg, 5000)).toEqual(attempts)
  })

  test('half-open: the probe goes to the first request only', () => {
    const reg = new CircuitBreakers()
    feed(reg.get('a/1'), '00000') // opens at 4000
    expect(orderByHealth(attempts, reg, 40_000)[0].target).toBe('a/1')
    expect(orderByHealth(attempts, reg, 40_001).map((a) => a.target)).toEqual(['b/2', 'c/3', 'a/1'])
  })

  test('options reach every breaker', () => {
    const reg = new CircuitBreakers({ minAttempts: 2, cooldownMs: 10 })
    feed(reg.get('x'), '00')
    expect(reg.get('x').state).toBe('open')
    expect(reg.get('x').allow(1010)).toBe(true)
  })
})
