import { describe, expect, test } from 'bun:test'
import { DEFAULT_OUTPUT_ESTIMATE, estimateRequest, requestedMaxOutput } from '../../../src/limits/estimate'

const pricing = [
  { pattern: 'cheap-*', price: { input: 1, output: 2 } },
  { pattern: 'dear-*', price: { input: 10, output: 20 } },
]

describe('admission estimate', () => {
  test('the output cap comes from whichever field the dialect uses', () => {
    expect(requestedMaxOutput({ max_tokens: 100 })).toBe(100)
    expect(requestedMaxOutput({ max_completion_tokens: 200 })).toBe(200)
    expect(requestedMaxOutput({ max_output_tokens: 300 })).toBe(300)
    expect(requestedMaxOutput({ generationConfig: { maxOutputTokens: 400 } })).toBe(400)
    expect(requestedMaxOutput({ max_tokens: -1 })).toBeUndefined()
    expect(requestedMaxOutput({ max_tokens: '5' })).toBeUndefined()
  })

  test('tokens: body bytes / 4 plus the cap (or the default); cost at the dearest target', () => {
    expect(estimateRequest({ max_tokens: 100 }, 400, pricing, ['cheap-1'])).toEqual({ tokens: 200, costUsd: (100 * 1 + 100 * 2) / 1e6 })
    const e = estimateRequest({}, 40, pricing, ['cheap-1', 'dear-1', 'unpriced'])
    expect(e.tokens).toBe(10 + DEFAULT_OUTPUT_ESTIMATE)
    expect(e.costUsd).toBeCloseTo((10 * 10 + DEFAULT_OUTPUT_ESTIMATE * 20) / 1e6, 12)
    expect(estimateRequest({}, 40, pricing, ['unpriced']).costUsd).toBe(0)
  })

  test('an absurd max_tokens is capped', () => {
    expect(estimateRequest({ max_tokens: 1e12 }, 0, pricing, []).tokens).toBe(1_000_000)
  })
})
