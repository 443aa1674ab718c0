import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderUsageCsv, renderUsageJson, runUsageCommand } from '../../../src/cli/usage-report'
import type { Config } from '../../../src/config/types'
import { createUsageStore } from '../../../src/observe/usage-store'
import type { UsageAggregate } from '../../../src/observe/usage-record'
import { usageRow } from '../observe/helpers/usage-rows'

const agg = (group: string, o: Partial<UsageAggregate> = {}): UsageAggregate => ({
  group,
  requests: 1,
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  cost_usd: 0,
  p50_ms: 0,
  p95_ms: 0,
  ...o,
})

describe('usage --format json|csv', () => {
  test('json: rows keyed by the grouping, numbers as numbers, a TOTAL, no percentile → null', () => {
    const doc = JSON.parse(renderUsageJson([agg('alice', { requests: 2, cost_usd: 1.5, p50_ms: 10, p95_ms: 20 }), agg('bob', { input_tokens: 7 })], { by: 'key', since: Date.UTC(2025, 0, 1) }))
    expect(doc.since).toBe('2025-01-01T00:00:00.000Z')
    expect(doc.by).toBe('key')
    expect(doc.rows[0]).toEqual({ key: 'alice', requests: 2, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, cost_usd: 1.5, p50_ms: 10, p95_ms: 20 })
    expect(doc.total).toMatchObject({ key: 'TOTAL', requests: 3, input_tokens: 7, cost_usd: 1.5, p50_ms: null, p95_ms: null })
  })

  test('csv: header, RFC 4180 quoting, spreadsheet formulas neutralised, CRLF lines', () => {
    const csv = renderUsageCsv([agg('a,b "c"', { requests: 2 }), agg('=HYPERLINK("x")')], { by: 'key', total: agg('all', { p50_ms: 5, p95_ms: 9 }) })
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe('key,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,p50_ms,p95_ms')
    expect(lines[1]).toBe('"a,b ""c""",2,0,0,0,0,0,0,0')
    expect(lines[2]).toBe(`"'=HYPERLINK(""x"")",1,0,0,0,0,0,0,0`)
    expect(lines[3]).toBe('TOTAL,3,0,0,0,0,0,5,9')
    expect(lines[4]).toBe('')
  })

  describe('from the store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-usage-fmt-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const cfg = (store: string) => ({ usage: { store } }) as Config

    test('the same ledger in all three formats', async () => {
      const spec = `sqlite:${join(dir, 'u.db')}`
      const now = Date.UTC(2025, 5, 15, 12)
      const store = await createUsageStore(spec)
      await store.insert([usageRow({ time: now - 3_600_000, key_name: 'alice', duration_ms: 100, cost_usd: 0.5 })])
      await store.close()
      const json = JSON.parse(await runUsageCommand(cfg(spec), { since: '24h', by: 'key', now, format: 'json' }))
      expect(json.rows).toHaveLength(1)
      expect(json.rows[0].key).toBe('alice')
      expect(json.rows[0].cost_usd).toBe(0.5)
      const csv = await runUsageCommand(cfg(spec), { since: '24h', by: 'key', now, format: 'csv' })
      expect(csv.split('\r\n')[1]).toStartWith('alice,1,')
      expect(await runUsageCommand(cfg(spec), { since: '24h', by: 'key', now, format: 'table' })).toContain('TOTAL')
    })

    test('no store: still a valid document', async () => {
      expect(JSON.parse(await runUsageCommand(cfg('none'), { since: '24h', by: 'model', format: 'json' })).rows).toEqual([])
      expect(await runUsageCommand(cfg('none'), { since: '24h', by: 'model', format: 'csv' })).toStartWith('model,requests,')
    })
  })
})
