// Renders a GatewayError in the client's dialect, with the proxy's headers.
import type { Dialect } from '../dialects/dialect'
import type { GatewayError } from '../errors'
import { redact } from '../observe/redact'
import { JSON_HEADERS, proxyHeaders, type RouteInfo } from './response-headers'

export function errorResponse(front: Dialect, err: GatewayError, info: RouteInfo): Response {
  const reply = front.encodeError(err)
  // the dialect's reply carries the error's own headers and its retry-after
  const extra = reply.headers
  // messages may quote an upstream's words, and upstreams quote keys
  return new Response(redact(JSON.stringify(reply.body)), { status: reply.status, headers: proxyHeaders(JSON_HEADERS, info, extra) })
}
