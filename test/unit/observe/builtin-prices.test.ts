import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { priceLines } from '../../../src/cli/check'
import { resolveConfig } from '../../../src/config/load'
import { baseModelIds, builtinPrice, builtinPriceId } from '../../../src/observe/prices/builtin'
import { compactPrices, renderTable } from '../../../src/observe/prices/generate'
import { costUsd, priceSource } from '../../../src/observe/pricing'

const PRICES = join(import.meta.dir, '../../../src/observe/prices')

describe('built-in price table', () => {
  test('table.ts is what the generator makes of model-prices.json (regenerate after replacing the JSON)', () => {
    const json = JSON.parse(readFileSync(join(PRICES, 'model-prices.json'), 'utf8'))
    expect(readFileSync(join(PRICES, 'table.ts'), 'utf8')).toBe(renderTable(compactPrices(json)))
    expect(readFileSync(join(PRICES, 'LICENSE'), 'utf8')).toContain('MIT License')
  })

  test('per million tokens, cache prices when the source has them; non-text models left out', () => {
    const t = compactPrices({
      a: { mode: 'chat', input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_read_input_token_cost: 3e-7, cache_creation_input_token_cost: 3.75e-6 },
      b: { mode: 'responses', input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5 },
      c: { mode: 'image_generation', input_cost_per_token: 1e-6, output_cost_per_token: 1e-6 },
      d: { mode: 'chat', input_cost_per_token: 1e-6 },
    })
    expect(t).toEqual({ a: [3, 15, 0.3, 3.75], b: [1.25, 10] })
  })

  test('Bedrock and Vertex ids map to their base models', () => {
    expect(baseModelIds('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toContain('claude-sonnet-4-5-20250929')
    for (const id of [
      'anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
      'publishers/anthropic/models/claude-sonnet-4-5@20250929',
      'claude-sonnet-4-5',
    ])
      expect(builtinPrice(id)).toEqual({ input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 })
    expect(builtinPriceId('eu.anthropic.claude-haiku-4-5-20251001-v1:0')).toBe('claude-haiku-4-5-20251001')
    expect(builtinPriceId('gemini-2.5-pro')).toBe('gemini-2.5-pro')
    expect(builtinPriceId('models/gemini-2.5-flash')).toBe('gemini-2.5-flash')
    expect(builtinPriceId('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini-2024-07-18')
    // a newer dated variant bills as its family, at a '-' boundary only
    expect(builtinPriceId('gpt-4o-mini-2099-01-01')).toBe('gpt-4o-mini')
    expect(builtinPriceId('gpt-4oz')).toBeUndefined()
    expect(builtinPriceId('my-local-llama')).toBeUndefined()
  })

  test('config prices override; unknown models stay unpriced', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 }
    expect(costUsd([], 'gpt-4o-mini', usage)).toEqual({ usd: 0.15 + 0.6, priced: true })
    expect(costUsd([{ pattern: 'gpt-4o-mini', price: { input: 1, output: 1 } }], 'gpt-4o-mini', usage)).toEqual({ usd: 2, priced: true })
    expect(costUsd([], 'my-local-llama', usage)).toEqual({ usd: 0, priced: false })
    expect(priceSource([], 'us.anthropic.claude-sonnet-4-5-20250929-v1:0').from).toBe('built-in claude-sonnet-4-5-20250929-v1:0')
    expect(priceSource([], 'us.anthropic.claude-opus-4-5-20251101-v1:0').from).toBe('built-in claude-opus-4-5-20251101')
  })

  test('check shows which price each routed model uses', () => {
    const cfg = resolveConfig(
      {
        providers: { demo: { dialect: 'echo' }, o: { dialect: 'openai-chat', api_key: 'k' }, b: { dialect: 'openai-chat', base_url: 'http://bedrock-gateway.invalid/v1' } },
        models: { echo: 'demo/echo', mini: 'o/gpt-4o-mini', mine: 'o/gpt-4o', claude: 'b/us.anthropic.claude-sonnet-4-5-20250929-v1:0', local: 'o/llama-local', 'gpt-*': 'o/*' },
        pricing: { 'gpt-4o': { input: 1, output: 2 } },
      },
      {},
    )
    const text = priceLines(cfg).join('\n')
    expect(text).toMatch(/demo\/echo\s+local \(free\)/)
    expect(text).toMatch(/o\/gpt-4o-mini\s+0\.15 \/ 0\.6 {2}\(built-in gpt-4o-mini\)/)
    expect(text).toMatch(/o\/gpt-4o\s+1 \/ 2 {2}\(pricing "gpt-4o"\)/)
    expect(text).toMatch(/b\/us\.anthropic\.claude-sonnet-4-5-20250929-v1:0\s+3 \/ 15 {2}\(built-in claude-sonnet-4-5-20250929-v1:0\)/)
    expect(text).toMatch(/o\/llama-local\s+no price: cost 0/)
    expect(text).toMatch(/o\/\*\s+per model name/)
  })
})
