// The dashboard's ledger queries on SQLite and (with LLM_PROXY_TEST_POSTGRES) Postgres, on rows
// whose answers are known: bucket edges, nearest-rank p50/p95 of latency and of TTFT (streams
// only), error counts, the top rows by cost and their sparklines.
import { afterAll, describe, expect, test } from 'bun:test'
import { SQL } from 'bun'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openUsageSeries, SPARK_POINTS, windowOf } from '../../../src/observe/usage-series'
import { createUsageStore } from '../../../src/observe/usage-store'
import { usageRow } from './helpers/usage-rows'

const NOW = Date.UTC(2026, 0, 1, 12, 30, 30)
const AT = Date.UTC(2026, 0, 1, 12, 30, 10)

function seriesSuite(name: string, spec: () => Promise<string>) {
  test(`overview and breakdown on ${name}`, async () => {
    const s = await spec()
    const store = await createUsageStore(s)
    const durations = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    await store.insert([
      ...durations.map((d, i) =>
        usageRow({ time: AT, duration_ms: d, ttft_ms: i < 5 ? [5, 15, 25, 35, 45][i] : null, status: i >= 8 ? 500 : 200, key_name: i < 6 ? 'a' : 'b', cost_usd: i < 6 ? 0.01 : 0.05, output_tokens: 3 }),
      ),
      usageRow({ time: windowOf('hour', NOW).since - 1, key_name: 'old' }), // before the hour
      usageRow({ time: windowOf('hour', NOW, SPARK_POINTS).until, key_name: 'future' }), // at the (later) end of the tables' window: excluded
      usageRow({ time: AT - 30 * 60_000, duration_ms: 7, ttft_ms: null, key_name: 'a', cost_usd: 0 }),
    ])
    const series = await openUsageSeries(s)
    try {
      const o = await series.overview('hour', NOW)
      expect(o.points).toHaveLength(60)
      expect(o.since).toBe(Date.UTC(2026, 0, 1, 11, 31))
      const last = o.points[59]
      expect(last).toEqual({ t: Date.UTC(2026, 0, 1, 12, 30), requests: 10, errors: 2, input_tokens: 10_000, output_tokens: 30, cost_usd: expect.closeTo(0.26, 9), p50_ms: 50, p95_ms: 100, ttft_p50_ms: 25, ttft_p95_ms: 45 })
      expect(o.points[29]).toMatchObject({ requests: 1, p50_ms: 7, p95_ms: 7, ttft_p50_ms: null })
      expect(o.points.reduce((n, p) => n + p.requests, 0)).toBe(11)

      const b = await series.breakdown('key', 'hour', NOW)
      expect(b.rows.map((r) => r.name)).toEqual(['b', 'a'])
      expect(b.rows[0]).toMatchObject({ requests: 4, errors: 2, p50_ms: 80, p95_ms: 100 })
      expect(b.rows[1]).toMatchObject({ requests: 7, errors: 0, p50_ms: 30 })
      for (const r of b.rows) {
        expect(r.spark).toHaveLength(SPARK_POINTS)
        expect(r.spark.reduce((x, y) => x + y, 0)).toBe(r.requests)
      }
      expect(b.rows[0].spark[SPARK_POINTS - 1]).toBe(4)
      // a week: the same rows, in hourly points
      const w = await series.overview('week', NOW)
      expect(w.points).toHaveLength(168)
      expect(w.points.reduce((n, p) => n + p.requests, 0)).toBe(13) // 'old' and 'future' are within the week's whole hours
    } finally {
      await series.close()
      await store.close()
    }
  })
}

describe('usage series', () => {
  seriesSuite('SQLite', async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'llm-proxy-series-')), 'ledger.db')}`)
  const pg = process.env.LLM_PROXY_TEST_POSTGRES
  if (!pg) test.skip('on Postgres: needs LLM_PROXY_TEST_POSTGRES=postgres://…', () => {})
  else {
    const scratch = `llm_proxy_series_${process.pid}_${Date.now()}`
    const server = new SQL(pg, { max: 1 })
    afterAll(async () => {
      await server.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)
      await server.close()
    })
    seriesSuite('Postgres', async () => {
      await server.unsafe(`CREATE DATABASE ${scratch}`)
      const u = new URL(pg)
      u.pathname = `/${scratch}`
      return u.toString()
    })
  }
})
