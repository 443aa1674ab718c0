// Stored responses on Postgres (Bun's SQL client), migrated by the shared runner (keys/migrate.ts) so
// replicas that start together do not race.
import { SQL } from 'bun'
import { migratePostgres } from '../keys/migrate'
import type { ResponseStore } from './response-store'
import { CHAIN_QUERY, fromRow, RESPONSE_COLUMNS, RESPONSE_MIGRATIONS, RESPONSES_TABLE, toParams } from './response-sql'

export async function openPostgresResponseStore(url: string): Promise<ResponseStore> {
  const sql = new SQL(url, { max: 4 })
  await migratePostgres(sql, RESPONSE_MIGRATIONS)
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
