// Errors in the OpenAI shape `{"error":{message,type,param,code}}`: rendered for Chat clients,
// read from Chat upstreams (HTTP bodies and in-stream error chunks).
import type { ErrorKind } from '../../canonical/event'
import { GatewayError, kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { ErrorReply } from '../dialect'
import { decodeErrorBody, noMessage } from '../error-body'
import { retryAfterHeaders, retryAfterSeconds, shouldRetryHeader } from '../retry-headers'
import { asString, isObject, type Json } from './wire'

/** OpenAI's error `type` per kind (Responses uses the same) */
export const TYPE_BY_KIND: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  timeout: 'timeout_error',
  api_error: 'server_error',
}

/** default codes: the Vercel AI SDK derives the status of an in-stream error from them */
const CODE_BY_KIND: Partial<Record<ErrorKind, string>> = {
  rate_limit: 'rate_limit_exceeded',
  overloaded: 'overloaded',
  timeout: 'timeout',
  request_too_large: 'request_too_large',
}

function errorObject(kind: ErrorKind, message: string, code?: string, param?: string): Json {
  return { message, type: TYPE_BY_KIND[kind] ?? 'server_error', param: param ?? null, code: code ?? CODE_BY_KIND[kind] ?? null }
}

/** OpenAI has no 529: overloaded is 503 (the SDKs retry both) */
export function encodeError(err: GatewayError): ErrorReply {
  const status = err.status === 529 ? 503 : err.status
  const headers: Record<string, string> = { ...err.headers, ...retryAfterHeaders(err.retryAfter) }
  return { status, body: { error: errorObject(err.kind, err.message, err.code, err.param) }, headers }
}

export function streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[] {
  const kind = (err.kind in TYPE_BY_KIND ? err.kind : kindForStatus(err.status)) as ErrorKind
  return [{ data: JSON.stringify({ error: errorObject(kind, err.message) }) }]
}

/** status of an error that came without one (in-stream error chunks, 200 bodies with `error`) */
export function statusForError(e: Json, fallback: number): number {
  if (typeof e.code === 'number' && e.code >= 400 && e.code < 600) return e.code
  const s = `${asString(e.type) ?? ''} ${asString(e.code) ?? ''}`
  if (s.includes('rate_limit') || s.includes('insufficient_quota')) return 429
  if (s.includes('overload')) return 503
  if (s.includes('context_length') || s.includes('invalid_request')) return 400
  if (s.includes('authentication') || s.includes('invalid_api_key')) return 401
  if (s.includes('permission')) return 403
  if (s.includes('not_found')) return 404
  if (s.includes('timeout')) return 504
  return fallback
}

/** `{"error":{…}}` (or `{"error":"…"}`, `{"message":"…"}`) → GatewayError; status 0 = derive it */
export function errorFromBody(status: number, body: Json, headers?: Headers, snippet?: string): GatewayError {
  const e = body.error
  let message: string | undefined
  let code: string | undefined
  let param: string | undefined
  if (isObject(e)) {
    message = asString(e.message)
    code = asString(e.code) ?? (typeof e.code === 'number' ? String(e.code) : undefined)
    param = asString(e.param)
    status = status || statusForError(e, 502)
  } else {
    message = asString(e) ?? asString(body.message) ?? asString(body.detail)
  }
  status ||= 502
  return new GatewayError(status, message || snippet || noMessage(status), {
    code,
    param,
    retryAfter: retryAfterSeconds(headers),
    retryable: shouldRetryHeader(headers),
  })
}

/** the OpenAI error shape, shared by Chat and Responses upstreams */
export function decodeError(status: number, bodyText: string, headers: Headers): GatewayError {
  return decodeErrorBody(status, bodyText, headers, (parsed, snippet) => (isObject(parsed) ? errorFromBody(status, parsed, headers, snippet) : undefined))
}


