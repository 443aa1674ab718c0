// TypeBox schema of the config FILE (docs/config.md), before defaults: strict, every
// object rejects unknown keys. `description` is what report.ts prints as "expected …".
import { Type, type Static, type TLiteral, type TUnion } from '@sinclair/typebox'
import { dialectNames, type DialectName } from '../dialects'
import type { CachePattern } from '../dialects/dialect'
import { DURATION_PATTERN, SIZE_PATTERN } from './units'

const strict = { additionalProperties: false } as const
const Opt = Type.Optional

const Enum = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as TUnion<TLiteral<T[number]>[]>

/** the dialects this build can send to: the registry's keys (a config naming another is refused) */
export const DIALECTS = dialectNames() as [DialectName, ...DialectName[]]
export const STRATEGIES = ['round_robin', 'random', 'weighted', 'fallback'] as const
export const POLICY_MODES = ['allow_user_pick', 'force_default', 'alias_only'] as const
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export const CACHE_MODES = [
  'tools_only',
  'system_and_tools',
  'last_user_message',
  'last_2_user_messages',
  'last_3_user_messages',
] as const satisfies readonly CachePattern[]

const Duration = Type.Union([Type.Number({ minimum: 0 }), Type.String({ pattern: DURATION_PATTERN })], {
  description: 'a duration like 250ms, 30s, 5m, 1h or a number of milliseconds',
})
const Size = Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: SIZE_PATTERN })], {
  description: 'a size like 512KiB, 10MB, 32MiB or a number of bytes',
})
const HttpUrl = Type.String({ pattern: '^https?://', description: 'an http:// or https:// URL' })
const PathPrefix = Type.String({ pattern: '^/', description: 'a path starting with "/"' })
const StringMap = Type.Record(Type.String(), Type.String())
const Globs = Type.Array(Type.String({ minLength: 1 }))

const Server = Type.Object(
  {
    host: Opt(Type.String({ minLength: 1 })),
    port: Opt(Type.Integer({ minimum: 0, maximum: 65535 })), // 0: any free port (tests)
    base_paths: Opt(Type.Array(PathPrefix, { minItems: 1 })),
    request_timeout: Opt(Duration),
    max_body_size: Opt(Size),
    shutdown_grace: Opt(Duration),
    max_response_size: Opt(Size),
    max_event_size: Opt(Size),
    metrics_auth: Opt(Enum(['none', 'key'] as const)),
  },
  strict,
)

/** Vertex AI: the project and location, and a service-account key file or a static token */
const Vertex = Type.Object(
  {
    project: Type.String({ minLength: 1, pattern: '^[a-z0-9][a-z0-9:.-]*$', description: 'a Google Cloud project id' }),
    location: Opt(Type.String({ minLength: 1, pattern: '^[a-z0-9-]+$', description: 'a region like us-central1, or global' })),
    credentials_file: Opt(Type.String()),
    access_token: Opt(Type.String()),
  },
  strict,
)

const providerSchema = (dialects: readonly DialectName[]) => Type.Object(
  {
    dialect: Enum(dialects),
    base_url: Opt(HttpUrl),
    api_key: Opt(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'a key, a list of keys or "passthrough"',
      }),
    ),
    auth_header: Opt(Type.String({ minLength: 1 })),
    auth_scheme: Opt(Type.String()),
    headers: Opt(StringMap),
    query: Opt(StringMap),
    forward_headers: Opt(
      Type.Object(
        { add: Opt(Type.Array(Type.String({ minLength: 1 }))), remove: Opt(Type.Array(Type.String({ minLength: 1 }))) },
        { ...strict, description: '{ add: [header names], remove: [header names] } (a trailing * matches a prefix)' },
      ),
    ),
    max_response_size: Opt(Size),
    max_event_size: Opt(Size),
    models: Opt(Type.Array(Type.String({ minLength: 1 }))),
    max_retries: Opt(Type.Integer({ minimum: 0 })),
    connect_timeout: Opt(Duration),
    first_byte_timeout: Opt(Duration),
    idle_timeout: Opt(Duration),
    default_max_tokens: Opt(Type.Integer({ minimum: 1 })),
    cache: Opt(Enum(CACHE_MODES)),
    region: Opt(Type.String()),
    aws_region: Opt(Type.String()),
    bedrock_api: Opt(Enum(['converse', 'invoke'] as const)),
    aws_access_key_id: Opt(Type.String()),
    aws_secret_access_key: Opt(Type.String()),
    aws_session_token: Opt(Type.String()),
    vertex: Opt(Vertex),
  },
  strict,
)

