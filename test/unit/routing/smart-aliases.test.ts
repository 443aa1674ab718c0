// Smart aliases: matching options (case, separators, substring with priority), Claude tier
// aliases with Claude Code's real model names, and the same name under several base paths.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../../../src/config/config-error'
import { GatewayError } from '../../../src/errors'
import { resolveModel, RoundRobinCounters } from '../../../src/routing/resolve-model'
import { testConfig } from '../../helpers/proxy'

const providers = {
  openai: { dialect: 'openai-chat', api_key: 'sk-x' },
  anthropic: { dialect: 'anthropic', api_key: 'sk-y' },
  local: { dialect: 'openai-chat', base_url: 'http://127.0.0.1:1/v1' },
}
const route = (raw: Record<string, any>, name: string, basePath?: string) =>
  resolveModel(testConfig({ providers, ...raw }), name, { counters: new RoundRobinCounters(), random: () => 0, basePath }).attempts.map((a) => `${a.provider.name}/${a.model}`)
const refusal = (raw: Record<string, any>): string => {
  try {
    testConfig({ providers, ...raw })
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected the config to be refused')
}

describe('tiers: Claude Code lands where the operator wants', () => {
  const raw = {
    models: { '*': 'anthropic/*' },
    policy: { tiers: { haiku: 'openai/gpt-5-mini', sonnet: 'openai/gpt-5', opus: 'anthropic/claude-opus-4-1' } },
  }
  test.each([
    ['claude-haiku-4-5-20251001', 'openai/gpt-5-mini'],
    ['claude-3-5-haiku-20241022', 'openai/gpt-5-mini'],
    ['claude-sonnet-4-5', 'openai/gpt-5'],
    ['claude-sonnet-4-5-20250929', 'openai/gpt-5'],
    ['claude-sonnet-4-20250514', 'openai/gpt-5'],
    ['claude-opus-4-1', 'anthropic/claude-opus-4-1'],
    ['claude-opus-4-1-20250805', 'anthropic/claude-opus-4-1'],
    ['haiku', 'openai/gpt-5-mini'],
    ['Sonnet', 'openai/gpt-5'],
    ['Claude-Sonnet-4-5', 'openai/gpt-5'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'openai/gpt-5-mini'],
    ['claude-sonnet-4-5[1m]', 'openai/gpt-5'],
  ])('%s → %s (ahead of the catch-all)', (name, want) => {
    expect(route(raw, name)).toEqual([want])
  })
  test('other names still reach the catch-all; explicit provider prefixes are not captured', () => {
    expect(route(raw, 'claude-instant-1')).toEqual(['anthropic/claude-instant-1'])
    expect(route(raw, 'my-haiku-poem-model')).toEqual(['anthropic/my-haiku-poem-model'])
    expect(route(raw, 'anthropic/claude-haiku-4-5')).toEqual(['anthropic/claude-haiku-4-5'])
  })
  test('an entry with a higher priority beats a tier', () => {
    expect(route({ ...raw, models: { ...raw.models, 'claude-sonnet-4-5': { targets: ['local/qwen3-coder'], priority: 2 } } }, 'claude-sonnet-4-5')).toEqual(['local/qwen3-coder'])
  })
  test('a tier target must name a configured provider', () => {
    expect(refusal({ policy: { tiers: { haiku: 'nowhere/x' } } })).toContain('policy.tiers.haiku')
    expect(refusal({ policy: { tiers: { tiny: 'openai/x' } } })).toContain('policy.tiers.tiny')
  })
})

describe('matching options', () => {
  test('case-insensitive and -/_ alike, per entry', () => {
    const raw = { models: { 'fast_model': { targets: ['openai/gpt-5-mini'], match: { case_insensitive: true, separators: true } }, exact: 'openai/gpt-5' } }
    expect(route(raw, 'FAST-MODEL')).toEqual(['openai/gpt-5-mini'])
    expect(route(raw, 'fast_model')).toEqual(['openai/gpt-5-mini'])
    expect(() => route(raw, 'EXACT')).toThrow(GatewayError)
  })
  test('policy.alias_matching is every entry’s default; globs fold too', () => {
    const raw = { models: { 'gpt-*': 'openai/*', local_llm: 'local/qwen3' }, policy: { alias_matching: { case_insensitive: true, separators: true } } }
    expect(route(raw, 'LOCAL-LLM')).toEqual(['local/qwen3'])
    expect(route(raw, 'GPT_5')).toEqual(['openai/GPT_5'])
  })
  test('substring with explicit priority: the higher priority wins, then file order', () => {
    const raw = {
      models: {
        coder: { targets: ['local/qwen3-coder'], match: { substring: true } },
        mini: { targets: ['openai/gpt-5-mini'], match: { substring: true, case_insensitive: true }, priority: 5 },
        '*': 'anthropic/*',
      },
    }
    expect(route(raw, 'my-coder-v2')).toEqual(['local/qwen3-coder'])
    expect(route(raw, 'coder-MINI')).toEqual(['openai/gpt-5-mini'])
    expect(route(raw, 'claude-3')).toEqual(['anthropic/claude-3'])
    expect(route(raw, 'local/coder')).toEqual(['local/coder'])
  })
  test('substring on a glob key is refused', () => {
    expect(refusal({ models: { 'gpt-*': { targets: ['openai/*'], match: { substring: true } } } })).toContain("match.substring: a glob key cannot also match as a substring")
  })
})

describe('the same name under several base paths (name@/base)', () => {
  const raw = {
    models: {
      'fast@/team-a': 'openai/gpt-5-mini',
      'fast@/team-b': { targets: ['anthropic/claude-haiku-4-5'] },
      fast: 'local/qwen3',
    },
  }
  test('each base path has its own table; the plain key serves every other path', () => {
    expect(route(raw, 'fast', '/team-a')).toEqual(['openai/gpt-5-mini'])
    expect(route(raw, 'fast', '/team-b')).toEqual(['anthropic/claude-haiku-4-5'])
    expect(route(raw, 'fast', '/')).toEqual(['local/qwen3'])
  })
  test('the entries carry their base path (the route table serves it)', () => {
    const cfg = testConfig({ providers, ...raw })
    expect(cfg.models.map((m) => [m.pattern, m.base_path])).toEqual([
      ['fast', '/team-a'],
      ['fast', '/team-b'],
      ['fast', undefined],
    ])
  })
  test('a key and a base_path that disagree are refused', () => {
    expect(refusal({ models: { 'fast@/team-a': { targets: ['openai/x'], base_path: '/team-b' } } })).toContain('the key says /team-a')
  })
})
