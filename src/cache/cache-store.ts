// Where cached answers live, with their expiry: Redis (shared by replicas) or the SQLite usage
// database (one table, migrated under llm_proxy_migrations like the keys and stored responses).
import { Database } from 'bun:sqlite'
import { MIGRATIONS_TABLE, migrationsTable } from '../keys/key-sql'
import { openRedis } from '../limits/redis-conn'

export interface CacheStore {
  readonly kind: 'sqlite' | 'redis'
  get(key: string, nowMs: number): Promise<string | undefined>
  put(key: string, value: string, ttlMs: number, nowMs: number): Promise<void>
  /** drops expired entries (Redis expires its own) */
  purge(nowMs: number): Promise<number>
  close(): void
}

export const CACHE_TABLE = 'llm_proxy_response_cache'
const PREFIX = 'llm-proxy:rcache:'

export function openSqliteCacheStore(path: string): CacheStore {
  const db = new Database(path, { create: true })
  db.run('PRAGMA busy_timeout = 5000')
  db.run('PRAGMA journal_mode = WAL')
  db.run('PRAGMA synchronous = NORMAL')
  db.run(migrationsTable)
  const done = db.query<{ name: string }, [string]>(`SELECT name FROM ${MIGRATIONS_TABLE} WHERE name = ?`).get('response-cache-1')
  if (!done)
    db.transaction(() => {
      db.run(`CREATE TABLE IF NOT EXISTS ${CACHE_TABLE} (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL, value TEXT NOT NULL)`)
      db.run(`CREATE INDEX IF NOT EXISTS ${CACHE_TABLE}_expires ON ${CACHE_TABLE} (expires_at)`)
      db.run(`INSERT INTO ${MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, ['response-cache-1', Date.now()])
    })()
  const get = db.query<{ value: string }, [string, number]>(`SELECT value FROM ${CACHE_TABLE} WHERE key = ? AND expires_at > ?`)
  const put = db.query(`INSERT OR REPLACE INTO ${CACHE_TABLE} (key, expires_at, value) VALUES (?, ?, ?)`)
  return {
    kind: 'sqlite',
    async get(key, nowMs) {
      return get.get(key, nowMs)?.value
    },
    async put(key, value, ttlMs, nowMs) {
      put.run(key, nowMs + ttlMs, value)
    },
    async purge(nowMs) {
      return db.run(`DELETE FROM ${CACHE_TABLE} WHERE expires_at <= ?`, [nowMs]).changes
    },
    close() {
      db.close()
    },
  }
}

export function openRedisCacheStore(url: string): CacheStore {
  const conn = openRedis(url)
  return {
    kind: 'redis',
    async get(key) {
      const v = await conn.send('GET', [PREFIX + key])
      return typeof v === 'string' ? v : undefined
    },
    async put(key, value, ttlMs) {
      await conn.send('SET', [PREFIX + key, value, 'PX', String(Math.max(1, Math.round(ttlMs)))])
    },
    async purge() {
      return 0
    },
    close() {
      conn.close()
    },
  }
}
