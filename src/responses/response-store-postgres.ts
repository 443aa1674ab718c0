// Stored responses on Postgres (Bun's SQL client), migrated under the keys' advisory lock so
// replicas that start together do not race.
import { SQL } from 'bun'
import { MIGRATIONS_TABLE, migrationsTable } from '../keys/key-sql'
import type { ResponseStore } from './response-store'
import { CHAIN_QUERY, fromRow, RESPONSE_COLUMNS, RESPONSE_MIGRATIONS, RESPONSES_TABLE, toParams } from './response-sql'

const MIGRATION_LOCK = 0x11a_9c06

export async function openPostgresResponseStore(url: string): Promise<ResponseStore> {
  const sql = new SQL(url, { max: 4 })
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`
      await tx.unsafe(migrationsTable)
      const done = new Set((await tx.unsafe(`SELECT name FROM ${MIGRATIONS_TABLE}`)).map((r: { name: string }) => r.name))
      for (const m of RESPONSE_MIGRATIONS) {
        if (done.has(m.name)) continue
        for (const s of m.statements('postgres')) await tx.unsafe(s)
        await tx.unsafe(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES ($1, $2)`, [m.name, Date.now()])
      }
    })
  } catch (err) {
    await sql.close()
    throw err
  }
  const cols = RESPONSE_COLUMNS.join(', ')
  const update = RESPONSE_COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`).join(', ')
  const insert = `INSERT INTO ${RESPONSES_TABLE} (${cols}) VALUES (${RESPONSE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (id) DO UPDATE SET ${update}`
  return {
    kind: 'postgres',
    async put(row) {
      await sql.unsafe(insert, toParams(row))
    },
    async chain(owner, id, nowMs, depth) {
      return (await sql.unsafe(CHAIN_QUERY, [id, owner, nowMs, depth])).map(fromRow)
    },
    async delete(owner, id, nowMs) {
      const r = await sql.unsafe(`DELETE FROM ${RESPONSES_TABLE} WHERE id = $1 AND owner = $2 AND expires_at > $3 RETURNING id`, [id, owner, nowMs])
      return r.length > 0
    },
    async purge(nowMs) {
      const r = await sql.unsafe(`DELETE FROM ${RESPONSES_TABLE} WHERE expires_at <= $1 RETURNING id`, [nowMs])
      return r.length
    },
    async close() {
      await sql.close()
    },
  }
}
