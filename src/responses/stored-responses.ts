// Stored responses as a service: what the pipeline saves and looks up, with the config's TTL and
// size cap applied, and writes that have not landed yet awaited before a read (a client that sends
// its next turn the moment the last one completed must find it).
import type { StoredRow } from './response-sql'
import type { ResponseStore } from './response-store'

/** the longest chain a request may continue (links), and the most bytes rebuilt from one */
export const MAX_CHAIN = 1000
const PURGE_EVERY_MS = 60_000

export interface StoredResponsesOptions {
  ttlMs: number
  maxBytes: number
  /** most bytes one rebuilt conversation may hold */
  maxChainBytes: number
  now: () => number
  warn: (msg: string, fields?: Record<string, unknown>) => void
}

export interface SaveInput {
  id: string
  owner: string
  previousId?: string
  /** JSON array text */
  input: string
  /** JSON object text */
  response: string
}

/** rows oldest first; or why there are none */
export type ChainResult = { rows: StoredRow[] } | { missing: true } | { tooLarge: string }

export class StoredResponsesService {
  private readonly pending = new Set<Promise<void>>()
  private lastPurge = 0

  constructor(
    private readonly store: ResponseStore,
    private o: StoredResponsesOptions,
  ) {}

  /** new limits (a reload); rows already stored keep their expiry */
  configure(o: StoredResponsesOptions): void {
    this.o = o
  }

  /** Stores a completed response (in the background); false when it is over the size cap. */
  save(s: SaveInput): boolean {
    const bytes = Buffer.byteLength(s.input) + Buffer.byteLength(s.response)
    if (bytes > this.o.maxBytes) {
      this.o.warn('response not stored: larger than responses.max_bytes', { response_id: s.id, bytes, max_bytes: this.o.maxBytes })
      return false
    }
    const now = this.o.now()
    const row: StoredRow = { ...s, createdAt: now, expiresAt: now + this.o.ttlMs, bytes }
    const p = this.store
      .put(row)
      .catch((err) => this.o.warn('storing a response failed', { response_id: s.id, error: String(err) }))
      .finally(() => this.pending.delete(p))
    this.pending.add(p)
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now
      this.store.purge(now).catch((err) => this.o.warn('purging expired responses failed', { error: String(err) }))
    }
    return true
  }

  /**
   * The response `id` of `owner` and every response it continues, oldest first. Missing when it
   * does not exist, is another owner's, expired, or a link of its chain did (a partial
   * conversation would silently change what the model sees).
   */
  async chain(owner: string, id: string): Promise<ChainResult> {
    await this.settled()
    const rows = await this.store.chain(owner, id, this.o.now(), MAX_CHAIN)
    if (rows.length === 0) return { missing: true }
    const oldest = rows[rows.length - 1]
    if (oldest.previousId !== undefined) return rows.length < MAX_CHAIN ? { missing: true } : { tooLarge: `it continues more than ${MAX_CHAIN} responses` }
    let bytes = 0
    for (const r of rows) bytes += r.bytes
    if (bytes > this.o.maxChainBytes) return { tooLarge: `its conversation holds ${bytes} bytes, more than server.max_body_size (${this.o.maxChainBytes})` }
    return { rows: rows.reverse() }
  }

  /** the response `id` of `owner` alone */
  async one(owner: string, id: string): Promise<StoredRow | undefined> {
    await this.settled()
    return (await this.store.chain(owner, id, this.o.now(), 1))[0]
  }

  async delete(owner: string, id: string): Promise<boolean> {
    await this.settled()
    return this.store.delete(owner, id, this.o.now())
  }

  /** every write started so far has landed (or failed) */
  async settled(): Promise<void> {
    if (this.pending.size) await Promise.all([...this.pending])
  }

  async close(): Promise<void> {
    await this.settled()
    await this.store.close()
  }
}
