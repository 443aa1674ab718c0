// Where usage rows are kept: `sqlite:PATH` (embedded default), `postgres://…`, or `none`.
// Stores are plain batch writers; the UsageLedger (usage-ledger.ts) buffers in front of them.
import type { UsageAggregate, UsageQuery, UsageRecord } from './usage-record'
import { openPostgresStore } from './usage-store-postgres'
import { openSqliteStore } from './usage-store-sqlite'

export interface UsageStore {
  readonly kind: 'sqlite' | 'postgres' | 'none'
  /** Writes the rows in one transaction. */
  insert(rows: readonly UsageRecord[]): Promise<void>
  query(q: UsageQuery): Promise<UsageAggregate[]>
  close(): Promise<void>
}

export interface UsageStoreOptions {
  /** For reports: open an existing SQLite file read-only, never create one. */
  readonly?: boolean
}

export type UsageStoreSpec =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'none' }

export function parseUsageStoreSpec(spec: string): UsageStoreSpec {
  const s = spec.trim()
  if (s === '' || s === 'none') return { kind: 'none' }
  if (s.startsWith('postgres://') || s.startsWith('postgresql://')) return { kind: 'postgres', url: s }
  if (s.startsWith('sqlite:')) {
    const path = s.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (path) return { kind: 'sqlite', path }
  }
  throw new Error(`usage.store: expected sqlite:PATH, postgres://… or none, got ${JSON.stringify(spec)}`)
}

export const noneStore: UsageStore = {
  kind: 'none',
  insert: async () => {},
  query: async () => [],
  close: async () => {},
}

/** The ledger cannot be opened or written at start: `llm-proxy serve` says so in one line, exit 2. */
export class UsageStoreError extends Error {}

/** the spec with any password masked, for messages */
const shown = (spec: string) => spec.replace(/(:\/\/[^:/@]*:)[^@/]*@/, '$1***@')

export async function createUsageStore(spec: string, opts: UsageStoreOptions = {}): Promise<UsageStore> {
  const p = parseUsageStoreSpec(spec)
  try {
    if (p.kind === 'sqlite') return openSqliteStore(p.path, opts.readonly ?? false)
    if (p.kind === 'postgres') return await openPostgresStore(p.url)
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    throw new UsageStoreError(`usage.store ${shown(spec)} cannot be ${opts.readonly ? 'read' : 'opened for writing'}: ${detail}`, { cause: err })
  }
  return noneStore
}
