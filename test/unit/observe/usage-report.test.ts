import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSince, renderUsageTable, runUsageCommand } from '../../../src/cli/usage-report'
import type { Config } from '../../../src/config/types'
import { createUsageStore } from '../../../src/observe/usage-store'
import type { UsageAggregate } from '../../../src/observe/usage-record'
import { usageRow } from './helpers/usage-rows'

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

describe('renderUsageTable', () => {
  test('aligned columns, thousands separators, a TOTAL line', () => {
    const text = renderUsageTable(
      [
        agg('alice', { requests: 1200, input_tokens: 1_234_567, output_tokens: 8900, cache_read_tokens: 1000, cost_usd: 12.3456789, p50_ms: 850, p95_ms: 4200 }),
        agg('', { requests: 3, input_tokens: 10, output_tokens: 2, cost_usd: 0, p50_ms: 40, p95_ms: 51 }),
      ],
      { by: 'key', total: agg('all', { p50_ms: 800, p95_ms: 4100 }) },
    )
    expect(text).toBe(
      [
        'KEY     REQUESTS      INPUT  OUTPUT  CACHED  COST USD  P50 MS  P95 MS',
        'alice      1,200  1,234,567   8,900   1,000   12.3457     850   4,200',
        '(none)         3         10       2       0    0.0000      40      51',
        '------  --------  ---------  ------  ------  --------  ------  ------',
        'TOTAL      1,203  1,234,577   8,902   1,000   12.3457     800   4,100',
        '',
      ].join('\n'),
    )
  })

  test('without a total query the TOTAL percentiles read "-"; the heading follows `by`', () => {
    const lines = renderUsageTable([agg('2025-01-01', { p50_ms: 5, p95_ms: 9 })], { by: 'day' }).trimEnd().split('\n')
    expect(lines[0]).toStartWith('DAY ')
    expect(lines.at(-1)).toMatch(/^TOTAL\s+1\s+0\s+0\s+0\s+0\.0000\s+-\s+-$/)
  })
})

describe('parseSince', () => {
  const now = Date.UTC(2025, 5, 15, 12)
  test('relative, absolute and all', () => {
    expect(parseSince('24h', now)).toBe(now - 86_400_000)
    expect(parseSince('7d', now)).toBe(now - 7 * 86_400_000)
    expect(parseSince('30m', now)).toBe(now - 1_800_000)
    expect(parseSince('2w', now)).toBe(now - 14 * 86_400_000)
    expect(parseSince('2025-01-31', now)).toBe(Date.UTC(2025, 0, 31))
    expect(parseSince('2025-01-31T10:00:00Z', now)).toBe(Date.UTC(2025, 0, 31, 10))
    expect(parseSince('all', now)).toBe(0)
    expect(() => parseSince('yesterday-ish', now)).toThrow(/--since/)
  })
})

describe('runUsageCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-report-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  const cfg = (store: string) => ({ usage: { store } }) as Config

  test('queries the configured store and renders it', async () => {
    const spec = `sqlite:${join(dir, 'u.db')}`
    const now = Date.UTC(2025, 5, 15, 12)
    const store = await createUsageStore(spec)
    await store.insert([
      usageRow({ time: now - 3_600_000, key_name: 'alice', duration_ms: 100, cost_usd: 0.5 }),
      usageRow({ time: now - 3_600_000, key_name: 'alice', duration_ms: 300, cost_usd: 0.5 }),
      usageRow({ time: now - 7_200_000, key_name: 'bob', duration_ms: 200, cost_usd: 0.25 }),
      usageRow({ time: now - 10 * 86_400_000, key_name: 'old', duration_ms: 1, cost_usd: 9 }),
    ])
    await store.close()
    const text = await runUsageCommand(cfg(spec), { since: '24h', by: 'key', now })
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe(`usage since ${new Date(now - 86_400_000).toISOString()} by key (sqlite)`)
    expect(lines[1]).toStartWith('KEY')
    expect(lines[2]).toMatch(/^alice\s+2\s+2,000\s+20\s+200\s+1\.0000\s+100\s+300$/)
    expect(lines[3]).toMatch(/^bob\s+1\s/)
    expect(lines.at(-1)).toMatch(/^TOTAL\s+3\s+3,000\s+30\s+300\s+1\.2500\s+200\s+300$/)
    expect(text).not.toContain('old')
  })

  test('no store, a missing file, or an empty period say so', async () => {
    expect(await runUsageCommand(cfg('none'), { since: '24h', by: 'key' })).toContain('none')
    const missing = join(dir, 'missing.db')
    expect(await runUsageCommand(cfg(`sqlite:${missing}`), { since: '24h', by: 'key' })).toContain('does not exist')
    expect(await Bun.file(missing).exists()).toBe(false)
    const empty = `sqlite:${join(dir, 'empty.db')}`
    await (await createUsageStore(empty)).close()
    expect(await runUsageCommand(cfg(empty), { since: '1h', by: 'model' })).toContain('no requests')
  })
})
