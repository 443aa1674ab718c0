// Retry hints every HTTP dialect shares: reading them off an upstream answer, writing them on ours.
// Pure: an HTTP-date `retry-after` needs a clock and is left to the I/O edge (upstream/retry.ts).

/** seconds from `retry-after-ms` or a numeric `retry-after` */
export function retryAfterSeconds(h: Headers | undefined): number | undefined {
  if (!h) return undefined
  const ms = h.get('retry-after-ms')
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms) / 1000
  const s = h.get('retry-after')
  if (s !== null && s.trim() !== '' && Number.isFinite(Number(s))) return Number(s)
  return undefined
}

/** the OpenAI and Anthropic SDKs obey `x-should-retry` before the status; so do we */
export function shouldRetryHeader(h: Headers | undefined): boolean | undefined {
  const v = h?.get('x-should-retry')
  return v === 'true' ? true : v === 'false' ? false : undefined
}

/** the `retry-after` header for an error we send, when it carries a wait */
export function retryAfterHeaders(retryAfter: number | undefined): Record<string, string> {
  return retryAfter === undefined ? {} : { 'retry-after': String(Math.max(0, Math.ceil(retryAfter))) }
}
