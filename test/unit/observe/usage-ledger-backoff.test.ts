// A ledger whose store keeps failing (a full disk) must not slow requests down or flood the log:
// failing flushes back off exponentially (capped), log at most once a minute, the backlog stays
// bounded (oldest dropped, counted), and the state shows in health() and metrics. Before: every
// record() past a batch retried the whole failing flush and logged a line (10,507 lines for 11,000
// requests, 23× slower).
import { describe, expect, test } from 'bun:test'
import { createUsageLedger } from '../../../src/observe/usage-ledger'
import { watchLedger } from '../../../src/observe/ledger-metrics'
import { createRegistry } from '../../../src/observe/metrics'
import type { UsageStore } from '../../../src/observe/usage-store'
import { usageRow, waitFor } from './helpers/usage-rows'

function flakyStore() {
  const s = {
    failing: true,
    attempts: 0,
    written: 0,
    store: {
      kind: 'sqlite',
      async insert(batch) {
        s.attempts++
        if (s.failing) throw new Error('database or disk is full')
        s.written += batch.length
      },
      query: async () => [],
      close: async () => {},
    } satisfies UsageStore,
  }
  return s
}

describe('usage ledger on a failing store', () => {
  test('flushes back off, log once, keep a bounded backlog; writes resume when the store heals', async () => {
    const mem = flakyStore()
    const lines: string[] = []
    const logger = { warn: (m: string) => void lines.push(`warn ${m}`), error: (m: string) => void lines.push(`error ${m}`) }
    const ledger = createUsageLedger(mem.store, { logger, flushIntervalMs: 20, batchSize: 10, maxPending: 300, maxBackoffMs: 160 })
    const t0 = performance.now()
    // 2,000 requests over ~600 ms
    for (let i = 0; i < 2000; i++) {
      ledger.record(usageRow({ request_id: `r${i}` }))
      if (i % 50 === 49) await Bun.sleep(15)
    }
    const elapsed = performance.now() - t0
    console.log(`failing store: ${mem.attempts} flush attempts, ${lines.length} log lines for 2,000 rows in ${Math.round(elapsed)} ms`)
    // 20, 40, 80, 160, 160… ms apart: a handful of attempts, not one per row
    expect(mem.attempts).toBeLessThanOrEqual(10)
    expect(lines.filter((l) => l.startsWith('error'))).toHaveLength(1)
    expect(ledger.pending).toBeLessThanOrEqual(300)
    expect(ledger.dropped).toBe(2000 - ledger.pending)
    const h = ledger.health()
    expect(h).toMatchObject({ store: 'sqlite', failing: true, pending: ledger.pending, dropped: ledger.dropped })
    expect(h.last_error).toContain('disk is full')

    const registry = createRegistry()
    watchLedger(registry, ledger)
    const text = registry.render()
    expect(text).toContain(`llm_proxy_usage_ledger_pending ${ledger.pending}`)
    expect(text).toContain(`llm_proxy_usage_ledger_dropped_total ${ledger.dropped}`)
    expect(text).toContain('llm_proxy_usage_ledger_failing 1')

    mem.failing = false
    expect(await waitFor(async () => ledger.pending === 0, 2000)).toBe(true)
    expect(ledger.health().failing).toBe(false)
    expect(lines.some((l) => l.includes('resumed'))).toBe(true)
    expect(registry.render()).toContain('llm_proxy_usage_ledger_failing 0')
    await ledger.close()
  })
})
