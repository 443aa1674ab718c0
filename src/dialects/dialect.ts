// The contract every dialect folder fulfils: ONE value per folder (`src/dialects/<name>/index.ts`)
// holding everything the rest of the program knows about that dialect — its codecs, the front-door
// routes it serves, how its upstreams are reached and keyed, how transforms edit its wire body,
// its pass-through adaptations and its model-list shape. Pure: no fetch, no clock, no randomness
// except through the context passed in. Nothing outside its folder and the registry line in
// dialects/index.ts names a dialect (test/architecture enforces it).
import type { CanonEvent } from '../canonical/event'
import type { CanonRequest, ReasoningOrigin } from '../canonical/request'
import type { CanonResponse } from '../canonical/response'
import type { GatewayError } from '../errors'
import type { Framing } from '../framing/frame-reader'
import type { SseFrame } from '../framing/sse'
import type { VertexPublisher } from './vertex-publisher'

/** a registered dialect's name: the registry's keys (dialects/index.ts) */
export type { DialectName } from './index'

/** A stateful translator, one instance per stream. push() and end() call emit synchronously. */
export interface StreamTranslator<I, O> {
  push(input: I, emit: (out: O) => void): void
  /** input ended (cleanly or not): close open blocks, emit what the format needs to finish */
  end(emit: (out: O) => void): void
}

export interface WireRequest {
  /** path appended to the provider's base_url, e.g. "/chat/completions" or "/v1/messages" */
  path: string
  body: Record<string, unknown>
  /** extra headers the dialect needs (e.g. anthropic-version) */
  headers?: Record<string, string>
  /** request fields the target cannot honour, dropped on the way (config/param names, e.g. "seed", "tools.web_search") */
  dropped?: string[]
}

/** A pass-through body as it goes upstream, and what of the stream the client must not see. */
export interface PassthroughAdaptation {
  body: Record<string, unknown>
  /** true for a frame (its `data`) the proxy asked for and the client did not */
  hide?: (data: string) => boolean
}

/** What a decoder reports besides the request: fields it could not represent (dialects/dropped.ts names). */
export interface DecodeContext {
  dropped: string[]
}

export interface EncodeOptions {
  /** the upstream model name */
  model: string
  /** used when the dialect requires max tokens and the request has none */
  defaultMaxTokens: number
  /** the target provider's config entry, for the dialect's own keys (its `providerKeys`) */
  provider?: ProviderEntry
}

export interface ResponseContext {
  /** the model name the client asked for: responses echo it back */
  model: string
  /** id generator (injected so tests are deterministic) */
  newId: (prefix: string) => string
  /** unix seconds */
  now: () => number
  /** the decoded client request, when an encoder needs it (Responses echoes tools, instructions…) */
  request?: CanonRequest
  /** the request's input tokens counted locally (time-bounded), for an encoder that must state
   *  them before the upstream has (Anthropic's message_start) */
  estimateInputTokens?: () => number
  /** the proxy stores this response (a front door with `stored`): the encoder hands it over once, completed */
  keep?: ResponseKeeper
}

/** Where a front-door encoder hands a completed response the proxy stores (stored responses). */
export interface ResponseKeeper {
  /** the stored response this request continued (echoed as previous_response_id) */
  previousId?: string
  /** the client's response object as JSON text, under the id the client saw */
  save(id: string, response: string): void
}

/**
 * A front door whose API keeps responses server-side (OpenAI Responses: `store`,
 * `previous_response_id`, GET/DELETE by id): the wire facts the proxy needs to keep them for
 * any upstream. Pure readers and writers over the client's JSON.
 */