const Target = Type.Union(
  [
    Type.String({ minLength: 1 }),
    Type.Object({ model: Type.String({ minLength: 1 }), weight: Opt(Type.Number({ exclusiveMinimum: 0 })) }, strict),
  ],
  { description: '"provider/model" or { model, weight }' },
)

const OneOrMany = Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
  description: 'a string or a list of strings',
})

/** A routing rule's condition: every key given must hold; all/any/not combine maps. */
export const WhenSchema = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        model: Opt(OneOrMany),
        input_tokens_gt: Opt(Type.Integer({ minimum: 0 })),
        thinking: Opt(Type.Boolean()),
        images: Opt(Type.Boolean()),
        tools: Opt(Type.Boolean()),
        web_search: Opt(Type.Boolean()),
        front: Opt(OneOrMany),
        header: Opt(StringMap),
        metadata: Opt(StringMap),
        group: Opt(OneOrMany),
        key: Opt(OneOrMany),
        all: Opt(Type.Array(Self, { minItems: 1 })),
        any: Opt(Type.Array(Self, { minItems: 1 })),
        not: Opt(Self),
      },
      strict,
    ),
  { $id: 'When' },
)

const Rule = Type.Object(
  { name: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9._-]+$', description: 'letters, digits, . _ -' }), when: WhenSchema, target: Type.String({ minLength: 1 }) },
  strict,
)

/** the response cache, opt-in on an alias or a key */
const ResponseCache = Type.Object({ ttl: Duration, any_temperature: Opt(Type.Boolean()) }, strict)

const Match = Type.Object(
  { case_insensitive: Opt(Type.Boolean()), separators: Opt(Type.Boolean()), substring: Opt(Type.Boolean()) },
  strict,
)

const Alias = Type.Object(
  {
    strategy: Opt(Enum(STRATEGIES)),
    targets: Type.Array(Target, { minItems: 1 }),
    fallbacks: Opt(Type.Array(Type.String({ minLength: 1 }))),
    system: Opt(
      Type.Object({ replace: Opt(StringMap), prepend: Opt(Type.String()), append: Opt(Type.String()) }, strict),
    ),
    params: Opt(Type.Record(Type.String(), Type.Unknown())),
    override: Opt(Type.Record(Type.String(), Type.Unknown())),
    base_path: Opt(PathPrefix),
    hidden: Opt(Type.Boolean()),
    inject_progress: Opt(Type.Boolean()),
    rules: Opt(Type.Array(Rule, { minItems: 1 })),
    cache: Opt(ResponseCache),
    match: Opt(Match),
    priority: Opt(Type.Integer()),
  },
  strict,
)

/** `models:` — also the shape of the `--routes` flag. */
export const ModelsSchema = Type.Record(
  Type.String(),
  Type.Union([Type.String({ minLength: 1 }), Alias], { description: '"provider/model" or { strategy, targets, … }' }),
)

const Policy = Type.Object(
  {
    mode: Opt(Enum(POLICY_MODES)),
    default_model: Opt(Type.String({ minLength: 1 })),
    allowed_models: Opt(Globs),
    expose_aliases: Opt(Type.Boolean()),
    list_wildcards: Opt(Enum(['as_is', 'ignore', 'expand'] as const)),
    default_provider: Opt(Type.String({ minLength: 1 })),
    alias_matching: Opt(Match),
    /** Claude's model tiers → a target each: "haiku: openai/gpt-5-mini" */
    tiers: Opt(Type.Object({ haiku: Opt(Type.String({ minLength: 1 })), sonnet: Opt(Type.String({ minLength: 1 })), opus: Opt(Type.String({ minLength: 1 })) }, strict)),
  },
  strict,
)

const Count = Type.Integer({ minimum: 1 })
const limitFields = {
  rpm: Opt(Count),
  tpm: Opt(Count),
  max_concurrent: Opt(Count),
  budget: Opt(Type.Object({ usd: Type.Number({ minimum: 0 }), per: Enum(['day', 'week', 'month'] as const) }, strict)),
}

const Key = Type.Object(
  {
    key: Opt(Type.String()),
    key_sha256: Opt(
      Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: '64 hex characters (the sha256 of the key)' }),
    ),
    name: Opt(Type.String({ minLength: 1 })),
    group: Opt(Type.String({ minLength: 1 })),
    ...limitFields,
    cache: Opt(ResponseCache),
  },
  strict,
)

const Group = Type.Object({ models: Opt(Globs), providers: Opt(Globs), ...limitFields }, strict)

const Check = Type.Object(
  {
    url: HttpUrl,
    method: Opt(Enum(['GET', 'POST'] as const)),
    headers: Opt(StringMap),
    group_claim: Opt(Type.String({ minLength: 1 })),
    name_claim: Opt(Type.String({ minLength: 1 })),
    cache_ttl: Opt(Duration),
    timeout: Opt(Duration),
  },
  strict,
)

