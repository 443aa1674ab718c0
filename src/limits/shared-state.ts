// Small state that replicas share (round-robin positions, benched upstream keys): in memory for
// one process, in Redis for several. Redis failures degrade to local behaviour, never to errors.
import { COUNTER } from './redis-scripts'
import type { RedisConn } from './redis-conn'
import { KEY_PREFIX, throttledWarn } from './redis-store'

export interface SharedState {
  /** Increments and returns a counter (1, 2, 3…) shared by all replicas. */
  sharedCounter(name: string): Promise<number>
  benchState: {
    get(key: string): Promise<string | undefined>
    set(key: string, value: string, ttlMs: number): Promise<void>
  }
  close(): Promise<void>
}

/** counters are positions, not records: forgotten after a day without use */
const COUNTER_TTL_MS = 86_400_000

export function createMemorySharedState(now: () => number = Date.now): SharedState {
  const counters = new Map<string, number>()
  const bench = new Map<string, { value: string; expires: number }>()
  return {
    async sharedCounter(name) {
      const v = (counters.get(name) ?? 0) + 1
      counters.set(name, v)
      return v
    },
    benchState: {
      async get(key) {
        const e = bench.get(key)
        if (!e) return undefined
        if (e.expires > now()) return e.value
        bench.delete(key)
        return undefined
      },
      async set(key, value, ttlMs) {
        bench.set(key, { value, expires: now() + ttlMs })
      },
    },
    async close() {},
  }
}

export function createRedisSharedState(
  conn: RedisConn,
  warn: (message: string) => void,
  opts: { ownsConn?: boolean; now?: () => number } = {},
): SharedState {
  const local = createMemorySharedState(opts.now)
  const now = opts.now ?? Date.now
  const warnOnce = throttledWarn(warn)
  const failed = (what: string, err: unknown) =>
    warnOnce(`shared state (Redis) unavailable for ${what}: ${err instanceof Error ? err.message : String(err)}; using local state`, now())
  return {
    async sharedCounter(name) {
      try {
        return Number(await conn.evalScript(COUNTER, [`${KEY_PREFIX}counter:${name}`], [String(COUNTER_TTL_MS)]))
      } catch (err) {
        failed('counters', err)
        return local.sharedCounter(name)
      }
    },
    benchState: {
      async get(key) {
        try {
          const v = await conn.send('GET', [`${KEY_PREFIX}bench:${key}`])
          return typeof v === 'string' ? v : undefined
        } catch (err) {
          failed('bench state', err)
          return local.benchState.get(key)
        }
      },
      async set(key, value, ttlMs) {
        // kept locally too, so a Redis outage does not forget what this replica learnt
        await local.benchState.set(key, value, ttlMs)
        try {
          await conn.send('SET', [`${KEY_PREFIX}bench:${key}`, value, 'PX', String(Math.max(1, Math.ceil(ttlMs)))])
        } catch (err) {
          failed('bench state', err)
        }
      },
    },
    async close() {
      if (opts.ownsConn) conn.close()
    },
  }
}