export interface StoredResponses {
  /** GET/DELETE {route}/{id} and GET {route}/{id}/input_items are served under these paths */
  routes: string[]
  /** the response a request continues; throws a GatewayError (400) when malformed */
  previousId(body: Body): string | undefined
  /** the client wants this response stored (the API's default: yes) */
  wantsStore(body: Body): boolean
  /** the request's own input as a list of items */
  inputItems(body: Body): unknown[]
  /** the body with `history` (earlier turns' items) before its own input, no longer naming a previous response */
  continued(body: Body, history: unknown[]): Body
  /** a stored response object's output items (what the next turn continues from) */
  outputItems(response: Body): unknown[]
  /** the error for an unknown (or another key's) response id: the same either way */
  notFound(id: string, param?: string): GatewayError
  /** an input item as the API lists it, with a stable id made from its response's id and place when it has none */
  identify(item: unknown, responseId: string, index: number): Record<string, unknown>
  /** GET {id}/input_items: one page of identified items, per the query (limit, order, after) */
  listItems(items: Record<string, unknown>[], query: URLSearchParams): unknown
  /** the DELETE answer */
  deleted(id: string): unknown
}

export interface ErrorReply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** How an upstream of this dialect takes a key when the provider config does not say. */
export interface AuthDefault {
  header: string
  scheme: string
}

/** A models: entry's system transform (config `system:`), as a dialect applies it to its wire body. */
export interface SystemEdit {
  replace?: Record<string, string>
  prepend?: string
  append?: string
}

type Body = Record<string, unknown>

/** How pass-through transforms (`params` / `override` / `system`) edit this dialect's wire body. */
export interface WireEdits {
  /** config key → wire key; null: this dialect has no such field (the key is dropped); absent: as written */
  keys: Record<string, string | null>
  /** wire keys that take a list: a lone string is wrapped */
  listKeys?: string[]
  /** where the output budget goes: the field the body already uses, else the preferred one */
  maxTokensKey(body: Body): string
  /** config keys that need more than a rename (e.g. reasoning_effort → reasoning.effort) */
  special?: Record<string, (out: Body, value: unknown, force: boolean) => void>
  /** applies a system transform: reads `body`, writes changed fields to `out` */
  system(body: Body, out: Body, edit: SystemEdit): void
}

/** The pieces of a provider's config entry a dialect's hook may read (structural: config is above us). */
export interface ProviderFacts {
  base_url?: string
  region?: string
  /** the entry as written (a dialect reads only the keys it declares in `providerKeys`) */
  settings?: Readonly<Record<string, unknown>>
  /** the environment the config is resolved with (e.g. a default region) */
  env?: Readonly<Record<string, string | undefined>>
}

/** A provider's resolved config entry as a dialect reads it (structural: config is above us); its
 *  own keys (`providerKeys`) are read with `providerSetting`. */
export interface ProviderEntry {
  readonly name: string
  readonly region?: string
}

/** one of a dialect's own config keys on a provider entry */
export const providerSetting = (p: ProviderEntry | undefined, key: string): unknown => (p as Readonly<Record<string, unknown>> | undefined)?.[key]

/** An upstream request as it will be sent: what a signer covers. */
export interface OutgoingRequest {
  url: string
  headers: Headers
  body: string
}

/** What a request signer gets from the I/O edge. */
export interface SignContext {
  env: Readonly<Record<string, string | undefined>>
  /** a small local file's text (credentials files), undefined when absent */
  readFile: (path: string) => string | undefined
  now: Date
  /** secrets found outside the config (environment, files): log lines must not show them either */
  registerSecret: (secret: string | undefined) => void
}

/** The proxy's cache-marker pattern names (config `cache:`). */
export type CachePattern = 'tools_only' | 'system_and_tools' | 'last_user_message' | 'last_2_user_messages' | 'last_3_user_messages'

/** A field a request must have, and the JSON kinds it may be. */
export type RequiredField = [field: string, kinds: Array<'array' | 'string' | 'object'>]

/** A model as the proxy lists it (GET /v1/models). */
export interface ListedModel {
  id: string
  owned_by: string
}

