// What the pipeline needs from the running process. runtime.ts builds it from a Config and the
// collaborators (router, key pools, auth, limits, ledger, metrics); tests can build their own.
import type { Config, ModelEntry, ProviderConfig } from '../config/types'
import type { Outcome } from '../upstream/outcome'
import type { FetchLike } from '../upstream/send'
import type { UpstreamModels } from '../upstream/upstream-models'
import type { SessionProgress } from '../sessions/session-progress'
import type { LoadedPlugin } from '../plugins/load-plugins'
import type { RuleFacts } from '../routing/rule-conditions'
import type { AttemptSpan, Tracer } from '../observe/otel/tracer'
import type { TraceContext } from '../observe/otel/trace-context'
import type { StoredResponsesService } from '../responses/stored-responses'
import type { CarryCache } from '../carry/carry-cache'
import type { ResponseCacheService } from '../cache/response-cache'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

// one shape for the plan routing makes and the pipeline runs
export type { Attempt, Plan } from '../routing/resolve-model'
import type { Attempt, Plan } from '../routing/resolve-model'

export type { Principal } from '../auth/principal'
import type { Principal } from '../auth/principal'

export interface Admission {
  headers: Record<string, string>
  /** idempotent: called on every exit path with what the request really used */
  release(usage: { tokens: number; costUsd: number }): void
}

export type { RequestRecord } from '../observe/request-record'
import type { RequestRecord } from '../observe/request-record'

/** One HTTP request as a route handler gets it. */
export interface Call {
  request: Request
  url: URL
  /** the base path the route matched under ('/' for none) */
  basePath: string
}

export interface AttemptReport {
  attempt: Attempt
  /** the key sent (undefined: none, or the failure came before one mattered) */
  key: string | undefined
  outcome: Outcome
  /** the upstream's requested wait, for a rate-limited key */
  retryAfterMs?: number
}

export interface ProxyContext {
  config: Config
  log: Logger
  fetch: FetchLike
  newId: (prefix: string) => string
  /** unix seconds */
  nowSeconds: () => number
  random: () => number
  sleep: (ms: number) => Promise<void>
  /** async only when replicas share round-robin positions through Redis */
  resolve(requested: string | undefined, basePath: string, facts?: RuleFacts): Plan | Promise<Plan>
  authenticate(request: Request, url: URL): Promise<Principal>
  /** throws a 403 GatewayError when the principal may not use this model / provider (undefined model: a model-less API call) */
  authorize(principal: Principal, requested: string | undefined, provider?: string): void
  /** reserves the estimate against tpm and budget until release() settles the real usage */
  admit(principal: Principal, estimatedTokens: number, estimatedCostUsd?: number): Promise<Admission>
  /** next upstream key of a provider (undefined: none configured) */
  upstreamKey(provider: ProviderConfig): string | undefined
  /** an attempt's classified outcome, for key benching, circuit breakers and metrics (acts, never decides) */
  reportAttempt(report: AttemptReport): void
  /** attempts in the order to try them (open circuits last) */
  orderAttempts(attempts: Attempt[]): Attempt[]
  /** backoff before retrying the same target */
  backoffMs(retry: number): number
  /** called once per request when it is completely finished; returns its cost in USD */
  finish(record: RequestRecord): number
  /** a request's lifecycle began (its finish() ends it): what a drain waits for */
  requestStarted?(): void
  /** a streamed response is going out (its finish() ends it): the active-streams gauge */
  streamStarted?(record: RequestRecord): void
  /** the config's plugins (their beforeRequest hooks run in the pipeline) */
  plugins?: readonly LoadedPlugin[]
  /** agent sessions' progress (inject_progress) */
  sessions?: SessionProgress
  /** the models providers serve (`list_wildcards: expand`), cached across reloads */
  upstreamModels?: UpstreamModels
  /** OpenTelemetry, when a collector is configured */
  tracer?: Tracer
  /** stored responses (Responses API `store`), when on and a usage database is configured */
  responses?: StoredResponsesService
  /** reasoning state clients cannot keep (signatures, encrypted reasoning), per key */
  carry?: CarryCache
  /** the response cache, when the config opts in somewhere and has a place for it */
  cache?: ResponseCacheService
}
