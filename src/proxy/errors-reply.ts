// Renders a GatewayError in the client's dialect, with the proxy's headers.
import type { Dialect } from '../dialects/dialect'
import type { GatewayError } from '../errors'
import { JSON_HEADERS, proxyHeaders, type RouteInfo } from './response-headers'

export function errorResponse(front: Dialect, err: GatewayError, info: RouteInfo): Response {
  const reply = front.encodeError(err)
  const extra: Record<string, string> = { ...(err.headers ?? {}), ...(reply.headers ?? {}) }
  if (err.retryAfter !== undefined && !('retry-after' in extra)) extra['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfter)))
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: proxyHeaders(JSON_HEADERS, info, extra) })
}
