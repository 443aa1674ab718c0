// Errors in the OpenAI shape `{"error":{message,type,param,code}}` (Responses uses the Chat shape for
// HTTP errors), and the in-stream pair `error` + `response.failed`.
//
// In-stream choice: an `error` event in the recorded nested shape, then `response.failed`. The openai
// SDK throws an APIError at the first (so `stream()` callers see the failure), Codex reacts only to
// the second (reading `response.error.code`), and neither leaves the stream without a terminal event.
import type { ErrorKind } from '../../canonical/event'
import { GatewayError, kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { ErrorReply } from '../dialect'
import { retryAfterHeaders } from '../retry-headers'
import { TYPE_BY_KIND } from '../openai-chat/encode-error'


/** `response.error.code` values Codex and the SDK know (ResponseError.code) */
const FAILED_CODE_BY_KIND: Partial<Record<ErrorKind, string>> = {
  rate_limit: 'rate_limit_exceeded',
  invalid_request: 'invalid_prompt',
  request_too_large: 'invalid_prompt',
}

const kindOf = (err: { status: number; kind: string }): ErrorKind =>
  (err.kind in TYPE_BY_KIND ? err.kind : kindForStatus(err.status)) as ErrorKind

/** OpenAI has no 529: overloaded is 503 (the SDKs retry both) */
export function encodeError(err: GatewayError): ErrorReply {
  const status = err.status === 529 ? 503 : err.status
  const headers: Record<string, string> = { ...err.headers, ...retryAfterHeaders(err.retryAfter) }
  const body = { error: { message: err.message, type: TYPE_BY_KIND[err.kind] ?? 'server_error', param: err.param ?? null, code: err.code ?? null } }
  return { status, body, headers }
}

/** the `response.error` object of a failed response */
export function failedError(err: { status: number; kind: string; message: string }): { code: string; message: string } {
  return { code: FAILED_CODE_BY_KIND[kindOf(err)] ?? 'server_error', message: err.message }
}

/**
 * The two frames, numbered from `seq`. `response` is the failed Response object as JSON text; the
 * stream encoder passes its own (same id, the items done so far).
 */
export function errorFrames(err: { status: number; kind: string; message: string }, seq: number, response: string): SseFrame[] {
  const kind = kindOf(err)
  const e = failedError(err)
  const detail = { type: TYPE_BY_KIND[kind], code: e.code, message: err.message, param: null }
  return [
    { event: 'error', data: `{"type":"error","sequence_number":${seq},"error":${JSON.stringify(detail)}}` },
    { event: 'response.failed', data: `{"type":"response.failed","sequence_number":${seq + 1},"response":${response}}` },
  ]
}

/** without stream state (pass-through streams): a minimal failed Response */
export function streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[] {
  const response = { id: 'resp_failed', object: 'response', status: 'failed', error: failedError(err), incomplete_details: null, output: [], usage: null }
  return errorFrames(err, 0, JSON.stringify(response))
}

/** status of an error that came without one (in-stream `error` / `response.failed`) */
export function statusForErrorCode(code: string | undefined, type: string | undefined): number {
  const s = `${type ?? ''} ${code ?? ''}`
  if (s.includes('rate_limit') || s.includes('insufficient_quota') || s.includes('usage_not_included')) return 429
  if (s.includes('context_length') || s.includes('invalid_prompt') || s.includes('invalid_request') || s.includes('invalid_image')) return 400
  if (s.includes('authentication') || s.includes('invalid_api_key')) return 401
  if (s.includes('permission')) return 403
  if (s.includes('not_found')) return 404
  if (s.includes('overload') || s.includes('unavailable')) return 503
  if (s.includes('timeout')) return 504
  return 502
}

// HTTP errors come in the Chat shape: one reader for both OpenAI dialects
export { decodeError } from '../openai-chat/encode-error'


