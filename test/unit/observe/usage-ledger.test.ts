// Ledger behaviour independent of the database, against an in-memory store that can fail.
import { describe, expect, test } from 'bun:test'
import type { LogFields } from '../../../src/observe/logger'
import { createUsageLedger } from '../../../src/observe/usage-ledger'
import type { UsageRecord } from '../../../src/observe/usage-record'
import { noneStore, type UsageStore } from '../../../src/observe/usage-store'
import { usageRow, waitFor } from './helpers/usage-rows'

function memoryStore() {
  const rows: UsageRecord[] = []
  const s = {
    rows,
    failNext: 0,
    concurrent: 0,
    maxConcurrent: 0,
    batches: [] as number[],
    closed: false,
    store: {
      kind: 'sqlite',
      async insert(batch) {
        s.concurrent++
        s.maxConcurrent = Math.max(s.maxConcurrent, s.concurrent)
        await Bun.sleep(5)
        s.concurrent--
        if (s.failNext > 0) {
          s.failNext--
          throw new Error('database is locked')
        }
        s.batches.push(batch.length)
        rows.push(...batch)
      },
      query: async () => [],
      close: async () => {
        s.closed = true
      },
    } satisfies UsageStore,
  }
  return s
}

function captureLog() {
  const lines: Array<{ level: string; msg: string; fields?: LogFields }> = []
  return {
    lines,
    logger: {
      warn: (msg: string, fields?: LogFields) => void lines.push({ level: 'warn', msg, fields }),
      error: (msg: string, fields?: LogFields) => void lines.push({ level: 'error', msg, fields }),
    },
  }
}

describe('usage ledger', () => {
  test('a failed flush is logged, never thrown, and the rows are retried on the next tick', async () => {
    const mem = memoryStore()
    const log = captureLog()
    const ledger = createUsageLedger(mem.store, { logger: log.logger, flushIntervalMs: 200 })
    mem.failNext = 1
    for (let i = 0; i < 3; i++) ledger.record(usageRow({ request_id: `r${i}` }))
    expect(await waitFor(async () => log.lines.length > 0, 2000)).toBe(true)
    expect(log.lines.map((l) => [l.level, l.msg])).toEqual([['error', 'usage ledger flush failed']])
    expect(String(log.lines[0].fields?.error)).toContain('database is locked')
    expect(mem.rows).toHaveLength(0)
    expect(ledger.pending).toBe(3)
    ledger.record(usageRow({ request_id: 'r3' }))
    expect(await waitFor(async () => mem.rows.length === 4, 2000)).toBe(true)
    expect(mem.rows.map((r) => r.request_id)).toEqual(['r0', 'r1', 'r2', 'r3'])
    await ledger.close()
    expect(mem.closed).toBe(true)
  })

  test('the backlog is bounded: the oldest rows go first, with one warning per episode', async () => {
    const mem = memoryStore()
    const log = captureLog()
    const ledger = createUsageLedger(mem.store, { logger: log.logger, flushIntervalMs: 60_000, batchSize: 10_000, maxPending: 1000 })
    for (let i = 0; i < 1500; i++) ledger.record(usageRow({ request_id: `r${i}` }))
    expect(ledger.pending).toBeLessThanOrEqual(1000)
    expect(ledger.dropped).toBe(1500 - ledger.pending)
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1)
    await ledger.close()
    expect(mem.rows.at(-1)?.request_id).toBe('r1499')
    expect(mem.rows[0].request_id).toBe(`r${1500 - mem.rows.length}`)
  })

  test('flushes never overlap, and rows arriving mid-flush are written too', async () => {
    const mem = memoryStore()
    const ledger = createUsageLedger(mem.store, { flushIntervalMs: 10, batchSize: 5 })
    for (let i = 0; i < 200; i++) {
      ledger.record(usageRow())
      if (i % 7 === 0) await Bun.sleep(1)
    }
    void ledger.flush()
    await ledger.close()
    expect(mem.maxConcurrent).toBe(1)
    expect(mem.rows).toHaveLength(200)
    expect(new Set(mem.rows.map((r) => r.request_id)).size).toBe(200)
  })

  test('close() with a dead store logs the loss and resolves; later rows are dropped with a warning', async () => {
    const mem = memoryStore()
    const log = captureLog()
    const ledger = createUsageLedger(mem.store, { logger: log.logger, flushIntervalMs: 60_000 })
    mem.failNext = 99
    ledger.record(usageRow())
    ledger.record(usageRow())
    await ledger.close()
    expect(log.lines.map((l) => l.msg)).toEqual(['usage ledger flush failed', 'usage ledger closed with unwritten rows'])
    expect(ledger.dropped).toBe(2)
    ledger.record(usageRow())
    expect(ledger.pending).toBe(0)
    expect(log.lines.at(-1)?.msg).toContain('after the ledger closed')
  })

  test('with store none, record() keeps nothing', async () => {
    const ledger = createUsageLedger(noneStore)
    ledger.record(usageRow())
    expect(ledger.pending).toBe(0)
    expect(await ledger.query({ since: 0, by: 'key' })).toEqual([])
    await ledger.close()
  })
})
