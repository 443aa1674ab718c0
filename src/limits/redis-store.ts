// Limits shared by every replica through Redis: one Lua script admits (check and count, all
// scopes at once), one releases. Keys are prefixed `llmproxy:` and all carry TTLs. The clock is
// the caller's (replicas are assumed NTP-synced), which keeps the store testable.
import { GatewayError } from '../errors'
import { limitError, limitHeaders, NO_HEADERS, periodEnd, periodStart, violations, WINDOW_MS, windowStart, type Scope, type ScopeCounts, type Violation } from './limiter'
import { emptyTicket, scopesOf, type AdmitRequest, type AdmitResult, type LimitStore, type Ticket, type Usage } from './limit-store'
import { openRedis, type RedisConn } from './redis-conn'
import { ADMIT, RELEASE } from './redis-scripts'

export interface RedisStoreOptions {
  /** redis://… ; ignored when `conn` is given */
  url?: string
  conn?: RedisConn
  onError: 'open' | 'closed'
  /** called at most once a minute while Redis fails */
  warn: (message: string) => void
  /** a concurrency slot not released within this time is freed anyway (crashed replica) */
  leaseMs?: number
  timeoutMs?: number
  newId?: () => string
}

export const KEY_PREFIX = 'llmproxy:'
const WARN_EVERY_MS = 60_000
const DAY_MS = 86_400_000

const reservedKey = (s: Scope) => `${KEY_PREFIX}spendres:${s.id}`
/** the budget reservation's zset member; release rebuilds it from the ticket */
const reservation = (t: { id: string; costEstimate: number }) => `${t.id}|${t.costEstimate}`
/** settles kept while Redis is unreachable; past this the oldest is dropped (and counted) */
export const MAX_PENDING_SETTLES = 10_000
const RETRY_SETTLES_MS = 1_000

const spendKey = (s: Scope, now: number) =>
  s.budget ? `${KEY_PREFIX}spend:${s.id}:${s.budget.per}:${periodStart(now, s.budget.per)}` : `${KEY_PREFIX}spend:${s.id}`

/** Warns at most once per interval (the outage may last, the log must not flood). */
export function throttledWarn(warn: (message: string) => void, everyMs = WARN_EVERY_MS): (message: string, now: number) => void {
  let last = -Infinity
  return (message, now) => {
    if (now - last < everyMs) return
    last = now
    warn(message)
  }
}

