// Usage store on Postgres through Bun's built-in SQL client. The schema is created under an
// advisory lock so replicas starting together do not race on CREATE TABLE.
import { SQL } from 'bun'
import type { UsageStore } from './usage-store'
import { USAGE_COLUMNS, type UsageRecord } from './usage-record'
import { aggregateSql, migrationStatements, rowValues, schemaStatements, toAggregate, USAGE_TABLE, type SqlValue } from './usage-sql'

/** 22 columns × 1000 rows stays under Postgres's 65535 bind parameters. */
const ROWS_PER_STATEMENT = 1000
const SCHEMA_LOCK = 0x11a_9c05

function rowObject(row: UsageRecord): Record<string, SqlValue> {
  const values = rowValues(row, false)
  const o: Record<string, SqlValue> = {}
  for (let i = 0; i < USAGE_COLUMNS.length; i++) o[USAGE_COLUMNS[i]] = values[i]
  return o
}

export async function openPostgresStore(url: string): Promise<UsageStore> {
  const sql = new SQL(url, { max: 2 })
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})`
      for (const s of [...schemaStatements('postgres'), ...migrationStatements('postgres')]) await tx.unsafe(s)
    })
  } catch (err) {
    await sql.close()
    throw err
  }

  return {
    kind: 'postgres',
    async insert(rows: readonly UsageRecord[]) {
      if (rows.length === 0) return
      await sql.begin(async (tx) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          // Plain objects with NULL for missing values (the helper would drop undefined columns).
          const chunk = rows.slice(i, i + ROWS_PER_STATEMENT).map(rowObject)
          await tx`INSERT INTO ${tx(USAGE_TABLE)} ${tx(chunk, ...USAGE_COLUMNS)}`
        }
      })
    },
    async query(q) {
      const rows: Array<Record<string, unknown>> = await sql.unsafe(aggregateSql('postgres', q.by), [q.since])
      return rows.map(toAggregate)
    },
    async close() {
      await sql.close()
    },
  }
}
