// One migration runner for every table the proxy keeps in the usage database (keys, stored
// responses): each migration runs once, recorded in llm_proxy_migrations; on Postgres under one
// advisory lock, so replicas that start together do not race.
import type { Database } from 'bun:sqlite'
import type { SQL } from 'bun'
import { MIGRATIONS_TABLE, migrationsTable, type Migration } from './key-sql'

const MIGRATION_LOCK = 0x11a_9c06

export function migrateSqlite(db: Database, migrations: readonly Migration[]): void {
  db.run(migrationsTable)
  const done = new Set(db.query<{ name: string }, []>(`SELECT name FROM ${MIGRATIONS_TABLE}`).all().map((r) => r.name))
  for (const m of migrations) {
    if (done.has(m.name)) continue
    db.transaction(() => {
      for (const s of m.statements('sqlite')) db.run(s)
      // another process may have run it meanwhile
      db.run(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, [m.name, Date.now()])
    })()
  }
}

/** Runs the pending migrations; closes the connection and rethrows when one fails. */
export async function migratePostgres(sql: SQL, migrations: readonly Migration[]): Promise<void> {
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`
      await tx.unsafe(migrationsTable)
      const done = new Set((await tx.unsafe(`SELECT name FROM ${MIGRATIONS_TABLE}`)).map((r: { name: string }) => r.name))
      for (const m of migrations) {
        if (done.has(m.name)) continue
        for (const s of m.statements('postgres')) await tx.unsafe(s)
        await tx.unsafe(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES ($1, $2)`, [m.name, Date.now()])
      }
    })
  } catch (err) {
    await sql.close()
    throw err
  }
}
