// Upstream key rotation and health, per provider. Pure state: the caller passes the clock.
// Round-robin over `api_keys`; a key refused with 401/403 is benched until the next config
// reload, one answered 429 until its Retry-After (or 30 s). Benched keys are skipped while a
// healthy one exists; when all are benched, the one free soonest is still returned, because
// trying a doubtful key beats failing the request without asking.
import type { ProviderConfig } from '../config/types'

export type BenchReason = 'auth' | 'rate'

export const DEFAULT_RATE_BENCH_MS = 30_000

interface Bench {
  until: number
  reason: BenchReason
}

export interface KeyPoolState {
  total: number
  healthy: number
  benched: number
  /** benched for 401/403 (until reload) */
  auth: number
  /** benched for 429 */
  rate: number
}

export class KeyPool {
  /** replaced only by KeyPools.retain, with an equal list (keeps the per-request check a pointer compare) */
  keys: readonly string[]
  private cursor = 0
  private benches = new Map<string, Bench>()
  private lastNow = 0

  constructor(keys: readonly string[]) {
    this.keys = keys
  }

  /** The key to use now; undefined only when the pool has no keys. */
  next(now: number): string | undefined {
    this.lastNow = now
    const n = this.keys.length
    if (n === 0) return undefined
    if (this.benches.size === 0) return this.take(this.cursor % n)
    let soonest = -1
    let soonestUntil = Infinity
    for (let i = 0; i < n; i++) {
      const idx = (this.cursor + i) % n
      const key = this.keys[idx]
      const b = this.benches.get(key)
      if (!b) return this.take(idx)
      if (b.until <= now) {
        this.benches.delete(key)
        return this.take(idx)
      }
      if (soonest < 0 || b.until < soonestUntil) {
        soonest = idx
        soonestUntil = b.until
      }
    }
    return this.take(soonest)
  }

  private take(idx: number): string {
    this.cursor = (idx + 1) % this.keys.length
    return this.keys[idx]
  }

  /**
   * Bench a key: 'auth' until reload; 'rate' until `untilMs` (epoch ms), else 30 s from `now`
   * (default: the time of the last next() call, i.e. when the key was handed out). A longer
   * existing bench is kept.
   */
  bench(key: string, reason: BenchReason, untilMs?: number, now: number = this.lastNow): void {
    if (!this.keys.includes(key)) return
    const until = reason === 'auth' ? Infinity : (untilMs ?? now + DEFAULT_RATE_BENCH_MS)
    const cur = this.benches.get(key)
    if (cur && cur.until >= until) return
    this.benches.set(key, { until, reason })
  }

  /** reload: keys refused for auth get another chance (the operator may have fixed them) */
  clearAuthBenches(): void {
    for (const [key, b] of this.benches) if (b.reason === 'auth') this.benches.delete(key)
  }

  isBenched(key: string, now: number): boolean {
    const b = this.benches.get(key)
    return b !== undefined && b.until > now
  }

  /** the keys benched now, by position in api_keys (never the key itself: the dashboard shows these) */
  benched(now: number): Array<{ index: number; reason: BenchReason; untilMs: number | null }> {
    const out: Array<{ index: number; reason: BenchReason; untilMs: number | null }> = []
    this.keys.forEach((key, index) => {
      const b = this.benches.get(key)
      if (b && b.until > now) out.push({ index, reason: b.reason, untilMs: Number.isFinite(b.until) ? b.until : null })
    })
    return out
  }

  state(now: number): KeyPoolState {
    let auth = 0
    let rate = 0
    for (const b of this.benches.values()) {
      if (b.until <= now) continue
      if (b.reason === 'auth') auth++
      else rate++
    }
    const benched = auth + rate
    return { total: this.keys.length, healthy: this.keys.length - benched, benched, auth, rate }
  }
}

const sameKeys = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((k, i) => k === b[i]))

/** KeyPools by provider name; a provider whose keys changed gets a fresh pool. */
export class KeyPools {
  private pools = new Map<string, KeyPool>()

  pool(provider: ProviderConfig): KeyPool {
    const cur = this.pools.get(provider.name)
    if (cur && sameKeys(cur.keys, provider.api_keys)) return cur
    const fresh = new KeyPool(provider.api_keys)
    this.pools.set(provider.name, fresh)
    return fresh
  }

  /** After a reload: keep pools of providers with the same keys (auth benches cleared), drop the rest. */
  retain(providers: readonly ProviderConfig[]): void {
    const byName = new Map(providers.map((p) => [p.name, p]))
    for (const [name, pool] of this.pools) {
      const p = byName.get(name)
      if (!p || !sameKeys(pool.keys, p.api_keys)) this.pools.delete(name)
      else {
        pool.keys = p.api_keys
        pool.clearAuthBenches()
      }
    }
  }

  /** the pool of a provider if one was made (a provider never called has none) */
  find(name: string): KeyPool | undefined {
    return this.pools.get(name)
  }

  /** metrics: state of every pool */
  states(now: number): Array<{ provider: string } & KeyPoolState> {
    return [...this.pools].map(([provider, pool]) => ({ provider, ...pool.state(now) }))
  }
}
