// `llm-proxy usage`: aggregate the usage ledger and render it as an aligned plain-text table.
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

export interface UsageCommandOptions {
  since: string
  by: UsageGroupBy
  /** for tests */
  now?: number
}

/** Queries the configured store and returns the report text (the caller prints it). */
export async function runUsageCommand(cfg: Config, opts: UsageCommandOptions): Promise<string> {
  const since = parseSince(opts.since, opts.now ?? Date.now())
  const spec = parseUsageStoreSpec(cfg.usage.store)
  if (spec.kind === 'none') return 'usage.store is none: no usage is recorded.\n'
  if (spec.kind === 'sqlite' && spec.path !== ':memory:' && !existsSync(spec.path))
    return `no usage recorded yet (${spec.path} does not exist).\n`
  const store = await createUsageStore(cfg.usage.store, { readonly: true })
  try {
    const rows = await store.query({ since, by: opts.by })
    const [total] = await store.query({ since, by: 'all' })
    const title = `usage since ${new Date(since).toISOString()} by ${opts.by} (${spec.kind})\n`
    if (rows.length === 0) return `${title}no requests in this period.\n`
    return title + renderUsageTable(rows, { by: opts.by, total })
  } finally {
    await store.close()
  }
}
