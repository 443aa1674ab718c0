// Provider + wire request → fetch arguments: URL template, query, auth, headers. Pure.
import type { ProviderConfig } from '../config/types'
import type { AuthDefault } from '../dialects/dialect'
import { modelPathSegment } from '../canonical/model-name'
import { forwardedHeaders, forwardedQuery } from './forward-headers'

export interface UpstreamRequestInit {
  url: string
  headers: Headers
  body: string
}

export function upstreamUrl(provider: ProviderConfig, model: string, path: string, clientQuery?: URLSearchParams): string {
  let base = provider.base_url ?? ''
  if (base.includes('{model}')) base = base.replaceAll('{model}', modelPathSegment(model, `provider ${provider.name}`))
  if (base.endsWith('/')) base = base.slice(0, -1)
  let url = base + path
  let query = ''
  // the client's own query where its dialect uses one (Anthropic `?beta=true`); the provider's wins,
  // and a parameter the path already sets (Gemini's alt=sse) is not repeated
  if (clientQuery)
    for (const [k, v] of forwardedQuery(clientQuery, provider.dialect, provider.query))
      if (!pathSets(url, k)) query += `${query ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(v)}`
  for (const k in provider.query) query += `${query ? '&' : ''}${encodeURIComponent(k)}=${encodeURIComponent(provider.query[k])}`
  if (query) url += (url.includes('?') ? '&' : '?') + query
  return url
}

const pathSets = (url: string, k: string): boolean => {
  const q = url.indexOf('?')
  return q !== -1 && new URLSearchParams(url.slice(q + 1)).has(k)
}

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
  const headers = args.clientHeaders ? forwardedHeaders(args.clientHeaders, provider.dialect, provider.forward_headers) : new Headers()
  headers.set('content-type', 'application/json')
  if (args.extraHeaders) for (const k in args.extraHeaders) if (!headers.has(k)) headers.set(k, args.extraHeaders[k])
  for (const k in provider.headers) headers.set(k, provider.headers[k])
  applyAuth(headers, provider, args.key, args.auth)
  return { url: upstreamUrl(provider, args.model, args.path, args.clientQuery), headers, body: args.body }
}
