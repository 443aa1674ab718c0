// The stored-responses table and its migrations, one list for SQLite and Postgres, recorded in the
// keys' migrations table (llm_proxy_migrations): one database, one migration history.
import type { Migration } from '../keys/key-sql'

export const RESPONSES_TABLE = 'llm_proxy_responses'

export const RESPONSE_MIGRATIONS: Migration[] = [
  {
    name: 'responses-1',
    statements: () => [
      `CREATE TABLE IF NOT EXISTS ${RESPONSES_TABLE} (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        previous_id TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        bytes INTEGER NOT NULL,
        input TEXT NOT NULL,
        response TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS ${RESPONSES_TABLE}_expires ON ${RESPONSES_TABLE} (expires_at)`,
    ],
  },
]

export const RESPONSE_COLUMNS = ['id', 'owner', 'previous_id', 'created_at', 'expires_at', 'bytes', 'input', 'response'] as const

/** One stored response: the request's own input items and the response object, as JSON text. */
export interface StoredRow {
  id: string
  owner: string
  previousId?: string
  createdAt: number
  expiresAt: number
  bytes: number
  /** JSON array: the request's own input items (not the turns it continued) */
  input: string
  /** JSON object: the response as the client received it */
  response: string
}

export const toParams = (r: StoredRow): unknown[] => [r.id, r.owner, r.previousId ?? null, r.createdAt, r.expiresAt, r.bytes, r.input, r.response]

export function fromRow(r: Record<string, unknown>): StoredRow {
  const row: StoredRow = {
    id: String(r.id),
    owner: String(r.owner),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    bytes: Number(r.bytes),
    input: String(r.input),
    response: String(r.response),
  }
  if (typeof r.previous_id === 'string') row.previousId = r.previous_id
  return row
}

/**
 * A response and the ones it continues, newest first, in one query: only the owner's, only
 * unexpired, at most `depth` links. `$1`-style placeholders (SQLite accepts them too).
 */
export const CHAIN_QUERY = `WITH RECURSIVE chain (${RESPONSE_COLUMNS.join(', ')}, depth) AS (
    SELECT ${RESPONSE_COLUMNS.join(', ')}, 0 FROM ${RESPONSES_TABLE} WHERE id = $1 AND owner = $2 AND expires_at > $3
    UNION ALL
    SELECT ${RESPONSE_COLUMNS.map((c) => `t.${c}`).join(', ')}, c.depth + 1 FROM ${RESPONSES_TABLE} t JOIN chain c ON t.id = c.previous_id
      WHERE t.owner = $2 AND t.expires_at > $3 AND c.depth + 1 < $4)
  SELECT ${RESPONSE_COLUMNS.join(', ')} FROM chain ORDER BY depth`
