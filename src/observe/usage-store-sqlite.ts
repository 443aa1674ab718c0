// Usage store on bun:sqlite. WAL + synchronous=NORMAL: a committed batch survives a process crash
// and writers never block the report's readers.
import { Database } from 'bun:sqlite'
import type { UsageStore } from './usage-store'
import { USAGE_COLUMNS, type UsageRecord } from './usage-record'
import { aggregateSql, migrationStatements, rowValues, schemaStatements, toAggregate, USAGE_TABLE, type SqlValue } from './usage-sql'

export function openSqliteStore(path: string, readonly: boolean): UsageStore {
  const db = readonly ? new Database(path, { readonly: true }) : new Database(path, { create: true })
  db.run('PRAGMA busy_timeout = 5000')
  if (!readonly) {
    db.run('PRAGMA journal_mode = WAL')
    db.run('PRAGMA synchronous = NORMAL')
    for (const s of schemaStatements('sqlite')) db.run(s)
    const existing = new Set(db.query<{ name: string }, []>(`PRAGMA table_info(${USAGE_TABLE})`).all().map((c) => c.name))
    for (const s of migrationStatements('sqlite', existing)) db.run(s)
    // a ledger that cannot take a write lock is refused now, not at the first request
    db.run('BEGIN IMMEDIATE')
    db.run('ROLLBACK')
  }
  const insert = readonly
    ? undefined
    : db.prepare<unknown, SqlValue[]>(
        `INSERT INTO ${USAGE_TABLE} (${USAGE_COLUMNS.join(', ')}) VALUES (${USAGE_COLUMNS.map(() => '?').join(', ')})`,
      )
  const insertAll = db.transaction((rows: readonly UsageRecord[]) => {
    for (const r of rows) insert!.run(...rowValues(r, true))
  })

  return {
    kind: 'sqlite',
    async insert(rows) {
      if (!insert) throw new Error('usage store opened read-only')
      if (rows.length) insertAll(rows)
    },
    async query(q) {
      const rows = db.query<Record<string, unknown>, [number]>(aggregateSql('sqlite', q.by)).all(q.since)
      return rows.map(toAggregate)
    },
    async close() {
      db.close()
    },
  }
}
