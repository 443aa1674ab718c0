// A validated config file → the resolved Config of types.ts: defaults filled in, maps turned into
// ordered lists, durations and sizes in ms and bytes, cross-references checked. Pure.
import { dialects, registered } from '../dialects'
import { REQUEST_LINE_FIELDS } from '../observe/log-fields'
import type { Env } from './interpolate'
import { formatPath, type PathSegment } from './key-path'
import { normalizeAdmin } from './normalize-admin'
import { normalizeAuth } from './normalize-auth'
import { normalizeForwardHeaders } from '../upstream/forward-headers'
import { normalizeModels, tierEntries } from './normalize-models'
import { unknownName } from './report'
import { normalizeVertex, vertexHost } from './normalize-vertex'
import type { ConfigFile, ProviderFile } from './schema'
import type { Config, ProviderConfig, ResponsesSettings } from './types'
import { RESPONSES_DEFAULTS } from './responses-settings'
import { checkCacheBackend } from './response-cache-settings'
import { durationMs, sizeBytes } from './units'

/** each dialect's default base_url, from the registry */
export const defaultBaseUrl = (dialect: string): string | undefined => registered(dialect)?.defaultBaseUrl

export interface Normalized {
  config: Config
  problems: string[]
}

/** logging.fields may only name the request line's own fields */
function checkedFields(fields: Record<string, string | false>, problems: string[]): Record<string, string | false> {
  const known: readonly string[] = REQUEST_LINE_FIELDS
  for (const k in fields) if (!known.includes(k)) problems.push(`logging.fields.${k}: the request line has no field ${k} (it has: ${known.join(', ')})`)
  return fields
}

/** `env`: what a dialect's provider hook may read (e.g. a default region) */
export function normalize(file: ConfigFile, env: Env = {}): Normalized {
  const problems: string[] = []
  const providers = Object.entries(file.providers ?? {}).map(([name, p]) => normalizeProvider(name, p, problems, env))
  const names = providers.map((p) => p.name)
  const server = file.server ?? {}
  const policy = file.policy ?? {}
  const logging = file.logging ?? {}
  const config: Config = {
    server: {
      host: server.host ?? '127.0.0.1',
      port: server.port ?? 8080,
      base_paths: normalizeBasePaths(server.base_paths ?? ['/']),
      request_timeout: durationMs(server.request_timeout ?? '300s'),
      max_body_size: sizeBytes(server.max_body_size ?? '32MiB'),
      shutdown_grace: durationMs(server.shutdown_grace ?? '10s'),
      ...(server.max_response_size !== undefined && { max_response_size: sizeBytes(server.max_response_size) }),
      ...(server.max_event_size !== undefined && { max_event_size: sizeBytes(server.max_event_size) }),
      ...(server.metrics_auth === 'key' && { metrics_auth: 'key' as const }),
    },
    providers,
    models: [...normalizeModels(file.models ?? {}, names, ['models'], problems), ...tierEntries(policy.tiers, names, problems)],
    policy: {
      mode: policy.mode ?? 'allow_user_pick',
      ...(policy.default_model !== undefined && { default_model: policy.default_model }),
      allowed_models: policy.allowed_models ?? ['*'],
      expose_aliases: policy.expose_aliases ?? true,
      list_wildcards: policy.list_wildcards ?? 'as_is',
      ...(policy.default_provider !== undefined && { default_provider: policy.default_provider }),
      ...(policy.alias_matching !== undefined && { alias_matching: policy.alias_matching }),
    },
    auth: file.auth && file.auth.mode !== 'none' ? normalizeAuth(file.auth, names, problems) : undefined,
    ...publicListener(file.auth, problems),
    ...(file.admin && { admin: normalizeAdmin(file.admin, problems) }),
    pricing: Object.entries(file.pricing ?? {}).map(([pattern, p]) => ({
      pattern,
      price: {
        input: p.input,
        output: p.output,
        ...(p.cache_read !== undefined && { cache_read: p.cache_read }),
        ...(p.cache_write !== undefined && { cache_write: p.cache_write }),
      },
    })),
    logging: {
      level: logging.level ?? 'info',
      format: logging.format ?? 'json',
      ...(logging.format !== undefined && { format_set: true as const }),
      requests: logging.requests ?? true,
      ...(logging.remote_addr && { remote_addr: true }),
      ...(logging.bodies !== undefined && { bodies: logging.bodies }),
      ...(logging.fields && { fields: checkedFields(logging.fields, problems) }),
      file: logging.file ?? '',
    },
    usage: { store: file.usage?.store ?? 'sqlite:./llm-proxy.db' },
    state: { redis: file.state?.redis ?? '', on_error: file.state?.on_error ?? 'open' },
    ...(file.responses ? { responses: normalizeResponses(file, problems) } : {}),
    ...(file.otel ? { otel: file.otel } : {}),
    ...(file.plugins?.length && {
      plugin_specs: file.plugins.map((p) => (typeof p === 'string' ? { path: p } : { path: p.path, ...(p.options && { options: p.options }) })),
    }),
    ...explicitChoices(file, providers.length),
    zero_config: false,
    debug: false,
  }
  const dp = config.policy.default_provider
  if (dp !== undefined && !names.includes(dp)) problems.push(`policy.default_provider: ${unknownName('provider', dp, names)}`)
  if (file.auth?.mode === 'none' && (file.auth.keys?.length || file.auth.check || file.auth.groups))
    problems.push('auth.mode: none cannot be combined with keys, groups or check (remove them, or the mode)')
  checkCacheBackend(config, problems)
  return { config, problems }
}

