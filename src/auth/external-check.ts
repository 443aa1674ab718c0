// `auth.check`: an external validator (e.g. an OIDC userinfo endpoint) decides who a key belongs
// to. Answers are cached by the key's SHA-256 (never the key), refusals briefly; concurrent
// checks of one key share one call; a slow or down validator is a 503 that is not cached.
import type { AuthCheckConfig, GroupConfig } from '../config/types'
import { GatewayError } from '../errors'
import { invalidKeyError } from './authenticate'
import { sha256Hex } from './hash-key'
import { ALLOW_ALL_GROUP, type Principal } from './principal'

export type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface ExternalCheckDeps {
  fetch?: FetchFn
  /** ms clock for the cache */
  now?: () => number
}

/** refusals are cached briefly so a wrong key cannot hammer the validator */
export const FAILURE_TTL_MS = 5_000
const DEFAULT_TIMEOUT_MS = 5_000
/** beyond this many cached answers, expired ones are swept (random keys must not grow memory) */
const MAX_CACHE = 10_000

interface CacheEntry {
  expires: number
  principal?: Principal
  error?: GatewayError
}

export type ExternalCheck = (key: string) => Promise<Principal>

export function createExternalCheck(
  check: AuthCheckConfig,
  groups: Record<string, GroupConfig>,
  deps: ExternalCheckDeps = {},
): ExternalCheck {
  const doFetch = deps.fetch ?? fetch
  const now = deps.now ?? Date.now
  const cache = new Map<string, CacheEntry>()
  const inflight = new Map<string, Promise<Principal>>()

  const remember = (hash: string, entry: CacheEntry) => {
    if (cache.size >= MAX_CACHE) sweep(cache, now())
    cache.set(hash, entry)
  }

  const call = async (key: string, hash: string): Promise<Principal> => {
    let principal: Principal
    try {
      principal = await askValidator(check, groups, key, hash, doFetch)
    } catch (err) {
      // refusals (401/403 answers, unknown group) are cached briefly; outages are not
      if (err instanceof GatewayError && (err.status === 401 || err.status === 403))
        remember(hash, { expires: now() + FAILURE_TTL_MS, error: err })
      throw err
    }
    if (check.cache_ttl > 0) remember(hash, { expires: now() + check.cache_ttl, principal })
    return principal
  }

  return (key) => {
    const hash = sha256Hex(key)
    const hit = cache.get(hash)
    if (hit) {
      if (hit.expires > now()) return hit.principal ? Promise.resolve(hit.principal) : Promise.reject(hit.error)
      cache.delete(hash)
    }
    let p = inflight.get(hash)
    if (!p) {
      p = call(key, hash).finally(() => inflight.delete(hash))
      inflight.set(hash, p)
    }
    return p
  }
}

function sweep(cache: Map<string, CacheEntry>, t: number): void {
  for (const [k, e] of cache) if (e.expires <= t) cache.delete(k)
  // still full of live entries: drop the oldest (Map keeps insertion order)
  for (const k of cache.keys()) {
    if (cache.size < MAX_CACHE) break
    cache.delete(k)
  }
}

const unavailable = (why: string, cause?: unknown) =>
  new GatewayError(503, `the authentication service is unavailable (${why}); try again shortly`, {
    code: 'auth_unavailable',
    retryable: false,
    cause,
  })

async function askValidator(
  check: AuthCheckConfig,
  groups: Record<string, GroupConfig>,
  key: string,
  hash: string,
  doFetch: FetchFn,
): Promise<Principal> {
  const timeout = check.timeout > 0 ? check.timeout : DEFAULT_TIMEOUT_MS
  const url = check.url.replaceAll('{api_key}', encodeURIComponent(key))
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(check.headers)) headers[name] = value.replaceAll('{api_key}', key)
  // one signal bounds the whole exchange, body included
  const signal = AbortSignal.timeout(timeout)
  let body: unknown
  try {
    const res = await doFetch(url, { method: check.method || 'GET', headers, signal })
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel()
      throw invalidKeyError(false)
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw unavailable(`validator answered ${res.status}`)
    }
    body = await res.json()
  } catch (err) {
    if (err instanceof GatewayError) throw err
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')
    throw unavailable(timedOut ? `no answer within ${timeout} ms` : 'validator unreachable or answered invalid JSON', err)
  }
  return principalFromClaims(check, groups, body, hash)
}

/** Reads `a.b.c` from a JSON answer. */
export function readClaim(body: unknown, path: string): unknown {
  let v = body
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

const claimText = (v: unknown): string | undefined =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined

export function principalFromClaims(
  check: AuthCheckConfig,
  groups: Record<string, GroupConfig>,
  body: unknown,
  hash: string,
): Principal {
  const group = claimText(readClaim(body, check.group_claim || 'group')) ?? 'default'
  const groupConfig = groups[group] ?? (group === 'default' ? ALLOW_ALL_GROUP : undefined)
  if (!groupConfig)
    throw new GatewayError(403, `the identity provider assigned group ${group}, which is not configured in llm-proxy`, {
      code: 'unknown_group',
      retryable: false,
    })
  const name =
    (check.name_claim ? claimText(readClaim(body, check.name_claim)) : undefined) ??
    claimText(readClaim(body, 'sub')) ??
    claimText(readClaim(body, 'email')) ??
    claimText(readClaim(body, 'name')) ??
    // something stable to log that is not the key itself
    `external-${hash.slice(0, 12)}`
  return { name, group, groupConfig }
}
