// The resolved configuration: what config/load.ts returns after parsing, interpolation,
// validation, defaults, env and flags. Durations are milliseconds, sizes are bytes.
// The user-facing contract is docs/config.md.
import type { DialectName } from '../dialects/dialect'

import type { LoadedPlugin, PluginSpec } from '../plugins/load-plugins'

export interface ServerConfig {
  host: string
  port: number
  base_paths: string[]
  request_timeout: number
  max_body_size: number
  /** grace period for in-flight requests on SIGTERM (ms) */
  shutdown_grace: number
  /** bytes: a non-streamed upstream answer larger than this is a 502 (providers may override);
   *  absent: the default of upstream/response-limits.ts */
  max_response_size?: number
  /** bytes: one SSE line or event larger than this ends the stream with an error; absent: the default */
  max_event_size?: number
  /** who may read /metrics and the details of /health: `key` = a client key auth accepts; absent: anyone */
  metrics_auth?: 'key'
}

/** client headers a provider forwards beyond its dialect's allow-list, or removes from it (lower case) */
export interface ForwardHeaders {
  add: string[]
  remove: string[]
}

export interface VertexConfig {
  project: string
  /** a region like us-central1, or global */
  location: string
  /** a service-account JSON key (or GOOGLE_APPLICATION_CREDENTIALS) */
  credentials_file?: string
  /** a static OAuth token instead of a key file */
  access_token?: string
}

export interface ProviderConfig {
  name: string
  dialect: DialectName
  /** absent for echo and bedrock (bedrock derives it from region) */
  base_url?: string
  /** [] means no key is sent; ['passthrough'] forwards the client's key */
  api_keys: string[]
  passthrough: boolean
  auth_header?: string
  auth_scheme?: string
  headers: Record<string, string>
  query: Record<string, string>
  /** absent: the dialect's allow-list as it is */
  forward_headers?: ForwardHeaders
  /** bytes; absent: server.max_response_size */
  max_response_size?: number
  /** bytes; absent: server.max_event_size */
  max_event_size?: number
  models: string[]
  max_retries: number
  connect_timeout: number
  first_byte_timeout: number
  idle_timeout: number
  default_max_tokens: number
  cache?: 'tools_only' | 'system_and_tools' | 'last_user_message' | 'last_2_user_messages' | 'last_3_user_messages'
  region?: string
  /** bedrock: Converse for every model, or InvokeModel with the native body (Claude); default by model id */
  bedrock_api?: 'converse' | 'invoke'
  aws_access_key_id?: string
  aws_secret_access_key?: string
  aws_session_token?: string
  /** Vertex AI (gemini or anthropic dialect): project, location, how to get a token */
  vertex?: VertexConfig
}

export interface TargetConfig {
  /** "provider/model" or "provider/*" */
  model: string
  weight: number
}

export interface SystemTransform {
  replace?: Record<string, string>
  prepend?: string
  append?: string
}

export interface ModelEntry {
  /** the key as written: exact name or glob */
  pattern: string
  /** single target entries have strategy 'fallback' and one target */
  strategy: 'round_robin' | 'random' | 'weighted' | 'fallback'
  targets: TargetConfig[]
  fallbacks: string[]
  /** true when written in the long (alias) form */
  alias: boolean
  system?: SystemTransform
  params?: Record<string, unknown>
  override?: Record<string, unknown>
  base_path?: string
  hidden: boolean
  /** add a short session-progress block to the system prompt (agent sessions only) */
  inject_progress?: boolean
  /** content-aware routing: first matching rule's target wins, else the targets above */
  rules?: RouteRule[]
  /** the response cache for this alias (opt-in) */
  cache?: ResponseCacheSettings
  /** how the key matches requested names (over policy.alias_matching); absent: exactly, or as a glob */
  match?: MatchOptions
  /** entries are tried by priority, highest first, then in file order (default 0; tiers are 1) */
  priority?: number
}

/** exact-match response cache: ttl in ms; any_temperature also caches requests with temperature > 0 */
export interface ResponseCacheSettings {
  ttl: number
  any_temperature: boolean
}

/** Alias matching options (models: entry `match:`, policy `alias_matching:`). */
export interface MatchOptions {
  case_insensitive?: boolean
  /** `-` and `_` are the same character */
  separators?: boolean
  /** the key anywhere in the requested name (exact keys only) */
  substring?: boolean
  /** a built-in tier (haiku, sonnet, opus): the tier's name, or a Claude model name (holding "claude") containing it */
  tier?: boolean
}

