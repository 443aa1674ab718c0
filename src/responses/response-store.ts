// Where stored responses live: the usage database (`usage.store`), SQLite or Postgres, beside the
// ledger and the keys. Every read is by owner: another key's response does not exist for you.
import { parseUsageStoreSpec } from '../observe/usage-store'
import type { StoredRow } from './response-sql'
import { openPostgresResponseStore } from './response-store-postgres'
import { openSqliteResponseStore } from './response-store-sqlite'

export interface ResponseStore {
  readonly kind: 'sqlite' | 'postgres'
  put(row: StoredRow): Promise<void>
  /** the response and those it continues, newest first (fewer when a link is gone) */
  chain(owner: string, id: string, nowMs: number, depth: number): Promise<StoredRow[]>
  delete(owner: string, id: string, nowMs: number): Promise<boolean>
  /** drops expired rows; returns how many */
  purge(nowMs: number): Promise<number>
  close(): Promise<void>
}

/** undefined when the usage store is `none`: nothing can be stored */
export async function openResponseStore(spec: string): Promise<ResponseStore | undefined> {
  const p = parseUsageStoreSpec(spec)
  if (p.kind === 'sqlite') return openSqliteResponseStore(p.path)
  if (p.kind === 'postgres') return openPostgresResponseStore(p.url)
  return undefined
}
