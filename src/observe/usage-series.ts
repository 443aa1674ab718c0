// The dashboard's reads of the usage ledger: time series (requests, errors, tokens, cost,
// p50/p95 latency and TTFT per bucket) and per key / group / model / provider tables with a
// sparkline per row. Everything is aggregated in the database (same SQL on SQLite and Postgres,
// nearest-rank percentiles with window functions as in usage-sql.ts); results are bounded by a
// fixed number of buckets and rows, whatever the traffic.
import { Database } from 'bun:sqlite'
import { SQL } from 'bun'
import { USAGE_TABLE, type SqlEngine } from './usage-sql'
import { parseUsageStoreSpec } from './usage-store'

export type SeriesRange = 'hour' | 'day' | 'week'
export type Breakdown = 'key' | 'group' | 'model' | 'provider'

/** bucket width and count for each range (≤ 168 points per series) */
export const RANGES: Record<SeriesRange, { stepMs: number; buckets: number }> = {
  hour: { stepMs: 60_000, buckets: 60 },
  day: { stepMs: 15 * 60_000, buckets: 96 },
  week: { stepMs: 3_600_000, buckets: 168 },
}
/** sparkline points per table row, and rows per table */
export const SPARK_POINTS = 24
export const MAX_ROWS = 50

export interface SeriesPoint {
  /** bucket start, epoch ms */
  t: number
  requests: number
  errors: number
  input_tokens: number
  output_tokens: number
  cost_usd: number
  p50_ms: number | null
  p95_ms: number | null
  ttft_p50_ms: number | null
  ttft_p95_ms: number | null
}

export interface BreakdownRow {
  name: string
  requests: number
  errors: number
  input_tokens: number
  output_tokens: number
  cost_usd: number
  p50_ms: number | null
  p95_ms: number | null
  /** requests per bucket, SPARK_POINTS of them, oldest first */
  spark: number[]
}

export interface UsageSeries {
  readonly enabled: boolean
  overview(range: SeriesRange, now: number): Promise<{ step_ms: number; since: number; points: SeriesPoint[] }>
  breakdown(by: Breakdown, range: SeriesRange, now: number): Promise<{ since: number; step_ms: number; rows: BreakdownRow[] }>
  close(): Promise<void>
}

const GROUP_EXPR: Record<Breakdown, string> = {
  key: 'key_name',
  group: 'group_name',
  model: "COALESCE(NULLIF(model_upstream, ''), model_requested)",
  provider: 'provider',
}

/** One statement runner per engine: `$1…` placeholders on both (SQLite accepts them too as ?NNN). */
type Run = (sql: string, params: Array<string | number>) => Promise<Array<Record<string, unknown>>>

const p = (engine: SqlEngine, i: number) => (engine === 'postgres' ? `$${i}` : `?${i}`)

/** The bucket number of a row: (time - since) / step, in whole numbers on both engines */
const bucketExpr = (engine: SqlEngine) =>
  engine === 'postgres' ? `((time - ${p(engine, 1)}::bigint) / ${p(engine, 2)}::bigint)` : `CAST((time - ${p(engine, 1)}) / ${p(engine, 2)} AS INTEGER)`

/** Per-bucket aggregates; params: since, step, until. */
function seriesSql(engine: SqlEngine): string {
  const bucket = bucketExpr(engine)
  return `SELECT b, count(*) AS requests, sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
  coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd,
  min(CASE WHEN rn * 100 >= n * 50 THEN d END) AS p50_ms,
  min(CASE WHEN rn * 100 >= n * 95 THEN d END) AS p95_ms,
  min(CASE WHEN t IS NOT NULL AND trn * 100 >= tn * 50 THEN t END) AS ttft_p50_ms,
  min(CASE WHEN t IS NOT NULL AND trn * 100 >= tn * 95 THEN t END) AS ttft_p95_ms
FROM (
  SELECT s.*,
    row_number() OVER (PARTITION BY b ORDER BY d) AS rn, count(*) OVER (PARTITION BY b) AS n,
    row_number() OVER (PARTITION BY b, (t IS NULL) ORDER BY t) AS trn, count(t) OVER (PARTITION BY b) AS tn
  FROM (
    SELECT ${bucket} AS b, coalesce(duration_ms, 0) AS d, ttft_ms AS t, status,
      input_tokens, output_tokens, cost_usd
    FROM ${USAGE_TABLE} WHERE time >= ${p(engine, 1)} AND time < ${p(engine, 3)}
  ) s
) w
GROUP BY b ORDER BY b`
}

