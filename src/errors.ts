// The one error type. Raised anywhere, rendered at the edge by the client's dialect.
import type { ErrorKind } from './canonical/event'

export type { ErrorKind }

const KIND_BY_STATUS: Record<number, ErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  408: 'timeout',
  413: 'request_too_large',
  422: 'invalid_request',
  429: 'rate_limit',
  503: 'overloaded',
  504: 'timeout',
  529: 'overloaded',
}

export const kindForStatus = (status: number): ErrorKind =>
  KIND_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request')

/** Statuses worth trying elsewhere (another key or target): the default of GatewayError.retryable.
 *  Whether an attempt is retried is decided by upstream/outcome.ts alone, from this table. */
export const RETRYABLE_STATUSES = new Set([408, 409, 429, 500, 502, 503, 504, 529])

export interface GatewayErrorInit {
  /** OpenAI-style machine code: model_not_found, invalid_api_key, rate_limit_exceeded… */
  code?: string
  param?: string
  kind?: ErrorKind
  retryable?: boolean
  /** seconds, from the upstream or our own limiter */
  retryAfter?: number
  headers?: Record<string, string>
  cause?: unknown
}

export class GatewayError extends Error {
  readonly status: number
  readonly kind: ErrorKind
  readonly code?: string
  readonly param?: string
  readonly retryable: boolean
  readonly retryAfter?: number
  readonly headers?: Record<string, string>

  constructor(status: number, message: string, init: GatewayErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.status = status
    this.kind = init.kind ?? kindForStatus(status)
    this.code = init.code
    this.param = init.param
    this.retryable = init.retryable ?? RETRYABLE_STATUSES.has(status)
    this.retryAfter = init.retryAfter
    this.headers = init.headers
  }
}

export const badRequest = (message: string, param?: string) =>
  new GatewayError(400, message, { code: 'invalid_request', param })

/** Anything thrown becomes a GatewayError; unknown errors are a 500 without internals. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  return new GatewayError(500, 'internal error in llm-proxy', { cause: err, retryable: false })
}
