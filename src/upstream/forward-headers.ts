// Which client headers and query parameters a same-dialect pass-through forwards: an explicit
// allow-list (what the real SDKs and CLIs need upstream: tracing, idempotency and SDK
// identification here, API versions and betas from each dialect's `forward`), adjustable per
// provider with `forward_headers`.
// Anything else (OpenAI-Organization, OpenAI-Project, Forwarded, X-HTTP-Method-Override…) would
// act on the proxy's account beside the proxy's key, so it stays behind. Credentials and
// hop-by-hop headers can never be added. Pure.
import { formatPath, type PathSegment } from '../config/key-path'
import type { ForwardHeaders } from '../config/types'
import { dialectEntry } from '../dialects'

/** every dialect: tracing, idempotency and the client's identity (names, or prefixes ending in *) */
const COMMON = ['user-agent', 'traceparent', 'tracestate', 'baggage', 'idempotency-key', 'x-stainless-*']

/** what `dialect`'s clients may send up: the common headers plus the dialect's own */
function allowedFor(dialect: string): { headers: readonly string[]; query: readonly string[] } {
  const own = dialectEntry(dialect)?.forward
  return { headers: [...COMMON, ...(own?.headers ?? [])], query: own?.query ?? [] }
}

/** never forwarded, whatever the config says: credentials, hop-by-hop, framing, client addresses */
const NEVER = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'content-type',
  'content-encoding',
  'accept-encoding',
  'authorization',
  'x-api-key',
  'x-goog-api-key',
  'api-key',
  'x-upstream-api-key',
  'cookie',
  'origin',
  'referer',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
])

const matches = (list: readonly string[], name: string): boolean =>
  list.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p))

/** the client headers to send upstream for `dialect`, with the provider's additions and removals */
export function forwardedHeaders(client: Headers, dialect: string, extra?: ForwardHeaders): Headers {
  const allowed = allowedFor(dialect).headers
  const out = new Headers()
  client.forEach((value, name) => {
    if (NEVER.has(name)) return
    if (extra && matches(extra.remove, name)) return
    if (matches(allowed, name) || (extra && matches(extra.add, name))) out.set(name, value)
  })
  return out
}

/** the client query parameters to send upstream for `dialect`; the provider's own query wins */
export function forwardedQuery(client: URLSearchParams, dialect: string, providerQuery: Record<string, string>): Array<[string, string]> {
  const allowed = allowedFor(dialect).query
  const out: Array<[string, string]> = []
  for (const [k, v] of client) if (allowed.includes(k) && !(k in providerQuery)) out.push([k, v])
  return out
}

/** `forward_headers:` as written → lower-case lists; names that can never be forwarded are refused */
export function normalizeForwardHeaders(f: { add?: string[]; remove?: string[] } | undefined, path: PathSegment[], problems: string[]): ForwardHeaders {
  const add = (f?.add ?? []).map((h) => h.toLowerCase())
  add.forEach((h, i) => {
    if (NEVER.has(h) || !/^[a-z0-9!#$%&'+.^_`|~-]+\*?$/.test(h))
      problems.push(`${formatPath([...path, 'forward_headers', 'add', i])}: ${NEVER.has(h) ? 'credentials, hop-by-hop and client-address headers are never forwarded' : 'not a header name'} (got ${JSON.stringify(f!.add![i])})`)
  })
  return { add, remove: (f?.remove ?? []).map((h) => h.toLowerCase()) }
}
