// The one outcome policy: what an attempt's result means for the plan (retry? another key?),
// for the key pool (bench the key?), for the target's circuit breaker and for the metrics. Pure:
// every path that ends an attempt (an HTTP answer, a failure before one, an error as the first
// stream event) asks classifyOutcome and acts on its verdict; nobody else decides.
import { GatewayError, RETRYABLE_STATUSES } from '../errors'

/** What happened to one attempt. */
export type OutcomeInput =
  /** the upstream answered with this HTTP status (2xx included); `retryHint` is its own verdict
   *  (`x-should-retry`), `passthrough` says the key was the client's own */
  | { answered: number; retryHint?: boolean; passthrough?: boolean }
  /** it answered 200, but the stream's first event is an error with this status */
  | { firstEvent: number }
  /** no usable answer: unreachable, timed out, bad body, unsupported dialect, client gone, our bug */
  | { failed: unknown }

export type BreakerSignal = 'success' | 'failure' | 'none'

export interface Outcome {
  /** another try (another key, target or later) may succeed */
  retryable: boolean
  /** the failure belongs to the key sent: try the provider's other keys first */
  keyBound: boolean
  /** what to do with that key: bench it as refused, or as rate-limited until a Retry-After */
  bench?: 'auth' | 'rate'
  /** what the target's circuit breaker learns (none: says nothing about its health) */
  breaker: BreakerSignal
  /** the status the client sees if this is the last attempt */
  clientStatus: number
  /** metrics label of a failure (undefined: success) */
  errorClass?: 'rate_limit' | 'auth' | 'timeout' | '5xx' | '4xx'
}

/** Errors a retry cannot change: the request or the route is wrong, not the moment. */
export const NEVER_RETRIED = new Set([400, 404, 422, 501])

/** 408, 409, 429, 500, 502, 503, 504, 529: worth another try (another key, target or later) */
export const isRetryableStatus = (status: number): boolean => RETRYABLE_STATUSES.has(status)

/** 401, 403, 429: the failure belongs to the key we sent, so another key may succeed */
export const isKeyBound = (status: number): boolean => status === 401 || status === 403 || status === 429

export function errorClassOf(status: number): Outcome['errorClass'] {
  if (status < 400) return undefined
  if (status === 429) return 'rate_limit'
  if (status === 401 || status === 403) return 'auth'
  if (status === 408 || status === 504) return 'timeout'
  if (status >= 500) return '5xx'
  return '4xx'
}

/** the breaker tracks whether the target is up: key trouble (401/403/429) and client errors say it is */
const breakerFor = (status: number): BreakerSignal => (status < 500 && status !== 408 ? 'success' : 'failure')

export function classifyOutcome(input: OutcomeInput): Outcome {
  if ('answered' in input) {
    const status = input.answered
    if (status < 400) return { retryable: false, keyBound: false, breaker: 'success', clientStatus: status }
    const keyBound = isKeyBound(status) && !input.passthrough
    const retryable = !NEVER_RETRIED.has(status) && (keyBound || (input.retryHint ?? isRetryableStatus(status)))
    const bench = !keyBound ? undefined : status === 429 ? 'rate' : 'auth'
    return { retryable, keyBound, bench, breaker: breakerFor(status), clientStatus: status, errorClass: errorClassOf(status) }
  }
  if ('firstEvent' in input) {
    // the HTTP answer accepted the key; the target itself failed
    const status = input.firstEvent
    return { retryable: isRetryableStatus(status) && !NEVER_RETRIED.has(status), keyBound: false, breaker: breakerFor(status), clientStatus: status, errorClass: errorClassOf(status) }
  }
  const err = input.failed
  if (!(err instanceof GatewayError)) return { retryable: false, keyBound: false, breaker: 'none', clientStatus: 500 }
  // a retryable failure (unreachable, silent, a body no decoder can read) says the target is down;
  // the others (the client left, a request no encoder can send) say nothing about it
  const retryable = err.retryable && !NEVER_RETRIED.has(err.status)
  return { retryable, keyBound: false, breaker: retryable ? 'failure' : 'none', clientStatus: err.status, errorClass: retryable ? errorClassOf(err.status) : undefined }
}