export function createRedisStore(opts: RedisStoreOptions): LimitStore {
  const conn = opts.conn ?? openRedis(opts.url ?? '', { timeoutMs: opts.timeoutMs })
  const ownsConn = !opts.conn
  const leaseMs = opts.leaseMs ?? 15 * 60_000
  const newId = opts.newId ?? (() => crypto.randomUUID())
  const warn = throttledWarn(opts.warn)
  const pending = createSettleQueue(conn, warn)

  const unavailable = (err: unknown, now: number, scopes: readonly Scope[], id: string): AdmitResult => {
    const why = err instanceof Error ? err.message : String(err)
    warn(`rate-limit state (Redis) unavailable: ${why}; on_error: ${opts.onError}, ${opts.onError === 'open' ? 'limits are not enforced' : 'requests are refused'}`, now)
    if (opts.onError === 'closed')
      throw new GatewayError(503, 'rate-limit state is unavailable; try again shortly', { code: 'state_unavailable', retryable: false, cause: err })
    // admitted without a reservation, but its usage is still settled (queued until Redis is back)
    return { ticket: { id, scopes, estimate: 0, costEstimate: 0, window: windowStart(now), released: false }, headers: NO_HEADERS }
  }

  return {
    async admit(req: AdmitRequest, now: number): Promise<AdmitResult> {
      const scopes = scopesOf(req.principal)
      if (scopes.length === 0) return { ticket: emptyTicket(), headers: NO_HEADERS }
      const est = Math.max(0, Math.ceil(req.estimatedTokens))
      const costEst = Math.max(0, req.estimatedCostUsd ?? 0)
      const ws = windowStart(now)
      const wi = ws / WINDOW_MS
      const id = newId()
      const keys: string[] = []
      const args = [String(now), String(est), id, String(leaseMs), String(scopes.length), String(costEst)]
      for (const s of scopes) {
        keys.push(
          `${KEY_PREFIX}rpm:${s.id}:${wi}`,
          `${KEY_PREFIX}rpm:${s.id}:${wi - 1}`,
          `${KEY_PREFIX}tpm:${s.id}:${wi}`,
          `${KEY_PREFIX}tpm:${s.id}:${wi - 1}`,
          `${KEY_PREFIX}conc:${s.id}`,
          spendKey(s, now),
          reservedKey(s),
        )
        args.push(String(s.rpm ?? -1), String(s.tpm ?? -1), String(s.maxConcurrent ?? -1), String(s.budget?.usd ?? -1))
      }
      let reply: unknown
      try {
        reply = await conn.evalScript(ADMIT, keys, args)
      } catch (err) {
        // a timed-out script may still run later: its counts then expire with their TTLs/lease
        return unavailable(err, now, scopes, id)
      }
      const r = reply as Array<number | string>
      const counts: ScopeCounts[] = scopes.map((_, i) => ({
        rpmCur: Number(r[1 + i * 7]),
        rpmPrev: Number(r[2 + i * 7]),
        tpmCur: Number(r[3 + i * 7]),
        tpmPrev: Number(r[4 + i * 7]),
        active: Number(r[5 + i * 7]),
        spent: Number(r[6 + i * 7]),
        reserved: Number(r[7 + i * 7]),
      }))
      if (Number(r[0]) !== 1) {
        const vs: Violation[] = []
        for (let i = 0; i < scopes.length; i++) violations(scopes[i], counts[i], est, now, vs)
        // the script and `violations` share their formulas; this only guards against drift
        if (vs.length === 0) vs.push({ kind: 'rpm', scope: scopes[0], retryAfterMs: 1000 })
        throw limitError(vs, now, limitHeaders(scopes, counts, now))
      }
      for (let i = 0; i < scopes.length; i++) {
        const s = scopes[i], c = counts[i]
        if (s.rpm !== undefined) c.rpmCur += 1
        if (s.tpm !== undefined) c.tpmCur += est
        if (s.maxConcurrent !== undefined) c.active += 1
      }
      const ticket: Ticket = { id, scopes, estimate: est, costEstimate: costEst, window: ws, released: false }
      return { ticket, headers: limitHeaders(scopes, counts, now) }
    },

    async release(ticket: Ticket, usage: Usage, now: number): Promise<void> {
      if (ticket.released) return
      ticket.released = true
      if (ticket.scopes.length === 0) return
      const wi = windowStart(now) / WINDOW_MS
      const admitted = ticket.window / WINDOW_MS
      const tokens = Math.max(0, Math.round(usage.tokens))
      const cost = usage.costUsd > 0 ? usage.costUsd.toFixed(12) : '0'
      const keys: string[] = []
      const args = [ticket.id, String(ticket.estimate), String(tokens), cost, String(ticket.scopes.length), reservation(ticket)]
      for (const s of ticket.scopes) {
        keys.push(`${KEY_PREFIX}tpm:${s.id}:${admitted}`, `${KEY_PREFIX}tpm:${s.id}:${wi}`, `${KEY_PREFIX}conc:${s.id}`, spendKey(s, now), reservedKey(s))
        // spend outlives its period by a day, for late readers; then it expires
        const spendTtl = s.budget ? periodEnd(now, s.budget.per) - now + DAY_MS : -1
        args.push(s.tpm !== undefined ? '1' : '0', s.maxConcurrent !== undefined ? '1' : '0', String(spendTtl))
      }
      keys.push(`${KEY_PREFIX}settled:${ticket.id}`)
      await pending.settle(keys, args, now)
    },

    pendingSettles: () => pending.size(),

    async close() {
      await pending.close()
      if (ownsConn) conn.close()
    },
  }
}

/**
 * Settles that could not reach Redis, retried in order once a second until Redis answers. The
 * RELEASE script runs once per ticket, so a settle that timed out but did run is not counted
 * twice. While Redis is down the slot and the reservation of a request free themselves when their
 * lease ends; its tokens and spend arrive when Redis is back (or are dropped, counted and warned
 * about, past MAX_PENDING_SETTLES, or when the process stops first).
 */
function createSettleQueue(conn: RedisConn, warn: (message: string, now: number) => void) {
  const queue: Array<{ keys: string[]; args: string[] }> = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let flushing: Promise<void> | undefined
  let dropped = 0

  const run = (keys: string[], args: string[]) => conn.evalScript(RELEASE, keys, args)

  const enqueue = (item: { keys: string[]; args: string[] }, err: unknown, now: number) => {
    if (queue.length >= MAX_PENDING_SETTLES) {
      queue.shift()
      dropped++
    }
    queue.push(item)
    const why = err instanceof Error ? err.message : String(err)
    warn(`rate-limit state (Redis) unavailable on release: ${why}; ${queue.length} settle(s) queued until it is back${dropped ? `, ${dropped} dropped` : ''}`, now)
    schedule()
  }

  const schedule = () => {
    if (timer || queue.length === 0) return
    timer = setTimeout(() => {
      timer = undefined
      flushing ??= flush().finally(() => (flushing = undefined))
    }, RETRY_SETTLES_MS)
    ;(timer as { unref?: () => void }).unref?.()
  }

  const flush = async () => {
    while (queue.length > 0) {
      try {
        await run(queue[0].keys, queue[0].args)
      } catch {
        break
      }
      queue.shift()
    }
    schedule()
  }

  return {
    async settle(keys: string[], args: string[], now: number) {
      try {
        await run(keys, args)
      } catch (err) {
        enqueue({ keys, args }, err, now)
      }
    },
    size: () => queue.length,
    async close() {
      if (timer) clearTimeout(timer)
      timer = undefined
      await flushing
      // a last try on the way out; what still fails is lost with the process
      if (queue.length > 0) await flush().catch(() => {})
      if (timer) clearTimeout(timer)
      timer = undefined
    },
  }
}
