// Stored responses on bun:sqlite, in the ledger's file (WAL).
import { Database } from 'bun:sqlite'
import { MIGRATIONS_TABLE, migrationsTable } from '../keys/key-sql'
import type { ResponseStore } from './response-store'
import { CHAIN_QUERY, fromRow, RESPONSE_COLUMNS, RESPONSE_MIGRATIONS, RESPONSES_TABLE, toParams } from './response-sql'

function migrate(db: Database): void {
  db.run(migrationsTable)
  const done = new Set(db.query<{ name: string }, []>(`SELECT name FROM ${MIGRATIONS_TABLE}`).all().map((r) => r.name))
  for (const m of RESPONSE_MIGRATIONS) {
    if (done.has(m.name)) continue
    db.transaction(() => {
      for (const s of m.statements('sqlite')) db.run(s)
      db.run(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, [m.name, Date.now()])
    })()
  }
}

export function openSqliteResponseStore(path: string): ResponseStore {
  const db = new Database(path, { create: true })
  db.run('PRAGMA busy_timeout = 5000')
  db.run('PRAGMA journal_mode = WAL')
  // writes run on the event loop: no fsync per stored response (WAL stays consistent; a power cut
  // may lose the last ones, which a client then re-sends in full)
  db.run('PRAGMA synchronous = NORMAL')
  migrate(db)
  const insert = db.query(`INSERT OR REPLACE INTO ${RESPONSES_TABLE} (${RESPONSE_COLUMNS.join(', ')}) VALUES (${RESPONSE_COLUMNS.map(() => '?').join(', ')})`)
  const chain = db.query<Record<string, unknown>, [string, string, number, number]>(CHAIN_QUERY.replace(/\$(\d)/g, '?$1'))
  return {
    kind: 'sqlite',
    async put(row) {
      insert.run(...(toParams(row) as [string]))
    },
    async chain(owner, id, nowMs, depth) {
      return chain.all(id, owner, nowMs, depth).map(fromRow)
    },
    async delete(owner, id, nowMs) {
      return db.run(`DELETE FROM ${RESPONSES_TABLE} WHERE id = ? AND owner = ? AND expires_at > ?`, [id, owner, nowMs]).changes > 0
    },
    async purge(nowMs) {
      return db.run(`DELETE FROM ${RESPONSES_TABLE} WHERE expires_at <= ?`, [nowMs]).changes
    },
    async close() {
      db.close()
    },
  }
}