/** Requests per (group, bucket) of the named groups, for sparklines: no percentile, no window
 *  function (the cheap half of a table); params: since, step, until, names… */
function countsSql(engine: SqlEngine, groupExpr: string, names: number): string {
  const bucket = bucketExpr(engine)
  const grp = `coalesce(${groupExpr}, '')`
  const list = Array.from({ length: names }, (_, i) => p(engine, 4 + i)).join(', ')
  return `SELECT ${grp} AS grp, ${bucket} AS b, count(*) AS requests FROM ${USAGE_TABLE}
WHERE time >= ${p(engine, 1)} AND time < ${p(engine, 3)} AND ${grp} IN (${list}) GROUP BY 1, 2`
}

/** Totals per group, the top MAX_ROWS by cost then requests; params: since, until. */
function totalsSql(engine: SqlEngine, groupExpr: string): string {
  return `SELECT grp, count(*) AS requests, sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
  coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd,
  min(CASE WHEN rn * 100 >= n * 50 THEN d END) AS p50_ms,
  min(CASE WHEN rn * 100 >= n * 95 THEN d END) AS p95_ms
FROM (
  SELECT s.*, row_number() OVER (PARTITION BY grp ORDER BY d) AS rn, count(*) OVER (PARTITION BY grp) AS n
  FROM (
    SELECT coalesce(${groupExpr}, '') AS grp, coalesce(duration_ms, 0) AS d, status, input_tokens, output_tokens, cost_usd
    FROM ${USAGE_TABLE} WHERE time >= ${p(engine, 1)} AND time < ${p(engine, 2)}
  ) s
) w
GROUP BY grp ORDER BY cost_usd DESC, requests DESC, grp ASC LIMIT ${MAX_ROWS}`
}

const num = (v: unknown): number => Number(v ?? 0)
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/** The window [since, until) of a range, aligned to whole buckets so points do not shift. */
export function windowOf(range: SeriesRange, now: number, buckets = RANGES[range].buckets): { since: number; until: number; stepMs: number } {
  const span = RANGES[range].stepMs * RANGES[range].buckets
  const stepMs = span / buckets
  const until = (Math.floor(now / stepMs) + 1) * stepMs
  return { since: until - span, until, stepMs }
}

export function createUsageSeries(engine: SqlEngine, run: Run, close: () => Promise<void>): UsageSeries {
  return {
    enabled: true,
    async overview(range, now) {
      const w = windowOf(range, now)
      const rows = await run(seriesSql(engine), [w.since, w.stepMs, w.until])
      const byBucket = new Map(rows.map((r) => [num(r.b), r]))
      const points: SeriesPoint[] = []
      for (let b = 0; b < RANGES[range].buckets; b++) {
        const r = byBucket.get(b)
        points.push({
          t: w.since + b * w.stepMs,
          requests: num(r?.requests),
          errors: num(r?.errors),
          input_tokens: num(r?.input_tokens),
          output_tokens: num(r?.output_tokens),
          cost_usd: num(r?.cost_usd),
          p50_ms: numOrNull(r?.p50_ms),
          p95_ms: numOrNull(r?.p95_ms),
          ttft_p50_ms: numOrNull(r?.ttft_p50_ms),
          ttft_p95_ms: numOrNull(r?.ttft_p95_ms),
        })
      }
      return { step_ms: w.stepMs, since: w.since, points }
    },
    async breakdown(by, range, now) {
      const w = windowOf(range, now, SPARK_POINTS)
      const totals = await run(totalsSql(engine, GROUP_EXPR[by]), [w.since, w.until])
      const names = totals.map((r) => String(r.grp ?? ''))
      const spark = new Map(names.map((n) => [n, new Array<number>(SPARK_POINTS).fill(0)]))
      if (names.length) {
        for (const r of await run(countsSql(engine, GROUP_EXPR[by], names.length), [w.since, w.stepMs, w.until, ...names])) {
          const s = spark.get(String(r.grp ?? ''))
          const b = num(r.b)
          if (s && b >= 0 && b < SPARK_POINTS) s[b] = num(r.requests)
        }
      }
      const rows = totals.map((r, i) => ({
        name: names[i],
        requests: num(r.requests),
        errors: num(r.errors),
        input_tokens: num(r.input_tokens),
        output_tokens: num(r.output_tokens),
        cost_usd: num(r.cost_usd),
        p50_ms: numOrNull(r.p50_ms),
        p95_ms: numOrNull(r.p95_ms),
        spark: spark.get(names[i])!,
      }))
      return { since: w.since, step_ms: w.stepMs, rows }
    },
    close,
  }
}

