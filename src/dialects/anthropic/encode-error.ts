// Errors in the Anthropic shape `{"type":"error","error":{"type","message"}}`: rendered for
// Anthropic clients (HTTP bodies and the in-stream `event: error` frame), read from Anthropic
// upstreams.
import type { ErrorKind } from '../../canonical/event'
import { GatewayError, kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { ErrorReply } from '../dialect'
import { decodeErrorBody, noMessage } from '../error-body'
import { retryAfterHeaders, retryAfterSeconds, shouldRetryHeader } from '../retry-headers'
import { asString, isObject, type Json } from './wire'

const TYPE_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  timeout: 'timeout_error',
  api_error: 'api_error',
}

const KIND_BY_TYPE: Record<string, ErrorKind> = {
  invalid_request_error: 'invalid_request',
  billing_error: 'permission',
  authentication_error: 'authentication',
  permission_error: 'permission',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  overloaded_error: 'overloaded',
  timeout_error: 'timeout',
  api_error: 'api_error',
}

/** status of an error type that came without one (in-stream `error` events) */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  billing_error: 402,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  overloaded_error: 529,
  timeout_error: 504,
  api_error: 500,
}

const errorType = (status: number, kind: string): string =>
  status === 402 ? 'billing_error' : (TYPE_BY_KIND[kind as ErrorKind] ?? TYPE_BY_KIND[kindForStatus(status)])

const errorBody = (type: string, message: string): Json => ({ type: 'error', error: { type, message } })

/** Anthropic's overloaded status is 529 (Claude Code retries it and shows "overloaded") */
export function encodeError(err: GatewayError): ErrorReply {
  const status = err.kind === 'overloaded' && err.status === 503 ? 529 : err.status
  const headers: Record<string, string> = { ...err.headers, ...retryAfterHeaders(err.retryAfter) }
  return { status, body: errorBody(errorType(status, err.kind), err.message), headers }
}

/** `event: error` is what makes the SDK throw; nothing may follow it */
export function streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[] {
  return [{ event: 'error', data: JSON.stringify(errorBody(errorType(err.status, err.kind), err.message)) }]
}

/** an in-stream `error` event's payload → status, kind, message */
export function streamError(e: Json): { status: number; kind: ErrorKind; message: string } {
  const inner = isObject(e.error) ? e.error : e
  const type = asString(inner.type) ?? ''
  const status = STATUS_BY_TYPE[type] ?? 502
  return { status, kind: KIND_BY_TYPE[type] ?? kindForStatus(status), message: asString(inner.message) || 'upstream stream error' }
}

/** `{"type":"error","error":{…}}` (or `{"error":"…"}`, `{"message":"…"}`) → GatewayError; status 0 = derive it */
export function errorFromBody(status: number, body: Json, headers?: Headers, snippet?: string): GatewayError {
  const e = body.error
  let message: string | undefined
  let type: string | undefined
  if (isObject(e)) {
    message = asString(e.message)
    type = asString(e.type)
  } else message = asString(e) ?? asString(body.message) ?? asString(body.Message)
  status ||= (type && STATUS_BY_TYPE[type]) || 502
  const kind = (type && KIND_BY_TYPE[type]) || kindForStatus(status)
  return new GatewayError(status, message || snippet || noMessage(status), {
    kind,
    retryAfter: retryAfterSeconds(headers),
    retryable: shouldRetryHeader(headers),
  })
}

export function decodeError(status: number, bodyText: string, headers: Headers): GatewayError {
  return decodeErrorBody(status, bodyText, headers, (parsed, snippet) => (isObject(parsed) ? errorFromBody(status, parsed, headers, snippet) : undefined))
}


