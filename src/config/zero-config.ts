// No config file: providers from the environment (vandamme's interface). Every `{P}_API_KEY`
// whose provider has a base URL (`{P}_BASE_URL`, or a known provider's default) becomes provider
// `p` (lower case, `_` → `-`) speaking `{P}_API_FORMAT` (openai, anthropic, gemini, responses…);
// a key list ("k1 k2" or "k1,k2") is a pool and `!PASSTHRU` forwards the client's key (both
// handled where every api_key is, normalize.ts). `{P}_ALIAS_{NAME}` and `VDM_ALIAS_{NAME}` become
// aliases, known providers' families route bare names, and `VDM_DEFAULT_PROVIDER` /
// `LLM_PROXY_DEFAULT_PROVIDER` becomes policy.default_provider.
//
// Produces a config FILE (keys as `${VAR}` references, so they stay out of the tree until
// interpolation) that goes through the same validation as any file. Pure: env in.
import type { Env } from './interpolate'
import { API_FORMATS, knownProviders, OPENAI_COMPATIBLE, type KnownProvider } from './known-providers'
import { PASSTHRU_MARKER } from './normalize'
import type { ConfigFile } from './schema'

export interface EnvNote {
  /** the variable the note is about */
  variable: string
  text: string
  /** true: the setup cannot work as written (a config error in env-only mode) */
  error: boolean
}

export interface EnvSetup {
  file: ConfigFile
  notes: EnvNote[]
}

interface Found {
  name: string
  /** the variable prefix: OPENAI for OPENAI_API_KEY */
  prefix: string
  keyVar: string
  known?: KnownProvider
}

const KEY_VAR = /^([A-Z][A-Z0-9_]*?)_API_KEY$/
/** prefixes that are not providers: our own settings and vandamme's */
const NOT_PROVIDERS = new Set(['LLM_PROXY', 'VDM', 'PROXY'])
const MAX_CHAIN = 8

export const providerNameOf = (prefix: string) => prefix.toLowerCase().replace(/_/g, '-')
export const aliasNameOf = (suffix: string) => suffix.toLowerCase().replace(/_/g, '-')

export function envSetup(env: Env): EnvSetup {
  const notes: EnvNote[] = []
  const found = discover(env, notes)
  const providers: NonNullable<ConfigFile['providers']> = {}
  for (const f of found) {
    const base = env[`${f.prefix}_BASE_URL`] || f.known?.base_url
    const formatVar = `${f.prefix}_API_FORMAT`
    const format = env[formatVar]?.toLowerCase()
    const dialect = format ? API_FORMATS[format] : (f.known?.dialect ?? OPENAI_COMPATIBLE)
    if (!dialect) {
      notes.push({ variable: formatVar, text: `unknown API format "${format}" (use one of ${Object.keys(API_FORMATS).join(', ')})`, error: true })
      continue
    }
    if (!base) {
      notes.push({ variable: f.keyVar, text: `no ${f.prefix}_BASE_URL and "${f.name}" is not a known provider: skipped`, error: false })
      continue
    }
    // the pass-through marker is no secret: write it as such, so an imported config keeps it
    const key = env[f.keyVar]?.trim() === PASSTHRU_MARKER ? 'passthrough' : `\${${f.keyVar}}`
    providers[f.name] = { dialect, base_url: base, api_key: key }
  }
  const names = Object.keys(providers)
  const defaultVar = env.LLM_PROXY_DEFAULT_PROVIDER ? 'LLM_PROXY_DEFAULT_PROVIDER' : 'VDM_DEFAULT_PROVIDER'
  const wanted = env[defaultVar] ? providerNameOf(env[defaultVar]!) : undefined
  const defaultProvider = wanted && names.includes(wanted) ? wanted : undefined
  if (wanted && !defaultProvider)
    notes.push({ variable: defaultVar, text: `"${wanted}" is not a configured provider (configured: ${names.join(', ') || 'none'})`, error: true })

  const models: NonNullable<ConfigFile['models']> = {}
  const live = found.filter((f) => providers[f.name])
  addAliases(env, live, names, defaultProvider, models, notes)
  for (const f of live) for (const family of f.known?.families ?? []) models[family] ??= `${f.name}/*`
  return {
    file: { providers, models, ...(defaultProvider && { policy: { default_provider: defaultProvider } }) },
    notes,
  }
}

