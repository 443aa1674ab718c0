// The keys table and its migrations, one list for SQLite and Postgres. Every write bumps one
// revision number, so a running proxy notices any change (deletes included) with one cheap read.
import type { VirtualKey } from './virtual-key'

export type SqlEngine = 'sqlite' | 'postgres'
export const KEYS_TABLE = 'llm_proxy_keys'
export const REVISION_TABLE = 'llm_proxy_keys_revision'
export const MIGRATIONS_TABLE = 'llm_proxy_migrations'

export interface Migration {
  name: string
  statements: (engine: SqlEngine) => string[]
}

export const MIGRATIONS: Migration[] = [
  {
    name: 'keys-1',
    statements: (e) => {
      const bool = e === 'postgres' ? 'BOOLEAN' : 'INTEGER'
      const real = e === 'postgres' ? 'DOUBLE PRECISION' : 'REAL'
      return [
        `CREATE TABLE IF NOT EXISTS ${KEYS_TABLE} (
          name TEXT PRIMARY KEY,
          key_sha256 TEXT NOT NULL UNIQUE,
          prefix TEXT NOT NULL,
          group_name TEXT NOT NULL,
          models TEXT,
          rpm INTEGER,
          tpm INTEGER,
          max_concurrent INTEGER,
          budget_usd ${real},
          budget_per TEXT,
          expires_at BIGINT,
          disabled ${bool} NOT NULL,
          created_at BIGINT NOT NULL,
          updated_at BIGINT NOT NULL)`,
        `CREATE TABLE IF NOT EXISTS ${REVISION_TABLE} (id INTEGER PRIMARY KEY, rev BIGINT NOT NULL)`,
        `INSERT INTO ${REVISION_TABLE} (id, rev) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
      ]
    },
  },
]

export const migrationsTable = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`

export const KEY_COLUMNS = [
  'name',
  'key_sha256',
  'prefix',
  'group_name',
  'models',
  'rpm',
  'tpm',
  'max_concurrent',
  'budget_usd',
  'budget_per',
  'expires_at',
  'disabled',
  'created_at',
  'updated_at',
] as const

export type KeyRow = Record<(typeof KEY_COLUMNS)[number], unknown>
type Scalar = string | number | boolean | null

export function toRow(k: VirtualKey, engine: SqlEngine): Record<(typeof KEY_COLUMNS)[number], Scalar> {
  return {
    name: k.name,
    key_sha256: k.keySha256,
    prefix: k.prefix,
    group_name: k.group,
    models: k.models ? JSON.stringify(k.models) : null,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    max_concurrent: k.max_concurrent ?? null,
    budget_usd: k.budget?.usd ?? null,
    budget_per: k.budget?.per ?? null,
    expires_at: k.expiresAt ?? null,
    disabled: engine === 'sqlite' ? (k.disabled ? 1 : 0) : k.disabled,
    created_at: k.createdAt,
    updated_at: k.updatedAt,
  }
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v))

export function fromRow(r: KeyRow): VirtualKey {
  const k: VirtualKey = {
    name: String(r.name),
    keySha256: String(r.key_sha256),
    prefix: String(r.prefix),
    group: String(r.group_name),
    disabled: r.disabled === true || r.disabled === 1 || r.disabled === '1',
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  }
  if (typeof r.models === 'string') k.models = JSON.parse(r.models)
  const rpm = num(r.rpm), tpm = num(r.tpm), mc = num(r.max_concurrent), exp = num(r.expires_at), usd = num(r.budget_usd)
  if (rpm !== undefined) k.rpm = rpm
  if (tpm !== undefined) k.tpm = tpm
  if (mc !== undefined) k.max_concurrent = mc
  if (exp !== undefined) k.expiresAt = exp
  if (usd !== undefined && typeof r.budget_per === 'string') k.budget = { usd, per: r.budget_per as 'day' | 'week' | 'month' }
  return k
}