/** One front-door call as a path-routed URL states it (Gemini: `models/{model}:{method}`). */
export interface PathCall {
  model: string
  action: 'generate' | 'count_tokens'
  stream: boolean
  /** a stream the client reads as one JSON array instead of SSE (Gemini without `alt=sse`) */
  jsonArray: boolean
}

/** Front-door routes whose URL carries the model and the method. */
export interface PathRoutes {
  /** path prefixes (under every base path) ending where the parameters begin, e.g. "/v1beta/models/" */
  prefixes: string[]
  /** `rest` is the path after the prefix, still %-encoded; undefined: no such method */
  parse(rest: string, url: URL): PathCall | undefined
  /** a count-tokens body → the generate body it counts; the count → the dialect's reply */
  countRequest(body: Record<string, unknown>): Record<string, unknown>
  countReply(tokens: number): unknown
  /** a count forwarded to a same-dialect upstream: its path and body */
  countUpstream(model: string, body: Record<string, unknown>): { path: string; body: Record<string, unknown> }
}

/** The codecs: how this dialect's wire maps to and from the canonical forms. */
export interface Codecs {
  /** client body (already JSON-parsed, an object) → canonical; throws GatewayError(400) on bad input */
  decodeRequest(body: Record<string, unknown>, ctx?: DecodeContext): CanonRequest
  /** canonical → this dialect's wire; what the target cannot honour is named in `dropped` */
  encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest
  decodeResponse(body: unknown): CanonResponse
  encodeResponse(res: CanonResponse, ctx: ResponseContext): unknown
  /** upstream SSE frames → canonical events */
  decodeStream(): StreamTranslator<SseFrame, CanonEvent>
  /** canonical events → client SSE frames */
  encodeStream(ctx: ResponseContext): StreamTranslator<CanonEvent, SseFrame>
  /** error the proxy raises, rendered for this dialect's client */
  encodeError(err: GatewayError): ErrorReply
  /** an upstream non-2xx answer of this dialect → GatewayError (status kept, message extracted) */
  decodeError(status: number, bodyText: string, headers: Headers): GatewayError
  /** the SSE frame(s) announcing an error after the stream has started */
  streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[]
}

/** Facts every registered dialect declares, remote or local. */
interface DialectFacts {
  /** its registry key: what a provider's `dialect:` names */
  name: string
  /** default base_url of a provider of this dialect (config `base_url` overrides it) */
  defaultBaseUrl?: string
  /** extra checks and defaults for a provider entry of this dialect (e.g. a base_url from a region) */
  normalizeProvider?(p: ProviderFacts, problem: (key: string, message: string) => void): { base_url?: string; region?: string }
  /** provider config keys only this dialect takes (on another dialect's provider they are refused) */
  providerKeys?: string[]
  /** OpenTelemetry's gen_ai.system for its upstreams (GenAI semantic conventions) */
  genAiSystem?: string
  /** zero-config discovery: a provider of this dialect is set up when one of `vars` is set */
  discovery?: { provider: string; vars: string[]; families: string[] }
}

