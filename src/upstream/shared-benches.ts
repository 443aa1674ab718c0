// Benched upstream keys shared by every replica through the SharedState store (Redis when
// `state.redis` is set). Benching writes through at once; other replicas pick the bench up on
// their next refresh (every second), so a key refused on one replica stops being used on all.
// Keys are stored by a hash, never in clear.
import type { ProviderConfig } from '../config/types'
import { sha256Hex } from '../auth/hash-key'
import type { SharedState } from '../limits'
import type { KeyPools } from './key-pool'

/** an auth bench lasts "until reload"; in the shared store it needs some end */
const AUTH_BENCH_TTL_MS = 3_600_000
const REFRESH_MS = 1000

const slot = (provider: string, key: string) => `bench:${provider}:${sha256Hex(key).slice(0, 24)}`

export interface SharedBench {
  provider: string
  key: string
  reason: 'auth' | 'rate'
  untilMs: number
  now: number
}

export function shareBench(shared: SharedState, { provider, key, reason, untilMs, now }: SharedBench): void {
  const ttl = reason === 'auth' ? AUTH_BENCH_TTL_MS : Math.max(1, untilMs - now)
  const until = reason === 'auth' ? now + AUTH_BENCH_TTL_MS : untilMs
  shared.benchState.set(slot(provider, key), `${reason}:${until}`, ttl).catch(() => {})
}

/** Pulls every shared bench of multi-key providers into the local pools; returns a stop function. */
export function syncBenches(shared: SharedState, pools: KeyPools, providers: () => readonly ProviderConfig[]): () => void {
  let running = false
  const timer = setInterval(async () => {
    if (running) return
    running = true
    try {
      const now = Date.now()
      for (const p of providers()) {
        if (p.api_keys.length < 2 || p.passthrough) continue
        const pool = pools.pool(p)
        for (const key of p.api_keys) {
          const v = await shared.benchState.get(slot(p.name, key))
          if (!v) continue
          const [reason, until] = v.split(':')
          if (reason === 'auth') pool.bench(key, 'auth', undefined, now)
          else if (Number(until) > now) pool.bench(key, 'rate', Number(until), now)
        }
      }
    } finally {
      running = false
    }
  }, REFRESH_MS)
  ;(timer as { unref?: () => void }).unref?.()
  return () => clearInterval(timer)
}
