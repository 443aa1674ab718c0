// How long to wait before retrying an upstream call. Pure: the random source and the clock are
// passed in. Whether to retry at all is the outcome policy's call (outcome.ts).
export { isKeyBound, isRetryableStatus } from './outcome'

export interface BackoffOptions {
  baseMs?: number
  maxMs?: number
}

/**
 * Delay before retry number `attempt` (0 for the first retry): exponential with full jitter,
 * uniform in [0, min(maxMs, baseMs * 2^attempt)). Full jitter spreads a burst of failing clients
 * instead of having them retry in lockstep.
 */
export function backoffMs(attempt: number, random: () => number, { baseMs = 250, maxMs = 8000 }: BackoffOptions = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  return Math.floor(random() * ceiling)
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000

/**
 * The upstream's requested wait in ms: `retry-after-ms` (OpenAI), else `retry-after` as seconds
 * or an HTTP date. undefined when absent or unparsable; capped at `maxMs` (a server asking for an
 * hour should not park a request for an hour). `now` is epoch ms.
 */
export function parseRetryAfter(headers: Headers, now: number, maxMs = DEFAULT_MAX_RETRY_AFTER_MS): number | undefined {
  const ms = headers.get('retry-after-ms')
  if (ms !== null) {
    const v = Number(ms.trim())
    if (ms.trim() !== '' && Number.isFinite(v) && v >= 0) return Math.min(maxMs, Math.ceil(v))
  }
  const ra = headers.get('retry-after')
  if (ra === null) return undefined
  const s = ra.trim()
  if (s === '') return undefined
  if (/^\d+(\.\d+)?$/.test(s)) return Math.min(maxMs, Math.ceil(Number(s) * 1000))
  // an HTTP date names its day and month; this keeps "-5" and the like from parsing as a year
  if (!/[a-z]/i.test(s)) return undefined
  const at = Date.parse(s)
  if (Number.isNaN(at)) return undefined
  return Math.min(maxMs, Math.max(0, at - now))
}
