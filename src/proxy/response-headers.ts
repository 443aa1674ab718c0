// Headers every proxied response carries, and the SSE response shape. Provider and model names
// are percent-encoded when they are not printable ASCII (a header value cannot carry them).
import { headerValue } from '../canonical/model-name'

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
}

export const JSON_HEADERS: Record<string, string> = { 'content-type': 'application/json' }

export interface RouteInfo {
  requestId: string
  provider?: string
  model?: string
  attempts: number
  /** the routing rule that chose the target */
  rule?: string
  /** rate-limit headers from admission */
  limitHeaders?: Record<string, string>
}

export function proxyHeaders(base: Record<string, string>, info: RouteInfo, extra?: Record<string, string>): Headers {
  const h = new Headers(base)
  h.set('x-request-id', info.requestId)
  if (info.provider) h.set('x-llm-proxy-provider', headerValue(info.provider))
  if (info.model) h.set('x-llm-proxy-model', headerValue(info.model))
  h.set('x-llm-proxy-attempts', String(info.attempts))
  if (info.rule) h.set('x-llm-proxy-rule', info.rule)
  if (info.limitHeaders) for (const k in info.limitHeaders) h.set(k, info.limitHeaders[k])
  if (extra) for (const k in extra) h.set(k, extra[k])
  return h
}
