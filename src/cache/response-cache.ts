// The response cache as a service: lookups and stores by key, counted (hit, miss, stored), never
// failing a request (a store that cannot answer is a miss; one that cannot write is skipped).
import type { CanonEvent } from '../canonical/event'
import type { CacheStore } from './cache-store'

/** one cached answer: its events, and where it first came from (the ledger row names it) */
export interface CachedAnswer {
  events: CanonEvent[]
  provider: string
  model: string
}

export type CacheResult = 'hit' | 'miss' | 'stored' | 'error'

const PURGE_EVERY_MS = 60_000

export class ResponseCacheService {
  private lastPurge = 0

  constructor(
    private readonly store: CacheStore,
    private readonly o: { now: () => number; count: (r: CacheResult) => void; warn: (msg: string, f?: Record<string, unknown>) => void },
  ) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    let text: string | undefined
    try {
      text = await this.store.get(key, this.o.now())
    } catch (err) {
      this.o.count('error')
      this.o.warn('response cache lookup failed; answering from upstream', { error: String(err) })
      return undefined
    }
    if (text === undefined) {
      this.o.count('miss')
      return undefined
    }
    try {
      const answer = JSON.parse(text) as CachedAnswer
      this.o.count('hit')
      return answer
    } catch {
      // a damaged entry (or one another version wrote) is a miss, never a failed request
      this.o.count('error')
      return undefined
    }
  }

  put(key: string, answer: CachedAnswer, ttlMs: number): void {
    const now = this.o.now()
    this.store.put(key, JSON.stringify(answer), ttlMs, now).then(
      () => this.o.count('stored'),
      (err) => {
        this.o.count('error')
        this.o.warn('response cache store failed', { error: String(err) })
      },
    )
    if (now - this.lastPurge > PURGE_EVERY_MS) {
      this.lastPurge = now
      this.store.purge(now).catch(() => {})
    }
  }

  close(): void {
    this.store.close()
  }
}