const disabled: UsageSeries = {
  enabled: false,
  async overview(range, now) {
    const w = windowOf(range, now)
    return { step_ms: w.stepMs, since: w.since, points: [] }
  },
  async breakdown(_by, range, now) {
    const w = windowOf(range, now, SPARK_POINTS)
    return { since: w.since, step_ms: w.stepMs, rows: [] }
  },
  close: async () => {},
}

/** Where the worker's module is: in the compiled binary, its path among the binary's entrypoints
 *  (src/ is their root; import.meta.url there names the build machine's file); else this file's
 *  sibling on disk. */
function workerSpec(): string {
  const main = process.argv[1] ?? ''
  const compiled = main.startsWith('/$bunfs/') || main.startsWith('B:\\~BUN\\')
  return compiled ? './observe/usage-series-worker.ts' : new URL('./usage-series-worker.ts', import.meta.url).href
}

/** Queries on a SQLite file, on the worker thread when it can start (a binary built without the
 *  worker entrypoint cannot: then in-process, blocking, which is still correct). */
function sqliteRunner(path: string, warn: (msg: string) => void): { run: Run; close: () => Promise<void> } {
  let db: Database | undefined
  const inProcess: Run = async (sql, params) => {
    if (!db) {
      db = new Database(path, { readonly: true })
      db.run('PRAGMA busy_timeout = 5000')
    }
    return db.query<Record<string, unknown>, Array<string | number>>(sql).all(...params)
  }
  let worker: Worker | undefined
  try {
    worker = new Worker(workerSpec())
    ;(worker as { unref?: () => void }).unref?.()
  } catch (err) {
    warn(`the usage series worker could not start (${String(err).slice(0, 200)}); dashboard queries run on the main thread`)
    worker = undefined
  }
  const pending = new Map<number, { resolve: (rows: Array<Record<string, unknown>>) => void; reject: (err: Error) => void }>()
  let next = 0
  let broken = !worker
  let closing = false
  const fail = (why: string) => {
    if (broken || closing) return
    warn(`the usage series worker stopped (${why}); dashboard queries now run on the main thread`)
    broken = true
    for (const p of pending.values()) p.reject(new Error(`usage series worker: ${why}`))
    pending.clear()
  }
  worker?.addEventListener('message', (e: MessageEvent) => {
    const p = pending.get(e.data.id)
    if (!p) return
    pending.delete(e.data.id)
    if (e.data.error) p.reject(new Error(e.data.error))
    else p.resolve(e.data.rows)
  })
  worker?.addEventListener('error', (e) => fail(String((e as ErrorEvent).message ?? e).slice(0, 200)))
  worker?.addEventListener('close', () => fail('exited'))
  const run: Run = (sql, params) => {
    if (broken || !worker) return inProcess(sql, params)
    return new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
      const id = ++next
      pending.set(id, { resolve, reject })
      worker!.postMessage({ id, path, sql, params })
    }).catch((err) => (broken ? inProcess(sql, params) : Promise.reject(err)))
  }
  return {
    run,
    async close() {
      closing = true
      worker?.terminate()
      db?.close()
    },
  }
}

/** A reader on the ledger's database (its own connection: the writer's batches never wait on a
 *  dashboard query). `none`: empty answers. Call after the ledger opened (it creates the table). */
export async function openUsageSeries(spec: string, warn: (msg: string) => void = () => {}): Promise<UsageSeries> {
  const s = parseUsageStoreSpec(spec)
  if (s.kind === 'sqlite') {
    const r = sqliteRunner(s.path, warn)
    return createUsageSeries('sqlite', r.run, r.close)
  }
  if (s.kind === 'postgres') {
    const sql = new SQL(s.url, { max: 1 })
    return createUsageSeries('postgres', (q, params) => sql.unsafe(q, params), () => sql.close())
  }
  return disabled
}
