// Picks the stores from `state:` in the config: in memory when `state.redis` is empty, Redis
// otherwise (one connection shared by limits and shared state).
import type { Config } from '../config/types'
import type { LimitStore } from './limit-store'
import { createMemoryStore } from './memory-store'
import { openRedis, type RedisConn } from './redis-conn'
import { createRedisStore } from './redis-store'
import { createMemorySharedState, createRedisSharedState, type SharedState } from './shared-state'

export type { AdmitRequest, AdmitResult, LimitStore, Ticket, Usage } from './limit-store'
export type { SharedState } from './shared-state'
export { scopesOf } from './limit-store'

export interface StateDeps {
  warn: (message: string) => void
  /** reuse one connection for limits and shared state */
  conn?: RedisConn
  timeoutMs?: number
}

/** A slot outlives the longest request by a minute before a crashed replica's slot is freed. */
const leaseFor = (cfg: Config) => (cfg.server.request_timeout > 0 ? cfg.server.request_timeout + 60_000 : 15 * 60_000)

export function createLimitStore(cfg: Config, deps: StateDeps): LimitStore {
  if (!cfg.state.redis) return createMemoryStore()
  return createRedisStore({
    url: cfg.state.redis,
    conn: deps.conn,
    onError: cfg.state.on_error,
    warn: deps.warn,
    leaseMs: leaseFor(cfg),
    timeoutMs: deps.timeoutMs,
  })
}

export function createSharedState(cfg: Config, deps: StateDeps): SharedState {
  if (!cfg.state.redis) return createMemorySharedState()
  const conn = deps.conn ?? openRedis(cfg.state.redis, { timeoutMs: deps.timeoutMs })
  return createRedisSharedState(conn, deps.warn, { ownsConn: !deps.conn })
}

/** Both stores over one Redis connection (or both in memory); close() releases the connection. */
export function createState(cfg: Config, deps: Omit<StateDeps, 'conn'>): { limits: LimitStore; shared: SharedState; close(): Promise<void> } {
  const conn = cfg.state.redis ? openRedis(cfg.state.redis, { timeoutMs: deps.timeoutMs }) : undefined
  const limits = createLimitStore(cfg, { ...deps, conn })
  const shared = createSharedState(cfg, { ...deps, conn })
  return {
    limits,
    shared,
    async close() {
      conn?.close()
    },
  }
}
