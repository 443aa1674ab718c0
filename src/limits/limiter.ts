// Rate-limit and budget arithmetic, pure (the clock is a parameter). Both stores count the same
// things and decide with the same formulas; the Redis Lua script mirrors `violates` exactly.
//
// rpm and tpm use a two-bucket sliding window: windows are aligned to the minute, and the count
// at time t is `prev × (1 − elapsed/60s) + cur` (computed × 60000, in integers). Concurrency
// counts open slots. Budgets sum the spend of the current calendar period (UTC).
import type { Budget } from '../config/types'
import { GatewayError, type GatewayErrorInit } from '../errors'

export const WINDOW_MS = 60_000
const DAY_MS = 86_400_000

/** One set of limits that a request counts against: a key or a group. */
export interface Scope {
  /** stable storage id: `key:<name>` or `group:<name>` */
  id: string
  /** for messages: `key alice` or `group batch` */
  label: string
  rpm?: number
  tpm?: number
  maxConcurrent?: number
  budget?: Budget
}

/** A scope's counters as seen at admission, before this request is counted. */
export interface ScopeCounts {
  rpmCur: number
  rpmPrev: number
  tpmCur: number
  tpmPrev: number
  /** open concurrency slots */
  active: number
  /** USD spent in the current budget period */
  spent: number
  /** USD reserved by requests still running */
  reserved?: number
}

export type LimitKind = 'rpm' | 'tpm' | 'concurrency' | 'budget'

export interface Violation {
  kind: LimitKind
  scope: Scope
  retryAfterMs: number
}

export const windowStart = (now: number): number => now - (now % WINDOW_MS)

/**
 * The sliding count × WINDOW_MS, in integers so the check is exact (and identical in Lua):
 * `prev × (W − elapsed) + cur × W`. A request needing `need` fits iff this + need × W ≤ limit × W.
 */
export const scaledCount = (prev: number, cur: number, now: number): number =>
  prev * (WINDOW_MS - (now % WINDOW_MS)) + cur * WINDOW_MS

const fits = (prev: number, cur: number, need: number, limit: number, now: number): boolean =>
  scaledCount(prev, cur, now) + need * WINDOW_MS <= limit * WINDOW_MS

/** What is left of a limit right now (whole units, never negative). */
export const windowRemaining = (prev: number, cur: number, limit: number, now: number): number =>
  Math.max(0, Math.floor((limit * WINDOW_MS - scaledCount(prev, cur, now)) / WINDOW_MS))

/** Tokens a request needs free: its estimate, at least 1, at most the whole limit (a request
 *  larger than the limit is admitted into an empty window, otherwise it could never run). */
export const tokensNeeded = (estimate: number, tpm: number): number => Math.max(1, Math.min(estimate, tpm))

/** ms until `need` more fit under `limit`: the first elapsed e with
 *  prev × (W − e) + (cur + need) × W ≤ limit × W, in this window or the next. */
export function windowWaitMs(prev: number, cur: number, need: number, limit: number, now: number): number {
  const elapsed = now % WINDOW_MS
  if (cur + need <= limit) {
    if (prev <= 0) return 0
    const e = WINDOW_MS - Math.floor(((limit - cur - need) * WINDOW_MS) / prev)
    return Math.max(0, e - elapsed)
  }
  const toNext = WINDOW_MS - elapsed
  if (cur <= 0) return toNext
  return toNext + Math.max(0, WINDOW_MS - Math.floor(((limit - need) * WINDOW_MS) / cur))
}

/** ms until a sliding window is back to zero (the x-ratelimit-reset-* meaning). */
export function windowResetMs(prev: number, cur: number, now: number): number {
  const elapsed = now % WINDOW_MS
  if (cur > 0) return 2 * WINDOW_MS - elapsed
  if (prev > 0) return WINDOW_MS - elapsed
  return 0
}

