// Where carried state lives: a bounded in-process LRU (count, bytes, TTL), and Redis beside it when
// state.redis is set so every replica finds what another one saw. Keys are per client key. Redis
// failures only cost the shared part: the local copy still answers.
import { openRedis, type RedisConn } from '../limits/redis-conn'
import type { Carried } from './carried-state'

export interface CarryCacheOptions {
  ttlMs: number
  maxEntries: number
  maxBytes: number
  /** one value larger than this is not kept */
  maxValueBytes: number
  now: () => number
  redisUrl?: string
  /** replayed calls whose state was found (restored) or not (missed), for /metrics */
  count?: (result: 'restored' | 'missed', n: number) => void
}

export const CARRY_DEFAULTS = { ttlMs: 24 * 3_600_000, maxEntries: 50_000, maxBytes: 64 * 1024 * 1024, maxValueBytes: 256 * 1024 }

const PREFIX = 'llm-proxy:carry:'

export class CarryCache {
  /** key → [expiry ms, JSON text]; Map order is recency (oldest first) */
  private readonly lru = new Map<string, [number, string]>()
  private bytes = 0
  private readonly redis: RedisConn | undefined
  /** lookups answered from memory / Redis / not at all (for tests and /metrics-style reports) */
  readonly stats = { hits: 0, misses: 0, evictions: 0 }

  constructor(private readonly o: CarryCacheOptions) {
    this.redis = o.redisUrl ? openRedis(o.redisUrl) : undefined
  }

  remember(owner: string, callId: string, value: Carried): void {
    const text = JSON.stringify(value)
    if (text.length > this.o.maxValueBytes) return
    const key = keyOf(owner, callId)
    this.put(key, text, this.o.now() + this.o.ttlMs)
    this.redis?.send('SET', [PREFIX + key, text, 'PX', String(this.o.ttlMs)]).catch(() => {})
  }

  async recall(owner: string, callIds: string[]): Promise<Map<string, Carried>> {
    const found = new Map<string, Carried>()
    const now = this.o.now()
    const missing: string[] = []
    for (const id of callIds) {
      const key = keyOf(owner, id)
      const hit = this.lru.get(key)
      if (hit && hit[0] > now) {
        this.lru.delete(key)
        this.lru.set(key, hit)
        found.set(id, JSON.parse(hit[1]))
      } else {
        if (hit) this.drop(key)
        missing.push(id)
      }
    }
    if (missing.length && this.redis) {
      const got = await this.redis.send('MGET', missing.map((id) => PREFIX + keyOf(owner, id))).catch(() => undefined)
      if (Array.isArray(got))
        got.forEach((text, k) => {
          if (typeof text !== 'string') return
          let value: unknown
          try {
            value = JSON.parse(text)
          } catch {
            return // a damaged entry in Redis is a miss: the local copy or the placeholder answers
          }
          found.set(missing[k], value as never)
          this.put(keyOf(owner, missing[k]), text, now + this.o.ttlMs)
        })
    }
    this.stats.hits += found.size
    this.stats.misses += callIds.length - found.size
    if (found.size) this.o.count?.('restored', found.size)
    if (callIds.length > found.size) this.o.count?.('missed', callIds.length - found.size)
    return found
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.bytes }
  }

  close(): void {
    this.redis?.close()
  }

  private put(key: string, text: string, expires: number): void {
    this.drop(key)
    this.lru.set(key, [expires, text])
    this.bytes += key.length + text.length
    for (const [k] of this.lru) {
      if (this.lru.size <= this.o.maxEntries && this.bytes <= this.o.maxBytes) break
      this.drop(k)
      this.stats.evictions++
    }
  }

  private drop(key: string): void {
    const v = this.lru.get(key)
    if (!v) return
    this.lru.delete(key)
    this.bytes -= key.length + v[1].length
  }
}

/** owner and call id, unambiguous (a NUL is in neither a key name nor a call id we keep) */
const keyOf = (owner: string, callId: string): string => `${owner}\u0000${callId}`
