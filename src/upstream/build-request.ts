// Provider + wire request → fetch arguments: URL template, query, auth, headers. Pure.
import type { ProviderConfig } from '../config/types'
import type { AuthDefault } from '../dialects/dialect'

/** headers never forwarded from the client: hop-by-hop, framing, and the client's own credentials */
const DROP_CLIENT_HEADERS = new Set([
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
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
])

export interface UpstreamRequestInit {
  url: string
  headers: Headers
  body: string
}

export function upstreamUrl(provider: ProviderConfig, model: string, path: string, clientQuery?: URLSearchParams): string {
  let base = provider.base_url ?? ''
  if (base.includes('{model}')) base = base.replaceAll('{model}', encodeURIComponent(model))
  if (base.endsWith('/')) base = base.slice(0, -1)
  let url = base + path
  let query = ''
  if (clientQuery) {
    // the client's own query (e.g. Anthropic `?beta=true`) minus its key
    // (a parameter the path already sets, e.g. Gemini's alt=sse, is not repeated)
    for (const [k, v] of clientQuery)
      if (k !== 'key' && !pathSets(url, k)) query += `${query ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(v)}`
  }
  for (const k in provider.query) query += `${query ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(provider.query[k])}`
  if (query) url += (url.includes('?') ? '&' : '?') + query
  return url
}

const pathSets = (url: string, k: string): boolean => {
  const q = url.indexOf('?')
  return q !== -1 && new URLSearchParams(url.slice(q + 1)).has(k)
}

/** Copies the client's headers that carry meaning upstream (anthropic-beta, openai-beta, user-agent…). */
export function forwardedHeaders(client: Headers): Headers {
  const out = new Headers()
  client.forEach((value, name) => {
    if (!DROP_CLIENT_HEADERS.has(name)) out.set(name, value)
  })
  return out
}

/** How a dialect's upstream expects its key when the provider does not say (from the registry). */
/** a dialect's default key placement (its registry entry says) */
export type { AuthDefault }

/** Sets the upstream credential: the provider's auth_header/auth_scheme, else the dialect's default. */
export function applyAuth(headers: Headers, provider: ProviderConfig, key: string | undefined, dflt: AuthDefault): void {
  if (!key) return
  let header = provider.auth_header ?? dflt.header
  let scheme = provider.auth_scheme ?? (provider.auth_header ? (header.toLowerCase() === 'authorization' ? 'Bearer' : '') : dflt.scheme)
  // an explicit scheme without a header means "Authorization: <scheme> key" (e.g. Anthropic OAuth tokens)
  if (!provider.auth_header && provider.auth_scheme) header = 'authorization'
  headers.set(header, scheme ? `${scheme} ${key}` : key)
}

export function buildUpstreamRequest(args: {
  provider: ProviderConfig
  model: string
  path: string
  body: string
  key: string | undefined
  auth: AuthDefault
  clientHeaders?: Headers
  clientQuery?: URLSearchParams
  extraHeaders?: Record<string, string>
}): UpstreamRequestInit {
  const { provider } = args
  const headers = args.clientHeaders ? forwardedHeaders(args.clientHeaders) : new Headers()
  headers.set('content-type', 'application/json')
  if (args.extraHeaders) for (const k in args.extraHeaders) if (!headers.has(k)) headers.set(k, args.extraHeaders[k])
  for (const k in provider.headers) headers.set(k, provider.headers[k])
  applyAuth(headers, provider, args.key, args.auth)
  return { url: upstreamUrl(provider, args.model, args.path, args.clientQuery), headers, body: args.body }
}
