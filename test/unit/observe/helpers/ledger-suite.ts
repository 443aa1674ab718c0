// The ledger tests every store must pass; run by the SQLite and the Postgres test files.
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { join } from 'node:path'
import { createUsageLedger, type UsageLedger } from '../../../../src/observe/usage-ledger'
import type { UsageStore } from '../../../../src/observe/usage-store'
import { countRows, usageRow, waitFor } from './usage-rows'

export interface StoreFixture {
  /** the spec string for createUsageStore */
  spec: string
  open(): Promise<UsageStore>
}

/** `fresh` gives each test an empty store. */
export function ledgerSuite(fresh: () => Promise<StoreFixture>, runTest: typeof test = test): void {
  let fx: StoreFixture
  let reader: UsageStore
  let ledger: UsageLedger | undefined

  beforeEach(async () => {
    fx = await fresh()
    reader = await fx.open()
  })
  afterEach(async () => {
    await ledger?.close()
    ledger = undefined
    await reader.close()
  })

  runTest('record() never writes inline; the timer flushes within ~1 s without close', async () => {
    ledger = createUsageLedger(await fx.open())
    const t0 = performance.now()
    for (let i = 0; i < 20; i++) ledger.record(usageRow())
    expect(await countRows(reader)).toBe(0)
    expect(ledger.pending).toBe(20)
    expect(await waitFor(async () => (await countRows(reader)) === 20, 3000)).toBe(true)
    const elapsed = performance.now() - t0
    expect(elapsed).toBeGreaterThan(800)
    expect(elapsed).toBeLessThan(1500)
    expect(ledger.pending).toBe(0)
  })

  runTest('a full batch flushes at once; a partial one waits for the timer', async () => {
    ledger = createUsageLedger(await fx.open(), { flushIntervalMs: 60_000, batchSize: 100 })
    for (let i = 0; i < 99; i++) ledger.record(usageRow())
    await Bun.sleep(150)
    expect(await countRows(reader)).toBe(0)
    ledger.record(usageRow())
    expect(await waitFor(async () => (await countRows(reader)) === 100, 1000)).toBe(true)
  })

  runTest('close() writes everything, including rows beyond one batch', async () => {
    const l = createUsageLedger(await fx.open(), { flushIntervalMs: 60_000, batchSize: 500 })
    for (let i = 0; i < 1234; i++) l.record(usageRow())
    await l.close()
    expect(await countRows(reader)).toBe(1234)
  })

  runTest('query aggregates by key, model, provider, day and all, with nearest-rank percentiles', async () => {
    const day1 = Date.UTC(2025, 0, 1, 12)
    const day2 = Date.UTC(2025, 0, 2, 12)
    const since = Date.UTC(2025, 0, 1)
    ledger = createUsageLedger(await fx.open())
    ledger.record(usageRow({ time: day1, duration_ms: 100 }))
    ledger.record(usageRow({ time: day1, duration_ms: 300, cache_write_tokens: 7 }))
    ledger.record(usageRow({ time: day2, duration_ms: 200 }))
    ledger.record(
      usageRow({
        time: day2,
        key_name: 'bob',
        group_name: 'batch',
        provider: '',
        model_upstream: '',
        status: 502,
        input_tokens: 0,
        output_tokens: 0,
        cache_read_tokens: 0,
        cost_usd: 0,
        ttft_ms: null,
        duration_ms: 50,
        error: 'upstream 502',
      }),
    )
    ledger.record(usageRow({ time: since - 1, key_name: 'too-old', duration_ms: 9999 }))
    await ledger.flush(true)

    const byKey = await ledger.query({ since, by: 'key' })
    expect(byKey.map((r) => r.group)).toEqual(['alice', 'bob'])
    expect(byKey[0]).toMatchObject({
      requests: 3,
      input_tokens: 3000,
      output_tokens: 30,
      cache_read_tokens: 300,
      cache_write_tokens: 7,
      p50_ms: 200,
      p95_ms: 300,
    })
    expect(byKey[0].cost_usd).toBeCloseTo(0.03, 10)
    expect(byKey[1]).toMatchObject({ requests: 1, input_tokens: 0, cost_usd: 0, p50_ms: 50, p95_ms: 50 })

    const byModel = await ledger.query({ since, by: 'model' })
    expect(byModel.map((r) => [r.group, r.requests])).toEqual([
      ['gpt-4o', 3],
      ['fast', 1],
    ])
    const byProvider = await ledger.query({ since, by: 'provider' })
    expect(byProvider.map((r) => [r.group, r.requests])).toEqual([
      ['openai', 3],
      ['', 1],
    ])
    const byGroup = await ledger.query({ since, by: 'group' })
    expect(byGroup.map((r) => r.group)).toEqual(['default', 'batch'])
    const byDay = await ledger.query({ since, by: 'day' })
    expect(byDay.map((r) => [r.group, r.requests])).toEqual([
      ['2025-01-01', 2],
      ['2025-01-02', 2],
    ])
    const [all] = await ledger.query({ since, by: 'all' })
    expect(all).toMatchObject({ group: 'all', requests: 4, p50_ms: 100, p95_ms: 300 })
    expect(await ledger.query({ since: day2 + 1, by: 'key' })).toEqual([])
    expect((await ledger.query({ since: 0, by: 'all' }))[0].requests).toBe(5)
  })

  runTest('a SIGKILLed process keeps every row up to its last flush', async () => {
    const child = Bun.spawn(['bun', join(import.meta.dir, 'record-then-crash.ts'), fx.spec, '300', '50'], {
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const code = await child.exited
    expect(child.signalCode).toBe('SIGKILL')
    expect(code).not.toBe(0)
    const byKey = await reader.query({ since: 0, by: 'key' })
    expect(byKey.map((r) => [r.group, r.requests])).toEqual([['before-crash', 300]])
  })
}
