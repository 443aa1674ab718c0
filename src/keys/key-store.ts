// Where virtual keys live: the usage database (`usage.store`), SQLite or Postgres, so one file or
// one server holds both the ledger and the keys and every replica sees the same keys.
import { parseUsageStoreSpec } from '../observe/usage-store'
import { openPostgresKeyStore } from './key-store-postgres'
import { openSqliteKeyStore } from './key-store-sqlite'
import type { KeyPatch, VirtualKey } from './virtual-key'

export interface KeyStore {
  readonly kind: 'sqlite' | 'postgres'
  /** the revision number: changes with every write, so a poller can tell when to reload */
  revision(): Promise<number>
  list(): Promise<VirtualKey[]>
  get(name: string): Promise<VirtualKey | undefined>
  /** throws KeyConflict when the name or the key is taken */
  create(k: VirtualKey): Promise<void>
  /** undefined when no such key */
  update(name: string, patch: KeyPatch & { keySha256?: string; prefix?: string }, now: number): Promise<VirtualKey | undefined>
  delete(name: string): Promise<boolean>
  /** USD spent by a key since a time (from the usage ledger in the same database) */
  spentSince(name: string, sinceMs: number): Promise<number>
  close(): Promise<void>
}

export class KeyConflict extends Error {}

export class NoKeyStore extends Error {
  constructor(store: string) {
    super(`keys in the database need usage.store to be sqlite:PATH or postgres://… (it is ${JSON.stringify(store)})`)
  }
}

export async function openKeyStore(spec: string): Promise<KeyStore> {
  const p = parseUsageStoreSpec(spec)
  if (p.kind === 'sqlite') return openSqliteKeyStore(p.path)
  if (p.kind === 'postgres') return openPostgresKeyStore(p.url)
  throw new NoKeyStore(spec)
}
