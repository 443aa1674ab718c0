// Errors in Google's shape `{"error":{"code","message","status","details"?}}`: rendered for Gemini
// clients (HTTP bodies and the in-stream `data: {"error":…}` chunk), read from Gemini upstreams.
// A RetryInfo detail (`retryDelay: "34.4s"`) carries the retry delay both ways.
import type { ErrorKind } from '../../canonical/event'
import { GatewayError, kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { ErrorReply } from '../dialect'
import { decodeErrorBody, noMessage } from '../error-body'
import { retryAfterHeaders, retryAfterSeconds } from '../retry-headers'
import { asNumber, asString, isObject, type Json } from './wire'

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo'
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo'

const STATUS_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  api_error: 'INTERNAL',
}

const KIND_BY_STATUS: Record<string, ErrorKind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  RESOURCE_EXHAUSTED: 'rate_limit',
  UNAVAILABLE: 'overloaded',
  DEADLINE_EXCEEDED: 'timeout',
  INTERNAL: 'api_error',
  UNKNOWN: 'api_error',
}

/** HTTP status of a google.rpc status name (an in-stream error may come without a code) */
const HTTP_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
}

/** the SDK throws an in-stream error only when its code is 400–599 */
const clientStatus = (status: number): number => (status >= 400 && status <= 599 ? status : 500)

function errorBody(status: number, kind: string, message: string, retryAfter?: number): Json {
  const error: Json = { code: status, message, status: STATUS_BY_KIND[kind as ErrorKind] ?? STATUS_BY_KIND[kindForStatus(status)] }
  if (retryAfter !== undefined) error.details = [{ '@type': RETRY_INFO, retryDelay: `${Math.max(0, Math.ceil(retryAfter))}s` }]
  return { error }
}

/** Google has no 529: overloaded is 503 UNAVAILABLE */
export function encodeError(err: GatewayError): ErrorReply {
  const status = err.status === 529 ? 503 : err.status
  const headers: Record<string, string> = { ...err.headers, ...retryAfterHeaders(err.retryAfter) }
  return { status, body: errorBody(status, err.kind, err.message, err.retryAfter), headers }
}

export function streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[] {
  const status = clientStatus(err.status === 529 ? 503 : err.status)
  return [{ data: JSON.stringify(errorBody(status, err.kind, err.message)) }]
}

/** an `error` object (HTTP body or stream chunk) → status, kind, message; `fallback` when it names no status */
export function readError(e: unknown, fallback: number): { status: number; kind: ErrorKind; message: string; retryAfter?: number } {
  const o: Json = isObject(e) ? e : { message: asString(e) }
  const name = asString(o.status)
  const code = asNumber(o.code)
  const status = code !== undefined && code >= 400 && code <= 599 ? code : ((name ? HTTP_BY_STATUS[name] : undefined) ?? fallback)
  let kind = (name && KIND_BY_STATUS[name]) || kindForStatus(status)
  let retryAfter: number | undefined
  if (Array.isArray(o.details)) {
    for (const d of o.details) {
      if (!isObject(d)) continue
      if (d['@type'] === RETRY_INFO) retryAfter = parseDuration(d.retryDelay)
      // an invalid key is a 400 INVALID_ARGUMENT whose ErrorInfo says why
      else if (d['@type'] === ERROR_INFO && d.reason === 'API_KEY_INVALID') kind = 'authentication'
    }
  }
  const out: { status: number; kind: ErrorKind; message: string; retryAfter?: number } = { status, kind, message: asString(o.message) || '' }
  if (retryAfter !== undefined) out.retryAfter = retryAfter
  return out
}

/** google.protobuf.Duration JSON ("34.4s") → seconds */
function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string' || !v.endsWith('s')) return undefined
  const n = Number(v.slice(0, -1))
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

export function decodeError(status: number, bodyText: string, headers: Headers): GatewayError {
  return decodeErrorBody(status, bodyText, headers, (parsed, snippet) => {
    // streamGenerateContent without alt=sse answers errors as a one-element array
    const body = Array.isArray(parsed) ? parsed[0] : parsed
    if (!isObject(body) || body.error === undefined) return undefined
    const e = readError(body.error, status)
    return new GatewayError(status, e.message || snippet || noMessage(status), { kind: e.kind, retryAfter: retryAfterSeconds(headers) ?? e.retryAfter })
  })
}

