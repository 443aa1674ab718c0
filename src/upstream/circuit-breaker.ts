// Per-target circuit breakers (target = "provider/model"). Pure state; the caller passes the clock.
//   closed    → open       over the last `window` attempts within `windowMs`, at least
//                          `minAttempts` and a failure ratio ≥ `failureRatio`
//   open      → half_open  after `cooldownMs`: ONE probe is let through
//   half_open → closed     probe succeeded;  → open again: probe failed
// A granted probe whose result never comes (client went away) expires after `cooldownMs`, so a
// breaker cannot stay half-open forever.
//
// Open circuits are not dropped from a plan: orderByHealth moves them to the end, so when every
// target is open the first one is still tried (failing fast without asking anyone helps nobody).

export type BreakerState = 'closed' | 'open' | 'half_open'

export interface BreakerOptions {
  window?: number
  windowMs?: number
  minAttempts?: number
  failureRatio?: number
  cooldownMs?: number
}

const DEFAULTS: Required<BreakerOptions> = { window: 20, windowMs: 60_000, minAttempts: 5, failureRatio: 0.5, cooldownMs: 30_000 }

export class CircuitBreaker {
  private opts: Required<BreakerOptions>
  private _state: BreakerState = 'closed'
  /** open: when it opened; half_open: when the probe was granted (-1: none yet) */
  private since = 0
  // ring buffer of recent outcomes (closed state only)
  private times: Float64Array
  private oks: Uint8Array
  private head = 0
  private size = 0

  constructor(opts: BreakerOptions = {}) {
    this.opts = { ...DEFAULTS, ...opts }
    this.times = new Float64Array(this.opts.window)
    this.oks = new Uint8Array(this.opts.window)
  }

  get state(): BreakerState {
    return this._state
  }

  /** the state as of `now` (an open breaker whose cooldown passed reports half_open) */
  stateAt(now: number): BreakerState {
    return this._state === 'open' && now - this.since >= this.opts.cooldownMs ? 'half_open' : this._state
  }

  /** May a call go to this target now? In half_open, true for exactly one caller (the probe). */
  allow(now: number): boolean {
    if (this._state === 'closed') return true
    if (this._state === 'open') {
      if (now - this.since < this.opts.cooldownMs) return false
      this._state = 'half_open'
      this.since = now
      return true
    }
    // half_open: one probe at a time; a lost probe is replaced after the cooldown
    if (now - this.since < this.opts.cooldownMs) return false
    this.since = now
    return true
  }

  record(success: boolean, now: number): void {
    if (this._state === 'half_open') {
      if (success) this.close()
      else this.open(now)
      return
    }
    // results of calls started before the circuit opened change nothing
    if (this._state === 'open') return
    const w = this.opts.window
    this.times[this.head] = now
    this.oks[this.head] = success ? 1 : 0
    this.head = (this.head + 1) % w
    if (this.size < w) this.size++
    if (!success && this.tripped(now)) this.open(now)
  }

  private tripped(now: number): boolean {
    const { window: w, windowMs, minAttempts, failureRatio } = this.opts
    let total = 0
    let failed = 0
    for (let i = 0; i < this.size; i++) {
      const j = (this.head - 1 - i + w) % w
      if (now - this.times[j] > windowMs) break // older entries are older still
      total++
      if (this.oks[j] === 0) failed++
    }
    return total >= minAttempts && failed >= failureRatio * total
  }

  private open(now: number): void {
    this._state = 'open'
    this.since = now
    this.size = 0
    this.head = 0
  }

  private close(): void {
    this._state = 'closed'
    this.size = 0
    this.head = 0
  }
}

/** A bound on remembered targets: `provider/*` routes let clients invent target names. */
const MAX_BREAKERS = 10_000

export class CircuitBreakers {
  private breakers = new Map<string, CircuitBreaker>()
  private opts: BreakerOptions

  constructor(opts: BreakerOptions = {}) {
    this.opts = opts
  }

  get(target: string): CircuitBreaker {
    let b = this.breakers.get(target)
    if (!b) {
      if (this.breakers.size >= MAX_BREAKERS) this.evictClosed()
      b = new CircuitBreaker(this.opts)
      this.breakers.set(target, b)
    }
    return b
  }

  /** without creating one (unknown targets are healthy) */
  find(target: string): CircuitBreaker | undefined {
    return this.breakers.get(target)
  }

  /** metrics: targets whose circuit is not closed */
  unhealthy(now: number): Array<{ target: string; state: BreakerState }> {
    const out: Array<{ target: string; state: BreakerState }> = []
    for (const [target, b] of this.breakers) {
      const state = b.stateAt(now)
      if (state !== 'closed') out.push({ target, state })
    }
    return out
  }

  private evictClosed(): void {
    // oldest first (Map keeps insertion order); open circuits are kept, they carry information
    let n = Math.ceil(MAX_BREAKERS / 10)
    for (const [target, b] of this.breakers) {
      if (n === 0) break
      if (b.state === 'closed') {
        this.breakers.delete(target)
        n--
      }
    }
  }
}

/**
 * Attempts in the order to try them: those whose breaker allows a call keep their order, the rest
 * move to the end (still in order) instead of being dropped. Returns `attempts` itself when no
 * breaker objects. Calls allow(), so a half-open target's single probe is handed out here.
 */
export function orderByHealth<A extends { target: string }>(attempts: A[], breakers: CircuitBreakers, now: number): A[] {
  let healthy: A[] | undefined
  let blocked: A[] | undefined
  for (let i = 0; i < attempts.length; i++) {
    const a = attempts[i]
    const b = breakers.find(a.target)
    if (!b || b.allow(now)) {
      healthy?.push(a)
      continue
    }
    if (!healthy) healthy = attempts.slice(0, i)
    ;(blocked ??= []).push(a)
  }
  return blocked ? (healthy ?? []).concat(blocked) : attempts
}
