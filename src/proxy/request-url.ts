// The URL of an incoming request. Bun builds it from the Host header; without a usable one
// (HTTP/1.0 without Host, a Host with spaces, a path or a broken IPv6 literal) there is no URL,
// and that is the client's mistake: a 400, not a crash.
import { GatewayError } from '../errors'

export function requestUrl(request: Request): URL {
  try {
    return new URL(request.url)
  } catch {
    throw new GatewayError(400, 'the request has no valid Host header (send Host: name[:port])', { code: 'invalid_host' })
  }
}