export interface RouteRule {
  name: string
  when: import('../routing/rule-conditions').WhenFile
  /** "provider/model" */
  target: string
}

export interface PolicyConfig {
  mode: 'allow_user_pick' | 'force_default' | 'alias_only'
  default_model?: string
  allowed_models: string[]
  expose_aliases: boolean
  list_wildcards: 'as_is' | 'ignore' | 'expand'
  /** names that match no entry and name no provider go here unchanged (instead of a "*" entry) */
  default_provider?: string
  /** matching options every models: key gets unless its entry says otherwise */
  alias_matching?: Omit<MatchOptions, 'tier'>
}

export interface Budget {
  usd: number
  per: 'day' | 'week' | 'month'
}

export interface Limits {
  rpm?: number
  tpm?: number
  max_concurrent?: number
  budget?: Budget
}

export interface KeyConfig extends Limits {
  key?: string
  key_sha256?: string
  name: string
  group: string
  /** the response cache for this key's requests (opt-in; wins over an alias's) */
  cache?: ResponseCacheSettings
}

export interface GroupConfig extends Limits {
  models: string[]
  providers: string[]
}

export interface AuthCheckConfig {
  url: string
  method: string
  headers: Record<string, string>
  group_claim: string
  name_claim?: string
  cache_ttl: number
  timeout: number
}

export interface AuthConfig {
  keys: KeyConfig[]
  groups: Record<string, GroupConfig>
  check?: AuthCheckConfig
}

/** An admin key (admin API and dashboard); never a client key. Exactly one of key / key_sha256. */
export interface AdminKeyConfig {
  key?: string
  /** lower-case hex */
  key_sha256?: string
  name: string
}

export interface AdminConfig {
  keys: AdminKeyConfig[]
}

export interface Price {
  input: number
  output: number
  cache_read?: number
  cache_write?: number
}

export interface LoggingConfig {
  level: 'debug' | 'info' | 'warn' | 'error'
  format: 'json' | 'pretty'
  /** logging.format was written in the config: it wins over the terminal default */
  format_set?: true
  requests: boolean
  /** the client's IP address on request lines (off by default: it is personal data) */
  remote_addr?: boolean
  /** debug a client: log request and response bodies, redacted and capped */
  bodies?: boolean
  /** request-line field renames (false: left out), lm-proxy's logger field mapping */
  fields?: Record<string, string | false>
  file: string
}

export interface Config {
  server: ServerConfig
  /** in file order */
  providers: ProviderConfig[]
  /** in file order */
  models: ModelEntry[]
  policy: PolicyConfig
  /** absent: no client key required (unless LLM_PROXY_API_KEY is set, which adds a key) */
  auth?: AuthConfig
  /** auth: { mode: none, allow_public: true } or --allow-public: serve a non-loopback address with no client auth */
  allow_public?: boolean
  /** absent: no admin API and no dashboard (/admin and /ui answer 404) */
  admin?: AdminConfig
  /** in file order; pattern is a glob over the upstream model name */
  pricing: Array<{ pattern: string; price: Price }>
  logging: LoggingConfig
  usage: { store: string }
  state: { redis: string; on_error: 'open' | 'closed' }
  /** Responses API stored responses (kept in the usage database) as written; absent: the defaults (responses-settings.ts) */
  responses?: ResponsesSettings
  /** OpenTelemetry export as written (OTEL_* variables fill what it leaves out at start) */
  otel?: { endpoint?: string; headers?: Record<string, string>; sampling_ratio?: number; service_name?: string }
  /** `plugins:` as written (paths relative to the config file) */
  plugin_specs?: PluginSpec[]
  /** the loaded modules (loadConfig and createGateway load them; check reports load errors) */
  plugins?: LoadedPlugin[]
  /** what the file says explicitly, so a reload can tell a deliberate change from a half-written file */
  explicit?: { auth_none?: boolean; no_providers?: boolean; no_models?: boolean }
  /** true when no config file was given (zero-config mode: providers from env, family routing) */
  zero_config: boolean
  /** where the config came from, for reload and `check` */
  source?: string
  debug: boolean
}

/** ttl in ms, max_bytes per stored response */
export interface ResponsesSettings {
  store: boolean
  ttl: number
  max_bytes: number
}
