// Hand-built resolved Config objects for routing tests (independent of the config loader).
import type { Config, ModelEntry, PolicyConfig, ProviderConfig } from '../../../src/config/types'
import type { DialectName } from '../../../src/dialects/dialect'

export function provider(name: string, dialect: DialectName = 'openai-chat', over: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name,
    dialect,
    base_url: `https://${name}.example/v1`,
    api_keys: ['k1'],
    passthrough: false,
    headers: {},
    query: {},
    models: [],
    max_retries: 2,
    connect_timeout: 10_000,
    first_byte_timeout: 120_000,
    idle_timeout: 60_000,
    default_max_tokens: 8192,
    ...over,
  }
}

/** `target` strings become single-target entries; pass a partial entry for aliases. */
export function entry(pattern: string, target: string | Partial<ModelEntry>): ModelEntry {
  const base: ModelEntry = { pattern, strategy: 'fallback', targets: [], fallbacks: [], alias: false, hidden: false }
  if (typeof target === 'string') return { ...base, targets: [{ model: target, weight: 1 }] }
  return { ...base, alias: true, ...target }
}

/** an alias entry over "provider/model" targets (weight 1 unless given as [name, weight]) */
export function alias(pattern: string, strategy: ModelEntry['strategy'], targets: Array<string | [string, number]>, more: Partial<ModelEntry> = {}): ModelEntry {
  return entry(pattern, {
    strategy,
    targets: targets.map((t) => (typeof t === 'string' ? { model: t, weight: 1 } : { model: t[0], weight: t[1] })),
    ...more,
  })
}

export function makeConfig(partial: { providers?: ProviderConfig[]; models?: ModelEntry[]; policy?: Partial<PolicyConfig>; zero_config?: boolean } = {}): Config {
  return {
    server: { host: '127.0.0.1', port: 8080, base_paths: ['/'], request_timeout: 300_000, max_body_size: 32 << 20, shutdown_grace: 10_000 },
    providers: partial.providers ?? [provider('openai'), provider('anthropic', 'anthropic'), provider('ollama')],
    models: partial.models ?? [],
    policy: { mode: 'allow_user_pick', allowed_models: ['*'], expose_aliases: true, list_wildcards: 'as_is', ...partial.policy },
    pricing: [],
    logging: { level: 'error', format: 'json', requests: false, file: '' },
    usage: { store: 'none' },
    state: { redis: '', on_error: 'open' },
    zero_config: partial.zero_config ?? false,
    debug: false,
  }
}
