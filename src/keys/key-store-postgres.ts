// Virtual keys on Postgres (Bun's SQL client), migrated under an advisory lock so replicas that
// start together do not race.
import { SQL } from 'bun'
import { USAGE_TABLE } from '../observe/usage-sql'
import { KeyConflict, type KeyStore } from './key-store'
import { fromRow, KEY_COLUMNS, KEYS_TABLE, MIGRATIONS, REVISION_TABLE, toRow, type KeyRow } from './key-sql'
import { migratePostgres } from './migrate'

export async function openPostgresKeyStore(url: string): Promise<KeyStore> {
  const sql = new SQL(url, { max: 2 })
  await migratePostgres(sql, MIGRATIONS)
  const select = `SELECT ${KEY_COLUMNS.join(', ')} FROM ${KEYS_TABLE}`
  const bump = (tx: SQL) => tx.unsafe(`UPDATE ${REVISION_TABLE} SET rev = rev + 1 WHERE id = 1`)

  const store: KeyStore = {
    kind: 'postgres',
    async revision() {
      const r = await sql.unsafe(`SELECT rev FROM ${REVISION_TABLE} WHERE id = 1`)
      return Number(r[0]?.rev ?? 0)
    },
    async list() {
      return (await sql.unsafe(`${select} ORDER BY name`)).map((r: KeyRow) => fromRow(r))
    },
    async get(name) {
      const r = await sql.unsafe(`${select} WHERE name = $1`, [name])
      return r[0] ? fromRow(r[0]) : undefined
    },
    async create(k) {
      const row = toRow(k, 'postgres')
      try {
        await sql.begin(async (tx) => {
          await tx.unsafe(
            `INSERT INTO ${KEYS_TABLE} (${KEY_COLUMNS.join(', ')}) VALUES (${KEY_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
            KEY_COLUMNS.map((c) => row[c]),
          )
          await bump(tx)
        })
      } catch (err) {
        if (/duplicate key|unique/i.test(String(err))) throw new KeyConflict(`a key named ${k.name} already exists`)
        throw err
      }
    },
    async update(name, patch, now) {
      const cur = await store.get(name)
      if (!cur) return undefined
      const next = { ...cur, ...patch, updatedAt: now }
      const row = toRow(next, 'postgres')
      const cols = KEY_COLUMNS.filter((c) => c !== 'name' && c !== 'created_at')
      await sql.begin(async (tx) => {
        await tx.unsafe(`UPDATE ${KEYS_TABLE} SET ${cols.map((c, i) => `${c} = $${i + 1}`).join(', ')} WHERE name = $${cols.length + 1}`, [
          ...cols.map((c) => row[c]),
          name,
        ])
        await bump(tx)
      })
      return next
    },
    async delete(name) {
      let deleted = false
      await sql.begin(async (tx) => {
        const r = await tx.unsafe(`DELETE FROM ${KEYS_TABLE} WHERE name = $1 RETURNING name`, [name])
        deleted = r.length > 0
        if (deleted) await bump(tx)
      })
      return deleted
    },
    async spentSince(name, sinceMs) {
      const exists = await sql.unsafe(`SELECT to_regclass($1) AS t`, [USAGE_TABLE])
      if (!exists[0]?.t) return 0
      const r = await sql.unsafe(`SELECT COALESCE(SUM(cost_usd), 0) AS usd FROM ${USAGE_TABLE} WHERE key_name = $1 AND time >= $2`, [name, sinceMs])
      return Number(r[0]?.usd ?? 0)
    },
    async close() {
      await sql.close()
    },
  }
  return store
}