/** what the file says on purpose (a reload that drops auth or empties routing needs it said) */
function explicitChoices(file: ConfigFile, providers: number): Pick<Config, 'explicit'> {
  const explicit = {
    ...(file.auth?.mode === 'none' && { auth_none: true }),
    ...(file.providers !== undefined && providers === 0 && { no_providers: true }),
    ...(file.models !== undefined && Object.keys(file.models).length === 0 && { no_models: true }),
  }
  return Object.keys(explicit).length ? { explicit } : {}
}

function normalizeResponses(file: ConfigFile, problems: string[]): ResponsesSettings {
  const r = file.responses ?? {}
  const out = {
    store: r.store ?? RESPONSES_DEFAULTS.store,
    ttl: r.ttl !== undefined ? durationMs(r.ttl) : RESPONSES_DEFAULTS.ttl,
    max_bytes: r.max_bytes !== undefined ? sizeBytes(r.max_bytes) : RESPONSES_DEFAULTS.max_bytes,
  }
  if (out.store && (file.usage?.store ?? '').trim() === 'none')
    problems.push('responses: stored responses live in the usage database, and usage.store is "none" (set responses.store: false, or a usage.store)')
  if (out.ttl <= 0) problems.push('responses.ttl: must be longer than 0')
  if (out.max_bytes <= 0) problems.push('responses.max_bytes: must be more than 0')
  return out
}

/** "/" stays "/", "/team-a/" becomes "/team-a"; duplicates dropped. */
const normalizeBasePaths = (paths: string[]): string[] => [
  ...new Set(paths.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') || '/' : p))),
]

/**
 * Keys as written → the pool. A value holding several keys separated by spaces or commas (one
 * environment variable with a key list, as vandamme takes it) is split: no real key contains
 * either. `${VAR:-}` with VAR unset gives "": no key, the provider still loads. vandamme's
 * `!PASSTHRU` marker means what `passthrough` means (sending it upstream as a key never works).
 */
export const splitKeys = (values: readonly string[]): string[] =>
  values.flatMap((v) => v.split(/[\s,]+/)).filter((k) => k !== '').map((k) => (k === PASSTHRU_MARKER ? 'passthrough' : k))

export const PASSTHRU_MARKER = '!PASSTHRU'

/** config key → the dialects that declare it theirs (`providerKeys`) */
function ownedKeys(): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const d of dialects()) for (const key of d.providerKeys ?? []) out.set(key, [...(out.get(key) ?? []), d.name])
  return out
}