export function periodStart(now: number, per: Budget['per']): number {
  const day = now - (now % DAY_MS)
  if (per === 'day') return day
  if (per === 'week') return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS // ISO weeks start on Monday
  const d = new Date(now)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

export function periodEnd(now: number, per: Budget['per']): number {
  const start = periodStart(now, per)
  if (per === 'day') return start + DAY_MS
  if (per === 'week') return start + 7 * DAY_MS
  const d = new Date(start)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
}

/** A budget admits while what is spent plus what running requests reserved is below it, so
 *  concurrent requests overrun it by at most one request's estimate (the last one admitted). */
const budgetFull = (usd: number, c: ScopeCounts): boolean => c.spent + (c.reserved ?? 0) >= usd

/** Cheap admission test (no allocation); the Lua admit script is the same conditions. */
export function violates(s: Scope, c: ScopeCounts, estimate: number, now: number): boolean {
  if (s.rpm !== undefined && !fits(c.rpmPrev, c.rpmCur, 1, s.rpm, now)) return true
  if (s.tpm !== undefined && !fits(c.tpmPrev, c.tpmCur, tokensNeeded(estimate, s.tpm), s.tpm, now)) return true
  if (s.maxConcurrent !== undefined && c.active >= s.maxConcurrent) return true
  if (s.budget !== undefined && budgetFull(s.budget.usd, c)) return true
  return false
}

/** Every limit a request breaks in one scope, with how long until it would pass. */
export function violations(s: Scope, c: ScopeCounts, estimate: number, now: number, out: Violation[] = []): Violation[] {
  if (s.rpm !== undefined && !fits(c.rpmPrev, c.rpmCur, 1, s.rpm, now))
    out.push({ kind: 'rpm', scope: s, retryAfterMs: windowWaitMs(c.rpmPrev, c.rpmCur, 1, s.rpm, now) })
  if (s.tpm !== undefined) {
    const need = tokensNeeded(estimate, s.tpm)
    if (!fits(c.tpmPrev, c.tpmCur, need, s.tpm, now))
      out.push({ kind: 'tpm', scope: s, retryAfterMs: windowWaitMs(c.tpmPrev, c.tpmCur, need, s.tpm, now) })
  }
  // a slot frees when some request ends: unknowable, so suggest a short retry
  if (s.maxConcurrent !== undefined && c.active >= s.maxConcurrent) out.push({ kind: 'concurrency', scope: s, retryAfterMs: 1000 })
  if (s.budget !== undefined && budgetFull(s.budget.usd, c))
    out.push({ kind: 'budget', scope: s, retryAfterMs: periodEnd(now, s.budget.per) - now })
  return out
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A 429 from our own limits; says which limit of which scope refused (for metrics). */
export class LimitError extends GatewayError {
  readonly limit: LimitKind
  /** 'key' or 'group' */
  readonly scopeKind: string

  constructor(v: Violation, message: string, init: GatewayErrorInit) {
    super(429, message, init)
    this.limit = v.kind
    this.scopeKind = v.scope.id.slice(0, v.scope.id.indexOf(':'))
  }
}

/** The 429 for the violation that lasts longest (retrying earlier would fail again). */
export function limitError(vs: readonly Violation[], now: number, headers?: Record<string, string>): LimitError {
  let v = vs[0]
  for (const x of vs) if (x.retryAfterMs > v.retryAfterMs) v = x
  const retryAfter = Math.max(1, Math.ceil(v.retryAfterMs / 1000))
  const { scope: s } = v
  let message: string
  switch (v.kind) {
    case 'rpm':
      message = `rate limit of ${s.rpm} requests per minute exceeded for ${s.label}; retry in ${retryAfter}s`
      break
    case 'tpm':
      message = `rate limit of ${s.tpm} tokens per minute exceeded for ${s.label}; retry in ${retryAfter}s`
      break
    case 'concurrency':
      message = `limit of ${s.maxConcurrent} concurrent requests reached for ${s.label}; retry when one finishes`
      break
    case 'budget':
      message = `budget of $${s.budget!.usd}/${s.budget!.per} for ${s.label} exhausted; resets at ${isoSeconds(periodEnd(now, s.budget!.per))}`
      break
  }
  return new LimitError(v, message, {
    code: v.kind === 'budget' ? 'budget_exceeded' : 'rate_limit_exceeded',
    retryAfter,
    retryable: false,
    headers,
  })
}

/** OpenAI's reset format: `20ms`, `45s`, `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s'
  if (ms < 1000) return `${Math.ceil(ms)}ms`
  const s = Math.ceil(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = s % 60
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${rest}s`
}

export const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>

/** x-ratelimit-* headers from the tightest scope (least remaining) for requests and for tokens;
 *  `counts` include this request when it was admitted. */
export function limitHeaders(scopes: readonly Scope[], counts: readonly ScopeCounts[], now: number): Record<string, string> {
  let reqI = -1, reqLeft = Infinity, tokI = -1, tokLeft = Infinity
  for (let i = 0; i < scopes.length; i++) {
    const s = scopes[i], c = counts[i]
    if (s.rpm !== undefined) {
      const left = windowRemaining(c.rpmPrev, c.rpmCur, s.rpm, now)
      if (left < reqLeft || (left === reqLeft && s.rpm < scopes[reqI].rpm!)) (reqI = i), (reqLeft = left)
    }
    if (s.tpm !== undefined) {
      const left = windowRemaining(c.tpmPrev, c.tpmCur, s.tpm, now)
      if (left < tokLeft || (left === tokLeft && s.tpm < scopes[tokI].tpm!)) (tokI = i), (tokLeft = left)
    }
  }
  if (reqI < 0 && tokI < 0) return NO_HEADERS
  const h: Record<string, string> = {}
  if (reqI >= 0) {
    const c = counts[reqI]
    h['x-ratelimit-limit-requests'] = String(scopes[reqI].rpm)
    h['x-ratelimit-remaining-requests'] = String(reqLeft)
    h['x-ratelimit-reset-requests'] = formatDuration(windowResetMs(c.rpmPrev, c.rpmCur, now))
  }
  if (tokI >= 0) {
    const c = counts[tokI]
    h['x-ratelimit-limit-tokens'] = String(scopes[tokI].tpm)
    h['x-ratelimit-remaining-tokens'] = String(tokLeft)
    h['x-ratelimit-reset-tokens'] = formatDuration(windowResetMs(c.tpmPrev, c.tpmCur, now))
  }
  return h
}
