// Env-only setup (vandamme's interface), key lists, !PASSTHRU, default_provider, the lm-deluge
// --routes shape and upper-case log levels, through the real config resolver.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../../../src/config/config-error'
import { resolveConfig } from '../../../src/config/resolve'
import { parseArgs } from '../../../src/cli/args'
import { resolveModel, RoundRobinCounters } from '../../../src/routing/resolve-model'
import type { Config } from '../../../src/config/types'

const route = (c: Config, name: string) =>
  resolveModel(c, name, { counters: new RoundRobinCounters(), random: () => 0 }).attempts.map((a) => `${a.provider.name}/${a.model}`)

function problemsOf(raw: unknown, env: Record<string, string> = {}, flags = {}): string[] {
  try {
    resolveConfig(raw, env, flags)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('env-only setup', () => {
  const env = {
    OPENAI_API_KEY: 'sk-o',
    POE_API_KEY: 'p1 p2,p3',
    POE_ALIAS_FAST: 'grok-fast',
    POE_ALIAS_QUICK: 'fast',
    POE_ALIAS_OTHER: 'openai:gpt-4o',
    ZAI_API_KEY: 'z',
    CUSTOM_LLM_API_KEY: '!PASSTHRU',
    CUSTOM_LLM_BASE_URL: 'https://llm.example.com/v1',
    CUSTOM_LLM_API_FORMAT: 'anthropic',
    UNRELATED_API_KEY: 'x', // no base URL and not a known provider: not a provider
    LLM_PROXY_API_KEY: 'client-key',
    VDM_DEFAULT_PROVIDER: 'poe',
    VDM_ALIAS_BIG: 'openai:gpt-5',
  }
  const c = resolveConfig(undefined, env)

  test('every {P}_API_KEY with a base URL becomes provider p with its format; lists are pools; !PASSTHRU passes through', () => {
    expect(c.providers.map((p) => [p.name, p.dialect, p.base_url, p.passthrough ? 'passthrough' : p.api_keys.join(' ')])).toEqual([
      ['openai', 'openai-chat', 'https://api.openai.com/v1', 'sk-o'],
      ['poe', 'openai-chat', 'https://api.poe.com/v1', 'p1 p2 p3'],
      ['zai', 'anthropic', 'https://api.z.ai/api/anthropic', 'z'],
      ['custom-llm', 'anthropic', 'https://llm.example.com/v1', 'passthrough'],
    ])
    expect(c.auth?.keys.map((k) => k.name)).toEqual(['env'])
  })

  test('aliases (chained, cross-provider, global), p:alias, default provider', () => {
    expect(route(c, 'fast')).toEqual(['poe/grok-fast'])
    expect(route(c, 'quick')).toEqual(['poe/grok-fast'])
    expect(route(c, 'other')).toEqual(['openai/gpt-4o'])
    expect(route(c, 'big')).toEqual(['openai/gpt-5'])
    expect(route(c, 'poe:fast')).toEqual(['poe/grok-fast'])
    expect(route(c, 'poe:anything')).toEqual(['poe/anything'])
    expect(route(c, 'gpt-4o')).toEqual(['openai/gpt-4o'])
    expect(route(c, 'some-model')).toEqual(['poe/some-model']) // VDM_DEFAULT_PROVIDER
    expect(c.models.find((m) => m.pattern === 'poe:fast')?.hidden).toBe(true)
  })

  test('LLM_PROXY_DEFAULT_PROVIDER wins over VDM_DEFAULT_PROVIDER', () => {
    const both = resolveConfig(undefined, { OPENAI_API_KEY: 'k', POE_API_KEY: 'p', VDM_DEFAULT_PROVIDER: 'openai', LLM_PROXY_DEFAULT_PROVIDER: 'poe' })
    expect(both.policy.default_provider).toBe('poe')
  })

  test('an unknown API format or default provider is a config error naming the variable', () => {
    expect(problemsOf(undefined, { X_API_KEY: 'k', X_BASE_URL: 'http://x', X_API_FORMAT: 'soap' })[0]).toStartWith('X_API_FORMAT: unknown API format "soap"')
    expect(problemsOf(undefined, { OPENAI_API_KEY: 'k', VDM_DEFAULT_PROVIDER: 'poe' })).toEqual([
      'VDM_DEFAULT_PROVIDER: "poe" is not a configured provider (configured: openai)',
    ])
  })
})

describe('keys in regular configs', () => {
  test('"!PASSTHRU" means passthrough; a space/comma list is a pool', () => {
    const c = resolveConfig({ providers: { a: { dialect: 'openai-chat', api_key: '${K}' }, b: { dialect: 'openai-chat', api_key: 'k1, k2' } } }, { K: '!PASSTHRU' })
    expect(c.providers[0].passthrough).toBe(true)
    expect(c.providers[0].api_keys).toEqual(['passthrough'])
    expect(c.providers[1].api_keys).toEqual(['k1', 'k2'])
  })
})

describe('explicit provider prefixes and default_provider', () => {
  const raw = {
    providers: { openai: { dialect: 'openai-chat', api_key: 'k' }, poe: { dialect: 'openai-chat', base_url: 'https://api.poe.com/v1', api_key: 'k' } },
    models: { 'poe:exact': 'openai/exact-target', '*': 'openai/gpt-4o-mini' },
  }
  test('provider:model and provider/model reach the provider even with a "*" entry; exact keys still win', () => {
    const c = resolveConfig(raw, {})
    expect(route(c, 'poe:grok')).toEqual(['poe/grok'])
    expect(route(c, 'poe/grok')).toEqual(['poe/grok'])
    expect(route(c, 'poe:exact')).toEqual(['openai/exact-target'])
    expect(route(c, 'unknown/x')).toEqual(['openai/gpt-4o-mini']) // not a configured provider: the catch-all
    expect(route(c, 'anything')).toEqual(['openai/gpt-4o-mini'])
  })
  test('policy.default_provider takes names nothing else routes, unchanged', () => {
    const c = resolveConfig({ ...raw, models: { 'gpt-*': 'openai/*' }, policy: { default_provider: 'poe' } }, {})
    expect(route(c, 'gpt-4o')).toEqual(['openai/gpt-4o'])
    expect(route(c, 'llama-3')).toEqual(['poe/llama-3'])
    expect(problemsOf({ ...raw, policy: { default_provider: 'poo' } })).toEqual(['policy.default_provider: unknown provider "poo" (did you mean "poe"?)'])
  })
})

describe("lm-deluge's --routes shape", () => {
  const raw = { providers: { openai: { dialect: 'openai-chat', api_key: 'k' }, anthropic: { dialect: 'anthropic', api_key: 'k' } }, models: { 'gpt-*': 'openai/*', 'claude-*': 'anthropic/*' } }
  test('models + strategy + weights is accepted as it is; bare names route like requests', () => {
    const c = resolveConfig(raw, {}, { routes: { fast: { models: ['gpt-4.1-mini', 'claude-3-5-haiku-latest'], strategy: 'weighted', weights: [3, 1] }, ours: 'openai/x' } })
    const fast = c.models.find((m) => m.pattern === 'fast')!
    expect(fast.strategy).toBe('weighted')
    expect(fast.targets).toEqual([{ model: 'openai/gpt-4.1-mini', weight: 3 }, { model: 'anthropic/claude-3-5-haiku-latest', weight: 1 }])
    expect(c.models[1].pattern).toBe('ours')
  })
  test('unroutable names, bad weights and strategies are reported', () => {
    expect(problemsOf(raw, {}, { routes: { fast: { models: ['llama'], strategy: 'fastest', weights: [1, 2] } } })).toEqual([
      '--routes.fast.strategy: expected one of round_robin, round-robin, random, weighted, fallback, priority (got "fastest")',
      '--routes.fast.weights: expected 1 positive numbers, one per model (got a list)',
      '--routes.fast.models[0]: "llama" matches no models: entry and names no configured provider',
    ])
  })
})

describe('small CLI compatibilities', () => {
  test('upper-case log levels in the file, the environment and the flag', () => {
    expect(resolveConfig({ logging: { level: 'INFO' } }, {}).logging.level).toBe('info')
    expect(resolveConfig({}, { LLM_PROXY_LOG_LEVEL: 'WARN' }).logging.level).toBe('warn')
    expect(parseArgs(['--log-level', 'DEBUG']).flags.logLevel).toBe('debug')
  })
  test('--reload is accepted and changes nothing', () => {
    expect(parseArgs(['serve', '--reload'])).toEqual({ command: 'serve', flags: {} })
  })
})
