// Where clients put their key: each SDK has its habit, and any of them is accepted on any endpoint.

/** For error messages: the places a client key is read from. */
export const ACCEPTED_KEY_SOURCES = 'Authorization: Bearer <key>, x-api-key, x-goog-api-key or ?key='

/** The client's key from `Authorization: Bearer`, `x-api-key`, `x-goog-api-key` or `?key=`. */
export function extractClientKey(headers: Headers, url: URL): string | undefined {
  const auth = headers.get('authorization')
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
    const key = auth.slice(7).trim()
    if (key) return key
  }
  const key = headers.get('x-api-key') || headers.get('x-goog-api-key')
  if (key) return key.trim() || undefined
  // `url.search` is a cheap string; searchParams allocates, so only parse when there is a query
  if (url.search.length > 1) return url.searchParams.get('key') || undefined
  return undefined
}

/** The client's own upstream key for passthrough providers when `auth:` is configured. */
export function extractUpstreamKey(headers: Headers): string | undefined {
  return headers.get('x-upstream-api-key')?.trim() || undefined
}