/** A dialect spoken on the wire: codecs plus the facts the gateway needs around them. */
export interface Dialect extends DialectFacts, Codecs {
  local?: undefined
  /** the tag its reasoning parts carry (whose signatures / encrypted state they hold) */
  reasoningOrigin: ReasoningOrigin
  // ---- as a front door
  /** client-facing POST paths this dialect serves (under every base path); [] = upstream only */
  routes: string[]
  /** body fields a request must have (checked before pass-through, which does not decode) */
  required: RequiredField[]
  /** true when a request on a dialect-less endpoint (models list, 404) is this dialect's client */
  claims?(headers: Headers, url?: URL): boolean
  /** the GET /v1/models answer in this dialect's shape (GET /v1/models/{id} answers `data[0]`,
   *  or `modelEntry` when the dialect has one) */
  modelList?(models: ListedModel[], startedAtMs: number): { data: unknown[] } | { models: unknown[] }
  modelEntry?(model: ListedModel, startedAtMs: number): unknown
  /** routes whose URL carries the model and the method (served as `{prefix}*` under every base
   *  path; a GET on the prefix without its slash lists models in this dialect's shape) */
  pathRoutes?: PathRoutes
  /** token counting: routes it serves, and where a same-dialect upstream counts (under upstreamPath) */
  countTokens?: { routes: string[]; upstreamSuffix: string }
  /** routes whose body is accepted and discarded (client telemetry) */
  sinkRoutes?: string[]
  /** its API stores responses server-side: the proxy keeps them whatever the upstream */
  stored?: StoredResponses
  // ---- as an upstream
  /** where a same-dialect (pass-through) request goes, relative to the provider's base_url */
  upstreamPath: string
  /** …when the model and the stream switch are in the path instead */
  passthroughPath?(model: string, stream: boolean): string
  /** how Vertex AI serves this dialect (a provider's `vertex:`) */
  vertex?: VertexPublisher
  /** how its upstreams take a key when the provider config does not say */
  auth: AuthDefault
  /** its upstreams' models-list path under the base_url (`llm-proxy doctor`'s auth check), if they have one */
  modelsPath?: string
  /** what a pass-through forwards from the client beyond the common tracing/identity headers:
   *  this API's own headers (versions, betas) and the query parameters its clients send */
  forward?: { headers: readonly string[]; query?: readonly string[] }
  /** the rest of its vendor's API (embeddings, files, batches…), forwarded as it is */
  api?: PassthroughApi
  /** how pass-through transforms edit this wire body; absent: transforms need the translated path */
  wire?: WireEdits
  /** adds prompt-cache markers to this dialect's wire body per a provider's `cache` pattern */
  cacheMarkers?(body: Body, pattern: CachePattern): Body
  /**
   * adapts a pass-through body: strips what only the proxy may read (state it parked with the
   * client), asks for what the ledger needs; `hide` names stream frames the client must not see
   */
  adaptPassthrough?(body: Body): PassthroughAdaptation
  /** true when an upstream refused what adaptPassthrough added: the proxy retries with the body as-is */
  refusedAdaptation?(status: number, bodyText: string): boolean
  /** how its upstream streams are framed (default 'sse') */
  framing?: Framing
  /**
   * authenticates the final request in place, after every header is set (nothing changes it
   * after): `key` is the provider key chosen for this attempt, if any
   */
  sign?(req: OutgoingRequest, provider: ProviderEntry, key: string | undefined, ctx: SignContext): void
  /** count_tokens for another dialect's client, asked of this upstream's own counter */
  upstreamTokenCount?: {
    /** the request to send; undefined when this model cannot be counted upstream */
    request(req: CanonRequest, model: string): WireRequest | undefined
    /** the count in the answer */
    read(body: unknown): number | undefined
  }
}

/**
 * The endpoints of a vendor's API besides generation, which the proxy forwards unchanged (only a
 * JSON body's `model` is replaced by the upstream model). Data, so that the route table, routing
 * and the handler never name a dialect.
 */
export interface PassthroughApi {
  /** dialects declaring the same family serve the same paths (OpenAI Chat and Responses: one API) */
  family: string
  /** client paths under every base path: `*` is one segment, a trailing `**` any rest */
  paths: string[]
  /** the leading part of a client path the provider's base_url already holds ('/v1' when base_url ends in /v1) */
  basePrefix: string
  /** JSON answer fields that report tokens (any depth inside `usage`), for the ledger */
  usage?: { input: string[]; output: string[] }
}

/** The events a local responder produces for one request. */
export interface LocalContext {
  newId: (prefix: string) => string
}

/** A provider answered in-process (no upstream, no key), for any front dialect. */
export interface LocalDialect extends DialectFacts {
  local: { respond(req: CanonRequest, ctx: LocalContext): CanonEvent[] }
}

/** One registry entry. */
export type Registered = Dialect | LocalDialect
