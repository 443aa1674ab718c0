// The usage ledger in front of a store. record() only appends to memory, so a response never
// waits on the database; a timer writes the batch in one transaction within flushIntervalMs of
// its first row (sooner once batchSize rows are pending). A failing store (full disk, database
// down) costs requests nothing: writes back off exponentially up to maxBackoffMs, the failure is
// logged at most once a minute, and the backlog is bounded, dropping its oldest rows first
// (counted; see health() and the llm_proxy_usage_ledger_* metrics).
import type { UsageStore } from './usage-store'
import type { UsageAggregate, UsageQuery, UsageRecord } from './usage-record'
import type { Logger } from './logger'
import { redact } from './redact'

export interface UsageLedger {
  record(row: UsageRecord): void
  /** Writes what is pending now (one batch, or everything if `all`). */
  flush(all?: boolean): Promise<void>
  /** Flushes everything and closes the store (SIGTERM). */
  close(): Promise<void>
  query(q: UsageQuery): Promise<UsageAggregate[]>
  readonly pending: number
  readonly dropped: number
  /** for /health and metrics */
  health(): LedgerHealth
}

export interface LedgerHealth {
  store: string
  pending: number
  dropped: number
  /** the last write failed; retrying with backoff */
  failing: boolean
  consecutive_failures: number
  last_error?: string
}

export interface UsageLedgerOptions {
  logger?: Pick<Logger, 'warn' | 'error'>
  flushIntervalMs?: number
  batchSize?: number
  maxPending?: number
  /** cap of the retry backoff while the store fails */
  maxBackoffMs?: number
}

/** a failing store is reported this often at most */
const LOG_EVERY_MS = 60_000

export function createUsageLedger(store: UsageStore, opts: UsageLedgerOptions = {}): UsageLedger {
  const interval = opts.flushIntervalMs ?? 1000
  const batchSize = opts.batchSize ?? 500
  const maxPending = opts.maxPending ?? 100_000
  const maxBackoff = opts.maxBackoffMs ?? 60_000
  const log = opts.logger
  const enabled = store.kind !== 'none'

  let pending: UsageRecord[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: Promise<void> | undefined
  let closed = false
  let dropped = 0
  /** warn once per overflow episode, not once per row */
  let overflowing = false
  let failures = 0
  let lastError: string | undefined
  /** performance.now() before which no automatic flush is tried (backing off) */
  let retryAt = 0
  let loggedAt = -Infinity

  const schedule = () => {
    if (timer || closed) return
    const wait = Math.max(interval, retryAt - performance.now())
    timer = setTimeout(() => {
      timer = undefined
      void flush()
    }, wait)
    // The server keeps the process alive; a finished CLI or test must not wait on this.
    timer.unref?.()
  }

  const bound = () => {
    if (pending.length <= maxPending) return
    // Drop a slice at once so a long outage does not shift the array on every row.
    const n = pending.length - maxPending + Math.ceil(maxPending / 100)
    pending.splice(0, n)
    dropped += n
    if (!overflowing) {
      overflowing = true
      log?.warn('usage ledger backlog full: dropping oldest rows', { max_pending: maxPending, dropped: n })
    }
  }

  async function drain(all: boolean): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = undefined
    while (pending.length > 0) {
      const batch = pending
      pending = []
      try {
        await store.insert(batch)
        overflowing = false
        if (failures > 0) {
          log?.warn('usage ledger writes resumed', { after_failures: failures, pending: pending.length, dropped })
          failures = 0
          retryAt = 0
          lastError = undefined
        }
      } catch (err) {
        failures++
        lastError = err instanceof Error ? err.message : String(err)
        const backoff = Math.min(maxBackoff, interval * 2 ** failures)
        retryAt = performance.now() + backoff
        const now = performance.now()
        if (now - loggedAt >= LOG_EVERY_MS) {
          loggedAt = now
          log?.error('usage ledger flush failed', { error: err, rows: batch.length, store: store.kind, pending: pending.length + batch.length, dropped, retry_in_ms: backoff })
        }
        pending = pending.length ? batch.concat(pending) : batch
        bound()
        break
      }
      if (!all && pending.length < batchSize) break
    }
    if (pending.length) schedule()
  }

  function flush(all = false): Promise<void> {
    // One writer at a time; a caller arriving mid-flush waits for it, then for its own rows.
    const run: Promise<void> = (inflight ?? Promise.resolve()).then(() => drain(all))
    const mine = run.finally(() => {
      if (inflight === mine) inflight = undefined
    })
    inflight = mine
    return mine
  }

  return {
    record(row) {
      if (!enabled) return
      if (closed) {
        dropped++
        log?.warn('usage row recorded after the ledger closed: dropped', { request_id: row.request_id })
        return
      }
      pending.push(row)
      if (pending.length > maxPending) bound()
      // while the store fails, only the backoff timer tries again
      if (pending.length >= batchSize && !inflight && performance.now() >= retryAt) void flush()
      else schedule()
    },
    flush,
    async close() {
      if (closed) return
      await flush(true)
      closed = true
      if (timer) clearTimeout(timer)
      timer = undefined
      if (pending.length) {
        // The last attempt failed (already logged); the rows are lost, say how many.
        dropped += pending.length
        log?.error('usage ledger closed with unwritten rows', { rows: pending.length })
        pending = []
      }
      await store.close()
    },
    query: (q) => store.query(q),
    get pending() {
      return pending.length
    },
    get dropped() {
      return dropped
    },
    health: () => ({
      store: store.kind,
      pending: pending.length,
      dropped,
      failing: failures > 0,
      consecutive_failures: failures,
      last_error: lastError !== undefined ? redact(lastError.slice(0, 300)) : undefined,
    }),
  }
}
