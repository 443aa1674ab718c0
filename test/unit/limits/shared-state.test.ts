import { describe, expect, test } from 'bun:test'
import { createMemorySharedState } from '../../../src/limits/shared-state'

describe('memory shared state', () => {
  test('counters count per name', async () => {
    const s = createMemorySharedState()
    expect([await s.sharedCounter('a'), await s.sharedCounter('a'), await s.sharedCounter('b')]).toEqual([1, 2, 1])
  })

  test('bench states expire after their TTL', async () => {
    let now = 1_000
    const s = createMemorySharedState(() => now)
    await s.benchState.set('openai#0', 'benched', 500)
    expect(await s.benchState.get('openai#0')).toBe('benched')
    now += 500
    expect(await s.benchState.get('openai#0')).toBeUndefined()
  })
})
