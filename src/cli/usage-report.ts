// `llm-proxy usage`: aggregate the usage ledger and render it as an aligned plain-text table, JSON
// (one document: window, grouping, rows, total) or CSV (a header row, one row per group, TOTAL).
import { existsSync } from 'node:fs'
import type { Config } from '../config/types'
import type { UsageAggregate, UsageGroupBy } from '../observe/usage-record'
import { createUsageStore, parseUsageStoreSpec } from '../observe/usage-store'

const HEADING: Record<UsageGroupBy, string> = {
  key: 'KEY',
  group: 'GROUP',
  model: 'MODEL',
  provider: 'PROVIDER',
  day: 'DAY',
  all: 'ALL',
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** `30m`, `24h`, `7d`, `2w` back from now; `all`; or a date / ISO timestamp. */
export function parseSince(since: string, now: number): number {
  const s = since.trim()
  if (s === 'all') return 0
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(s)
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]]
  const t = Date.parse(s)
  if (Number.isNaN(t)) throw new Error(`--since: expected e.g. 24h, 7d, 2025-01-31 or all, got ${JSON.stringify(since)}`)
  return t
}

const int = (n: number) => Math.round(n).toLocaleString('en-US')
const usd = (n: number) => n.toFixed(4)

function sumRows(rows: readonly UsageAggregate[]): UsageAggregate {
  const t: UsageAggregate = {
    group: 'TOTAL',
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    p50_ms: Number.NaN,
    p95_ms: Number.NaN,
  }
  for (const r of rows) {
    t.requests += r.requests
    t.input_tokens += r.input_tokens
    t.output_tokens += r.output_tokens
    t.cache_read_tokens += r.cache_read_tokens
    t.cache_write_tokens += r.cache_write_tokens
    t.cost_usd += r.cost_usd
  }
  return t
}

/**
 * One line per group and a TOTAL line. Percentiles of the total cannot be derived from the
 * groups: pass `total` (a by-'all' query) to show them, otherwise they read '-'.
 * CACHED is cache reads (tokens served from the prompt cache).
 */
export function renderUsageTable(
  rows: readonly UsageAggregate[],
  opts: { by?: UsageGroupBy; total?: UsageAggregate } = {},
): string {
  const header = [HEADING[opts.by ?? 'key'], 'REQUESTS', 'INPUT', 'OUTPUT', 'CACHED', 'COST USD', 'P50 MS', 'P95 MS']
  const line = (r: UsageAggregate, name: string): string[] => [
    name,
    int(r.requests),
    int(r.input_tokens),
    int(r.output_tokens),
    int(r.cache_read_tokens),
    usd(r.cost_usd),
    Number.isNaN(r.p50_ms) ? '-' : int(r.p50_ms),
    Number.isNaN(r.p95_ms) ? '-' : int(r.p95_ms),
  ]
  const total = { ...sumRows(rows), ...(opts.total && { p50_ms: opts.total.p50_ms, p95_ms: opts.total.p95_ms }) }
  const table = [header, ...rows.map((r) => line(r, r.group === '' ? '(none)' : r.group)), line(total, 'TOTAL')]
  const widths = header.map((_, c) => Math.max(...table.map((cells) => cells[c].length)))
  const fmt = (cells: string[]) =>
    cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [fmt(table[0]), ...table.slice(1, -1).map(fmt), rule, fmt(table[table.length - 1])].join('\n') + '\n'
}

const COLUMNS = ['requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'cost_usd', 'p50_ms', 'p95_ms'] as const

/** NaN percentiles (no latency recorded) are null in JSON and empty in CSV. */
const num = (n: number): number | null => (Number.isFinite(n) ? n : null)

function totalOf(rows: readonly UsageAggregate[], total?: UsageAggregate): UsageAggregate {
  return { ...sumRows(rows), ...(total && { p50_ms: total.p50_ms, p95_ms: total.p95_ms }) }
}

export function renderUsageJson(rows: readonly UsageAggregate[], o: { by: UsageGroupBy; since: number; total?: UsageAggregate }): string {
  const row = (r: UsageAggregate) => ({ [o.by]: r.group, ...Object.fromEntries(COLUMNS.map((c) => [c, num(r[c])])) })
  const doc = { since: new Date(o.since).toISOString(), by: o.by, rows: rows.map(row), total: { ...row(totalOf(rows, o.total)), [o.by]: 'TOTAL' } }
  return JSON.stringify(doc, null, 2) + '\n'
}

/** RFC 4180: quote a field holding a comma, quote or line break; a leading =+-@ is neutralised
 *  (key names are user-chosen and spreadsheets run formulas). */
function csvField(v: string | number | null): string {
  if (v === null) return ''
  let s = String(v)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function renderUsageCsv(rows: readonly UsageAggregate[], o: { by: UsageGroupBy; total?: UsageAggregate }): string {
  const line = (name: string, r: UsageAggregate) => [name, ...COLUMNS.map((c) => num(r[c]))].map(csvField).join(',')
  return [[o.by, ...COLUMNS].join(','), ...rows.map((r) => line(r.group, r)), line('TOTAL', totalOf(rows, o.total))].join('\r\n') + '\r\n'
}

export interface UsageCommandOptions {
  since: string
  by: UsageGroupBy
  format?: 'table' | 'json' | 'csv'
  /** for tests */
  now?: number
}

/** Queries the configured store and returns the report text (the caller prints it). */
export async function runUsageCommand(cfg: Config, opts: UsageCommandOptions): Promise<string> {
  const since = parseSince(opts.since, opts.now ?? Date.now())
  const spec = parseUsageStoreSpec(cfg.usage.store)
  const format = opts.format ?? 'table'
  const empty = (why: string) => (format === 'json' ? renderUsageJson([], { by: opts.by, since }) : format === 'csv' ? renderUsageCsv([], { by: opts.by }) : why)
  if (spec.kind === 'none') return empty('usage.store is none: no usage is recorded.\n')
  if (spec.kind === 'sqlite' && spec.path !== ':memory:' && !existsSync(spec.path))
    return empty(`no usage recorded yet (${spec.path} does not exist).\n`)
  const store = await createUsageStore(cfg.usage.store, { readonly: true })
  try {
    const rows = await store.query({ since, by: opts.by })
    const [total] = await store.query({ since, by: 'all' })
    if (format === 'json') return renderUsageJson(rows, { by: opts.by, since, total })
    if (format === 'csv') return renderUsageCsv(rows, { by: opts.by, total })
    const title = `usage since ${new Date(since).toISOString()} by ${opts.by} (${spec.kind})\n`
    if (rows.length === 0) return `${title}no requests in this period.\n`
    return title + renderUsageTable(rows, { by: opts.by, total })
  } finally {
    await store.close()
  }
}
