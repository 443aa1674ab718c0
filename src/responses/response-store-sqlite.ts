// Stored responses on bun:sqlite, in the ledger's file (WAL).
import { Database } from 'bun:sqlite'
import { migrateSqlite } from '../keys/migrate'
import type { ResponseStore } from './response-store'
import { CHAIN_QUERY, fromRow, RESPONSE_COLUMNS, RESPONSE_MIGRATIONS, RESPONSES_TABLE, toParams } from './response-sql'


export function openSqliteResponseStore(path: string): ResponseStore {
  const db = new Database(path, { create: true })
  db.run('PRAGMA busy_timeout = 5000')
  db.run('PRAGMA journal_mode = WAL')
  // writes run on the event loop: no fsync per stored response (WAL stays consistent; a power cut
  // may lose the last ones, which a client then re-sends in full)
  db.run('PRAGMA synchronous = NORMAL')
  migrateSqlite(db, RESPONSE_MIGRATIONS)
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