const Auth = Type.Object(
  {
    // `none` says in the file itself that no client key is wanted (a reload may then drop auth)
    mode: Opt(Enum(['keys', 'none'] as const)),
    // allow_public: with mode none, on a non-loopback address too
    allow_public: Opt(Type.Boolean()),
    keys: Opt(Type.Array(Key)),
    groups: Opt(Type.Record(Type.String(), Group)),
    check: Opt(Check),
  },
  strict,
)

const AdminKey = Type.Object(
  {
    key: Opt(Type.String()),
    key_sha256: Opt(
      Type.String({ pattern: '^[0-9a-fA-F]{64}$', description: '64 hex characters (the sha256 of the key)' }),
    ),
    name: Opt(Type.String({ minLength: 1 })),
  },
  strict,
)

/** `admin:` — who may use the admin API (/admin) and the dashboard (/ui). */
const Admin = Type.Object({ keys: Type.Array(AdminKey, { minItems: 1 }) }, strict)

const Price = Type.Number({ minimum: 0 })
const Pricing = Type.Record(
  Type.String(),
  Type.Object({ input: Price, output: Price, cache_read: Opt(Price), cache_write: Opt(Price) }, strict),
)

const Logging = Type.Object(
  {
    level: Opt(Enum(LOG_LEVELS)),
    format: Opt(Enum(['json', 'pretty'] as const)),
    requests: Opt(Type.Boolean()),
    remote_addr: Opt(Type.Boolean()),
    bodies: Opt(Type.Boolean()),
    /** request-line field → the name to log it under, or false to leave it out */
    fields: Opt(Type.Record(Type.String(), Type.Union([Type.String({ minLength: 1 }), Type.Literal(false)]))),
    file: Opt(Type.String()),
  },
  strict,
)

const Usage = Type.Object(
  {
    store: Opt(
      Type.String({
        pattern: '^(none|sqlite:.+|postgres(ql)?://.+)$',
        description: '"none", "sqlite:PATH" or "postgres://…"',
      }),
    ),
  },
  strict,
)

const State = Type.Object(
  {
    redis: Opt(Type.String({ pattern: '^(rediss?://.+)?$', description: '"" or a redis:// / rediss:// URL' })),
    on_error: Opt(Enum(['open', 'closed'] as const)),
  },
  strict,
)

const Responses = Type.Object(
  {
    store: Opt(Type.Boolean()),
    ttl: Opt(Duration),
    max_bytes: Opt(Size),
  },
  strict,
)

const Otel = Type.Object(
  {
    endpoint: Opt(HttpUrl),
    headers: Opt(StringMap),
    sampling_ratio: Opt(Type.Number({ minimum: 0, maximum: 1 })),
    service_name: Opt(Type.String({ minLength: 1 })),
  },
  strict,
)

const configFileSchema = (dialects: readonly DialectName[]) => Type.Object(
  {
    server: Opt(Server),
    providers: Opt(Type.Record(Type.String(), providerSchema(dialects))),
    models: Opt(ModelsSchema),
    policy: Opt(Policy),
    auth: Opt(Auth),
    admin: Opt(Admin),
    pricing: Opt(Pricing),
    logging: Opt(Logging),
    usage: Opt(Usage),
    state: Opt(State),
    responses: Opt(Responses),
    otel: Opt(Otel),
    plugins: Opt(
      Type.Array(
        Type.Union([Type.String({ minLength: 1 }), Type.Object({ path: Type.String({ minLength: 1 }), options: Opt(Type.Record(Type.String(), Type.Unknown())) }, strict)], {
          description: 'a module path or { path, options }',
        }),
      ),
    ),
  },
  strict,
)

const Provider = providerSchema(DIALECTS)
export const ConfigFileSchema = configFileSchema(DIALECTS)

let current = { names: DIALECTS.join(), schema: ConfigFileSchema }

/** the config schema for the dialects registered now (a test may register one after load) */
export function currentConfigSchema(): typeof ConfigFileSchema {
  const names = dialectNames()
  if (names.join() !== current.names) current = { names: names.join(), schema: configFileSchema(names as DialectName[]) }
  return current.schema
}

export type ConfigFile = Static<typeof ConfigFileSchema>
export type ProviderFile = Static<typeof Provider>
export type ModelsFile = Static<typeof ModelsSchema>
export type AliasFile = Static<typeof Alias>
export type AuthFile = Static<typeof Auth>
export type ResponseCacheFile = Static<typeof ResponseCache>
export type AdminFile = Static<typeof Admin>
