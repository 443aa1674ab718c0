// What one generation request carries through its attempts: the client's request as read once,
// its plan, and its lifecycle (the record and finishing it).
import type { CanonRequest } from '../canonical/request'
import type { Dialect, ResponseKeeper } from '../dialects/dialect'
import type { GatewayError } from '../errors'
import { applyTransforms } from '../routing/apply-transforms'
import type { Outcome } from '../upstream/outcome'
import type { Attempt, Plan, Principal } from './context'
import type { RequestLifecycle } from './lifecycle'
import type { RouteInfo } from './response-headers'
import { noteDropped } from '../observe/request-record'
import type { RawBody } from './model-splice'

export interface RequestState {
  /** the front door: the client's dialect */
  entry: Dialect
  request: Request
  url: URL
  body: Record<string, unknown>
  bodySize: number
  /** the client's text of `body`, while nothing but its parse made `body` (model-splice.ts) */
  raw?: RawBody
  plan: Plan
  principal: Principal
  life: RequestLifecycle
  /** decoded once, lazily: pass-through attempts never need it */
  canonical: CanonRequest | undefined
  /** what the decode found no canonical field for, until a translated attempt notes it */
  decodeDropped?: string[]
  /** the client reads a streamed JSON array (Gemini without alt=sse), not SSE */
  jsonArray?: boolean
  /** the proxy stores a translated answer (proxy/stored.ts); a pass-through one is the upstream's to keep */
  keep?: ResponseKeeper
  /** a response-cache miss: the answer is stored under this key (proxy/cache.ts) */
  cache?: { key: string; ttl: number }
}

export interface ErrorOutcome {
  kind: 'error'
  error: GatewayError
  attempt: Attempt
  /** the outcome policy's verdict on it */
  verdict: Outcome
  /** the key sent, for benching */
  key?: string
  retryAfterMs?: number
  /** the upstream's own error answer, for a same-dialect client */
  raw?: (info: RouteInfo) => Response
}

export interface ResponseOutcome {
  kind: 'response'
  response: Response
  verdict: Outcome
  key?: string
}

export type AttemptOutcome = ResponseOutcome | ErrorOutcome

/** The client's request decoded, once (what no canonical field holds is named for the log and metrics). */
export function decodedRequest(state: RequestState): CanonRequest {
  if (!state.canonical) {
    state.decodeDropped = []
    state.canonical = state.entry.decodeRequest(state.body, { dropped: state.decodeDropped })
  }
  // noted only when the decoded form is used (a translated attempt): pass-through drops nothing
  if (state.decodeDropped) noteDropped(state.life.rec, state.entry.name, state.decodeDropped)
  state.decodeDropped = undefined
  return state.canonical
}

/** The canonical request for one target: the client's request with the target's transforms. */
export function canonicalFor(state: RequestState, attempt: Attempt): CanonRequest {
  const req = decodedRequest(state)
  return attempt.entry ? applyTransforms(req, attempt.entry) : req
}

export function routeInfo(state: RequestState, attempt: Attempt): RouteInfo {
  const rec = state.life.rec
  return { requestId: rec.requestId, provider: attempt.provider.name, model: attempt.model, attempts: rec.attempts, limitHeaders: state.life.admission?.headers, rule: rec.rule }
}