/** Back-compat name: the config file zero-config mode starts from. */
export const zeroConfigFile = (env: Env): ConfigFile => envSetup(env).file

/** Providers with a key set: known ones first (in their order), then the rest by name. */
function discover(env: Env, notes: EnvNote[]): Found[] {
  const known = knownProviders()
  const found = new Map<string, Found>()
  const vars = Object.keys(env)
    .filter((v) => KEY_VAR.test(v) && env[v])
    .sort()
  for (const keyVar of vars) {
    const prefix = KEY_VAR.exec(keyVar)![1]
    if (NOT_PROVIDERS.has(prefix)) continue
    const k = known.find((p) => p.env.includes(keyVar))
    const name = k?.name ?? providerNameOf(prefix)
    const prev = found.get(name)
    // GEMINI_API_KEY beats GOOGLE_API_KEY: a known provider's first variable wins
    if (prev && prev.known && k && k.env.indexOf(prev.keyVar) < k.env.indexOf(keyVar)) continue
    if (prev && !k) {
      notes.push({ variable: keyVar, text: `provider "${name}" is already configured from ${prev.keyVar}`, error: false })
      continue
    }
    found.set(name, { name, prefix, keyVar, ...(k && { known: k }) })
  }
  const rank = (f: Found) => (f.known ? known.indexOf(f.known) : known.length)
  return [...found.values()].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
}

/**
 * `{P}_ALIAS_{NAME}=model` (a model of P, another alias of P, or `provider:model`) and
 * `VDM_ALIAS_{NAME}=provider:model`. A bare alias name goes to the default provider's alias
 * first, then the first provider's; `p:name` always reaches p's own (hidden from /v1/models).
 */
function addAliases(
  env: Env,
  found: Found[],
  names: string[],
  defaultProvider: string | undefined,
  models: NonNullable<ConfigFile['models']>,
  notes: EnvNote[],
): void {
  const ordered = defaultProvider ? [...found.filter((f) => f.name === defaultProvider), ...found.filter((f) => f.name !== defaultProvider)] : found
  const global = aliasesWithPrefix(env, 'VDM')
  for (const [name, { value, variable }] of global) {
    const target = explicitTarget(value, names) ?? (defaultProvider ? `${defaultProvider}/${value}` : undefined)
    if (target) models[name] ??= target
    else notes.push({ variable, text: `"${value}" names no configured provider (write provider:model)`, error: true })
  }
  for (const f of ordered) {
    const own = aliasesWithPrefix(env, f.prefix)
    for (const [name, { value }] of own) {
      const target = resolveChain(value, f.name, own, names)
      models[name] ??= target
      models[`${f.name}:${name}`] = { targets: [target], hidden: true }
    }
  }
}

function aliasesWithPrefix(env: Env, prefix: string): Map<string, { value: string; variable: string }> {
  const out = new Map<string, { value: string; variable: string }>()
  const lead = `${prefix}_ALIAS_`
  for (const v of Object.keys(env).sort()) {
    if (!v.startsWith(lead) || v.length === lead.length || !env[v]) continue
    out.set(aliasNameOf(v.slice(lead.length)), { value: env[v]!.trim(), variable: v })
  }
  return out
}

/** "openai:gpt-4o" / "openai/gpt-4o" for a configured provider → "openai/gpt-4o" */
export function explicitTarget(value: string, names: readonly string[]): string | undefined {
  const m = /^([^/:\s]+)[/:](.+)$/.exec(value)
  return m && names.includes(m[1]) ? `${m[1]}/${m[2]}` : undefined
}

function resolveChain(value: string, provider: string, own: Map<string, { value: string }>, names: readonly string[]): string {
  let v = value
  for (let i = 0; i < MAX_CHAIN; i++) {
    const explicit = explicitTarget(v, names)
    if (explicit) return explicit
    const next = own.get(v.toLowerCase())
    if (!next || next.value === v) break
    v = next.value
  }
  return `${provider}/${v}`
}