const BAD_PROVIDER_NAME = /[/:\s]/

function normalizeProvider(name: string, p: ProviderFile, problems: string[], env: Env): ProviderConfig {
  const path: PathSegment[] = ['providers', name]
  if (name === '' || BAD_PROVIDER_NAME.test(name))
    problems.push(`${formatPath(path)}: a provider name cannot be empty or contain "/", ":" or spaces`)
  const keys = splitKeys(Array.isArray(p.api_key) ? p.api_key : p.api_key === undefined ? [] : [p.api_key])
  const passthrough = keys.includes('passthrough')
  if (passthrough && keys.length > 1)
    problems.push(`${formatPath([...path, 'api_key'])}: "passthrough" cannot be combined with other keys`)
  let region = p.region || undefined
  const dialect = registered(p.dialect)
  const vertex = p.vertex && normalizeVertex(p, path, problems)
  let base_url = p.base_url ?? (vertex ? vertexHost(vertex.location) : dialect?.defaultBaseUrl)
  // keys some dialects own are refused on a provider of another dialect
  for (const [key, owners] of ownedKeys())
    if ((p as Record<string, unknown>)[key] !== undefined && !owners.includes(p.dialect))
      problems.push(`${formatPath([...path, key])}: applies only to dialect ${owners.join(' or ')}`)
  // the dialect's own checks and defaults (e.g. a base_url derived from the region)
  const own = dialect?.normalizeProvider?.({ base_url, region, settings: p, env }, (key, message) => problems.push(`${formatPath([...path, key])}: ${message}`))
  if (own?.base_url !== undefined) base_url = own.base_url
  if (own?.region !== undefined) region = own.region
  return {
    name,
    dialect: p.dialect,
    ...(base_url !== undefined && { base_url: base_url.replace(/\/+$/, '') }),
    api_keys: keys,
    passthrough,
    ...(p.auth_header !== undefined && { auth_header: p.auth_header }),
    ...(p.auth_scheme !== undefined && { auth_scheme: p.auth_scheme }),
    headers: p.headers ?? {},
    query: p.query ?? {},
    ...(p.forward_headers && { forward_headers: normalizeForwardHeaders(p.forward_headers, path, problems) }),
    ...(p.max_response_size !== undefined && { max_response_size: sizeBytes(p.max_response_size) }),
    ...(p.max_event_size !== undefined && { max_event_size: sizeBytes(p.max_event_size) }),
    models: p.models ?? [],
    max_retries: p.max_retries ?? 2,
    connect_timeout: durationMs(p.connect_timeout ?? '10s'),
    first_byte_timeout: durationMs(p.first_byte_timeout ?? '120s'),
    idle_timeout: durationMs(p.idle_timeout ?? '60s'),
    default_max_tokens: p.default_max_tokens ?? 8192,
    ...(p.cache !== undefined && { cache: p.cache }),
    ...(region !== undefined && { region }),
    ...(p.bedrock_api !== undefined && { bedrock_api: p.bedrock_api }),
    // empty (an optional `${VAR:-}`) means "not given": the default AWS chain applies
    ...(p.aws_access_key_id && { aws_access_key_id: p.aws_access_key_id }),
    ...(p.aws_secret_access_key && { aws_secret_access_key: p.aws_secret_access_key }),
    ...(p.aws_session_token && { aws_session_token: p.aws_session_token }),
    ...(vertex && { vertex }),
  }
}

/** `auth: { mode: none, allow_public: true }`: no client key on purpose, on a non-loopback
 *  address too (serve and check refuse that otherwise). */
function publicListener(auth: ConfigFile['auth'], problems: string[]): Pick<Config, 'allow_public'> {
  if (!auth) return {}
  if (auth.mode === 'none') return auth.allow_public ? { allow_public: true } : {}
  if (auth.allow_public !== undefined)
    problems.push('auth.allow_public: only applies with auth.mode none (with client keys a public listener needs no permission)')
  return {}
}
