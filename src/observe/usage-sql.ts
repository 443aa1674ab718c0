// SQL shared by the SQLite and Postgres usage stores: the table, its indexes and the report query.
// Percentiles are nearest-rank (the ceil(p·n)-th smallest duration), computed with window
// functions so both engines give the same answer and no row leaves the database.
import { USAGE_COLUMNS, type UsageAggregate, type UsageGroupBy, type UsageRecord } from './usage-record'

export const USAGE_TABLE = 'usage_ledger'

export type SqlEngine = 'sqlite' | 'postgres'

const COLUMN_TYPES: Record<SqlEngine, Record<(typeof USAGE_COLUMNS)[number], string>> = (() => {
  const common = {
    time: 'BIGINT NOT NULL',
    request_id: 'TEXT',
    key_name: 'TEXT',
    group_name: 'TEXT',
    front: 'TEXT',
    model_requested: 'TEXT',
    provider: 'TEXT',
    model_upstream: 'TEXT',
    attempts: 'INTEGER',
    status: 'INTEGER',
    input_tokens: 'BIGINT',
    output_tokens: 'BIGINT',
    cache_read_tokens: 'BIGINT',
    cache_write_tokens: 'BIGINT',
    reasoning_tokens: 'BIGINT',
    cost_usd: 'DOUBLE PRECISION',
    ttft_ms: 'INTEGER',
    duration_ms: 'INTEGER',
    client_disconnected: 'BOOLEAN',
    error: 'TEXT',
    usage_estimated: 'BOOLEAN',
    rule: 'TEXT',
  }
  // Columns other than time stay nullable: a malformed row must never poison a whole batch.
  return { postgres: common, sqlite: { ...common, time: 'INTEGER NOT NULL', client_disconnected: 'INTEGER', usage_estimated: 'INTEGER' } }
})()

/** Columns added after the first release, with the default older rows get: a ledger created by
 *  an older version gains them at open. */
export const ADDED_COLUMNS = ['usage_estimated', 'rule'] as const satisfies ReadonlyArray<(typeof USAGE_COLUMNS)[number]>
const ADDED_DEFAULT: Record<(typeof ADDED_COLUMNS)[number], Record<SqlEngine, string>> = {
  usage_estimated: { postgres: 'FALSE', sqlite: '0' },
  rule: { postgres: 'NULL', sqlite: 'NULL' },
}

/** ALTER TABLE statements for the added columns missing from `existing` (Postgres checks itself). */
export function migrationStatements(engine: SqlEngine, existing?: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const c of ADDED_COLUMNS) {
    const def = `${c} ${COLUMN_TYPES[engine][c]} DEFAULT ${ADDED_DEFAULT[c][engine]}`
    if (engine === 'postgres') out.push(`ALTER TABLE ${USAGE_TABLE} ADD COLUMN IF NOT EXISTS ${def}`)
    else if (!existing?.has(c)) out.push(`ALTER TABLE ${USAGE_TABLE} ADD COLUMN ${def}`)
  }
  return out
}

export function schemaStatements(engine: SqlEngine): string[] {
  const cols = USAGE_COLUMNS.map((c) => `${c} ${COLUMN_TYPES[engine][c]}`).join(', ')
  return [
    `CREATE TABLE IF NOT EXISTS ${USAGE_TABLE} (${cols})`,
    `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_time ON ${USAGE_TABLE} (time)`,
    `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_key_time ON ${USAGE_TABLE} (key_name, time)`,
    `CREATE INDEX IF NOT EXISTS ${USAGE_TABLE}_model_time ON ${USAGE_TABLE} (model_upstream, time)`,
  ]
}

const GROUP_EXPR: Record<SqlEngine, Record<UsageGroupBy, string>> = (() => {
  const common = {
    key: 'key_name',
    group: 'group_name',
    // What was billed; requests that never reached an upstream fall back to the name asked.
    model: "COALESCE(NULLIF(model_upstream, ''), model_requested)",
    provider: 'provider',
    all: "'all'",
  }
  return {
    sqlite: { ...common, day: "strftime('%Y-%m-%d', time / 1000, 'unixepoch')" },
    postgres: { ...common, day: "to_char(to_timestamp(time / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')" },
  }
})()

/** The report query; its one parameter is `since` (ms). */
export function aggregateSql(engine: SqlEngine, by: UsageGroupBy): string {
  const since = engine === 'postgres' ? '$1' : '?1'
  const order = by === 'day' ? 'grp ASC' : 'cost_usd DESC, requests DESC, grp ASC'
  return `SELECT grp, count(*) AS requests,
  coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens,
  coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens, coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens,
  coalesce(sum(cost_usd), 0) AS cost_usd,
  min(CASE WHEN rn * 100 >= n * 50 THEN duration_ms END) AS p50_ms,
  min(CASE WHEN rn * 100 >= n * 95 THEN duration_ms END) AS p95_ms
FROM (
  SELECT s.*, row_number() OVER (PARTITION BY grp ORDER BY duration_ms) AS rn, count(*) OVER (PARTITION BY grp) AS n
  FROM (
    SELECT coalesce(${GROUP_EXPR[engine][by]}, '') AS grp, input_tokens, output_tokens, cache_read_tokens,
      cache_write_tokens, cost_usd, coalesce(duration_ms, 0) AS duration_ms
    FROM ${USAGE_TABLE} WHERE time >= ${since}
  ) s
) w
GROUP BY grp ORDER BY ${order}`
}

/** Engines return sums as bigint strings (Postgres) or numbers (SQLite). */
export function toAggregate(r: Record<string, unknown>): UsageAggregate {
  return {
    group: String(r.grp ?? ''),
    requests: Number(r.requests),
    input_tokens: Number(r.input_tokens),
    output_tokens: Number(r.output_tokens),
    cache_read_tokens: Number(r.cache_read_tokens),
    cache_write_tokens: Number(r.cache_write_tokens),
    cost_usd: Number(r.cost_usd),
    p50_ms: Number(r.p50_ms ?? 0),
    p95_ms: Number(r.p95_ms ?? 0),
  }
}

export type SqlValue = string | number | boolean | null

/** A row's values in column order; undefined becomes NULL. */
export function rowValues(row: UsageRecord, booleansAsInt: boolean): SqlValue[] {
  const out = new Array<SqlValue>(USAGE_COLUMNS.length)
  for (let i = 0; i < USAGE_COLUMNS.length; i++) {
    const v = row[USAGE_COLUMNS[i]] ?? null
    out[i] = booleansAsInt && typeof v === 'boolean' ? (v ? 1 : 0) : v
  }
  return out
}
