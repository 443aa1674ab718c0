// Virtual keys on bun:sqlite, in the ledger's file (WAL: the proxy's poll never blocks a writer).
import { Database } from 'bun:sqlite'
import { USAGE_TABLE } from '../observe/usage-sql'
import { KeyConflict, type KeyStore } from './key-store'
import { fromRow, KEY_COLUMNS, KEYS_TABLE, MIGRATIONS, REVISION_TABLE, toRow, type KeyRow } from './key-sql'
import { migrateSqlite } from './migrate'


export function openSqliteKeyStore(path: string): KeyStore {
  const db = new Database(path, { create: true })
  db.run('PRAGMA busy_timeout = 5000')
  db.run('PRAGMA journal_mode = WAL')
  migrateSqlite(db, MIGRATIONS)
  const bump = () => db.run(`UPDATE ${REVISION_TABLE} SET rev = rev + 1 WHERE id = 1`)
  const select = `SELECT ${KEY_COLUMNS.join(', ')} FROM ${KEYS_TABLE}`
  const hasLedger = () => db.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(USAGE_TABLE) !== null

  return {
    kind: 'sqlite',
    async revision() {
      return Number(db.query<{ rev: number }, []>(`SELECT rev FROM ${REVISION_TABLE} WHERE id = 1`).get()?.rev ?? 0)
    },
    async list() {
      return db.query<KeyRow, []>(`${select} ORDER BY name`).all().map(fromRow)
    },
    async get(name) {
      const r = db.query<KeyRow, [string]>(`${select} WHERE name = ?`).get(name)
      return r ? fromRow(r) : undefined
    },
    async create(k) {
      const row = toRow(k, 'sqlite')
      try {
        db.transaction(() => {
          db.run(`INSERT INTO ${KEYS_TABLE} (${KEY_COLUMNS.join(', ')}) VALUES (${KEY_COLUMNS.map(() => '?').join(', ')})`, KEY_COLUMNS.map((c) => row[c]))
          bump()
        })()
      } catch (err) {
        if (String(err).includes('UNIQUE')) throw new KeyConflict(`a key named ${k.name} already exists`)
        throw err
      }
    },
    async update(name, patch, now) {
      const cur = await this.get(name)
      if (!cur) return undefined
      const next = { ...cur, ...patch, updatedAt: now }
      const row = toRow(next, 'sqlite')
      const cols = KEY_COLUMNS.filter((c) => c !== 'name' && c !== 'created_at')
      db.transaction(() => {
        db.run(`UPDATE ${KEYS_TABLE} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE name = ?`, [...cols.map((c) => row[c]), name])
        bump()
      })()
      return next
    },
    async delete(name) {
      let changed = 0
      db.transaction(() => {
        changed = db.run(`DELETE FROM ${KEYS_TABLE} WHERE name = ?`, [name]).changes
        if (changed) bump()
      })()
      return changed > 0
    },
    async spentSince(name, sinceMs) {
      if (!hasLedger()) return 0
      const r = db.query<{ usd: number | null }, [string, number]>(`SELECT SUM(cost_usd) AS usd FROM ${USAGE_TABLE} WHERE key_name = ? AND time >= ?`).get(name, sinceMs)
      return r?.usd ?? 0
    },
    async close() {
      db.close()
    },
  }
}
