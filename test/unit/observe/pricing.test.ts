import { describe, expect, test } from 'bun:test'
import { costOf, costUsd, priceFor, type PricingTable } from '../../../src/observe/pricing'

const pricing: PricingTable = [
  { pattern: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } },
  { pattern: 'gpt-4o*', price: { input: 2.5, output: 10, cache_read: 1.25 } },
  { pattern: 'claude-sonnet-4*', price: { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 } },
  { pattern: '*', price: { input: 100, output: 100 } },
]

describe('priceFor', () => {
  test('first matching entry wins, exact or glob', () => {
    expect(priceFor(pricing, 'gpt-4o-mini')?.input).toBe(0.15)
    expect(priceFor(pricing, 'gpt-4o-2024-08-06')?.input).toBe(2.5)
    expect(priceFor(pricing, 'claude-sonnet-4-5')?.output).toBe(15)
    expect(priceFor(pricing, 'llama-3')?.input).toBe(100)
    expect(priceFor(pricing.slice(0, 3), 'llama-3')).toBeUndefined()
  })

  test('the memo answers the same as a fresh lookup', () => {
    const table: PricingTable = [{ pattern: 'm-?', price: { input: 1, output: 2 } }]
    expect(priceFor(table, 'm-1')).toBe(table[0].price)
    expect(priceFor(table, 'm-1')).toBe(table[0].price)
    expect(priceFor(table, 'm-12')).toBeUndefined()
    expect(priceFor(table, 'm-12')).toBeUndefined()
  })
})

describe('costUsd', () => {
  test('plain input and output, per million tokens', () => {
    expect(costUsd(pricing, 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 2_000_000 })).toEqual({
      usd: 0.15 + 1.2,
      priced: true,
    })
  })

  test('cache reads and writes are carved out of input and billed at their own prices', () => {
    // 10k input of which 6k cache read and 1k cache write: 3k fresh.
    const usage = { inputTokens: 10_000, outputTokens: 500, cacheReadTokens: 6_000, cacheWriteTokens: 1_000 }
    const { usd, priced } = costUsd(pricing, 'claude-sonnet-4-20250514', usage)
    expect(priced).toBe(true)
    expect(usd).toBeCloseTo((3_000 * 3 + 6_000 * 0.3 + 1_000 * 3.75 + 500 * 15) / 1e6, 12)
  })

  test('missing cache prices default to the input price; reasoning is inside output', () => {
    const usage = { inputTokens: 1_000, outputTokens: 800, cacheReadTokens: 400, cacheWriteTokens: 100, reasoningTokens: 300 }
    // gpt-4o has cache_read but no cache_write
    expect(costUsd(pricing, 'gpt-4o', usage).usd).toBeCloseTo((500 * 2.5 + 400 * 1.25 + 100 * 2.5 + 800 * 10) / 1e6, 12)
    // no cache prices at all: same as billing all input at the input price
    expect(costOf({ input: 2, output: 4 }, usage)).toBeCloseTo((1_000 * 2 + 800 * 4) / 1e6, 12)
  })

  test('inconsistent usage (cache larger than input) never bills negative fresh input', () => {
    const usd = costOf({ input: 1, output: 1, cache_read: 0.5 }, { inputTokens: 100, outputTokens: 0, cacheReadTokens: 300 })
    expect(usd).toBeCloseTo((300 * 0.5) / 1e6, 12)
  })

  test('unknown model: zero and not priced', () => {
    expect(costUsd(pricing.slice(0, 3), 'mistral-large', { inputTokens: 5, outputTokens: 5 })).toEqual({ usd: 0, priced: false })
    expect(costUsd([], 'anything', { inputTokens: 5, outputTokens: 5 })).toEqual({ usd: 0, priced: false })
  })
})
