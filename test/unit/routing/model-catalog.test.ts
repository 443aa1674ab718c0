import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveConfig } from '../../../src/config/resolve'
import { compactCatalog, renderCatalog } from '../../../src/observe/prices/generate'
import { catalogIds, catalogLookup } from '../../../src/routing/model-catalog'
import { resolveModel, RoundRobinCounters } from '../../../src/routing/resolve-model'

const PRICES = join(import.meta.dir, '../../../src/observe/prices')

describe('the model catalog', () => {
  test('catalog.ts is what the generator makes of model-prices.json (regenerate after replacing the JSON)', () => {
    const json = JSON.parse(readFileSync(join(PRICES, 'model-prices.json'), 'utf8'))
    expect(readFileSync(join(PRICES, 'catalog.ts'), 'utf8')).toBe(renderCatalog(compactCatalog(json)))
    // provider-prefixed, Bedrock and Vertex forms are not names a client asks for
    expect(compactCatalog({ 'bedrock/x': { mode: 'chat', litellm_provider: 'bedrock' }, 'a@1': { mode: 'chat', litellm_provider: 'anthropic' }, 'emb': { mode: 'embedding', litellm_provider: 'openai' } })).toEqual({})
  })

  test('known ids and friendly spellings', () => {
    expect(catalogLookup('gpt-4o')).toEqual({ id: 'gpt-4o', family: 'openai' })
    expect(catalogLookup('claude-sonnet-4.5')).toEqual({ id: 'claude-sonnet-4-5', family: 'anthropic' })
    expect(catalogLookup('Claude_Sonnet_4_5')).toEqual({ id: 'claude-sonnet-4-5', family: 'anthropic' })
    expect(catalogLookup('gemini_2.5_flash')?.family).toBe('gemini')
    expect(catalogLookup('no-such-model')).toBeUndefined()
    expect(catalogLookup('x'.repeat(10_000))).toBeUndefined()
    expect(catalogIds('anthropic')).toContain('claude-haiku-4-5')
  })
})

describe('zero-config and env-only routing with the catalog', () => {
  const opts = { counters: new RoundRobinCounters(), random: () => 0 }
  const env = { OPENAI_API_KEY: 'sk-o', ANTHROPIC_API_KEY: 'sk-a', DEEPSEEK_API_KEY: 'sk-d', XAI_API_KEY: 'sk-x' }
  const cfg = resolveConfig(undefined, env, {})

  test('a friendly spelling reaches the provider by its real id', () => {
    const plan = resolveModel(cfg, 'claude-sonnet-4.5', opts)
    expect(plan.attempts.map((a) => a.target)).toEqual(['anthropic/claude-sonnet-4-5'])
    expect(plan.requested).toBe('claude-sonnet-4.5') // echoed back as asked
  })

  test('a known model no family glob covers goes to its family\'s provider', () => {
    const ids = catalogIds('deepseek')
    expect(ids.length).toBeGreaterThan(0)
    const plan = resolveModel(cfg, ids[0], opts)
    expect(plan.attempts[0].provider.name).toBe('deepseek')
    expect(plan.attempts[0].model).toBe(ids[0])
  })

  test('only without a config file: a configured proxy routes what it lists', () => {
    const configured = resolveConfig({ providers: { anthropic: { dialect: 'anthropic' } }, models: { 'claude-*': 'anthropic/*' } }, {})
    expect(resolveModel(configured, 'claude-sonnet-4.5', opts).attempts[0].model).toBe('claude-sonnet-4.5')
  })
})
