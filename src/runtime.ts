// The composition root: a Config becomes a Runtime (router, key pools, breakers, auth, limits,
// ledger, metrics, logger) exposed to the pipeline as a ProxyContext. Reloads build a new Runtime
// and swap it in atomically; in-flight requests keep the one they started with.
import type { Config } from './config/types'
import type { ProxyContext } from './proxy/context'
import type { Principal } from './proxy/context'

export interface Runtime {
  config: Config
  ctx: ProxyContext
  /** /v1/models filtering by the principal's group */
  modelVisible(principal: Principal, id: string): boolean
  metricsText(): string
  /** state of the background writers for /health: usage ledger, queued limit settles */
  healthDetails?(): Record<string, unknown>
  /** GET /metrics/running-totals */
  runningTotals(): unknown
}

/** The gateway's mutable state: the runtime in force, its route table, and the counters. */
export class RuntimeHolder {
  current: Runtime
  routes: Map<string, import('./server').RouteEntry> = new Map()
  /** requests being dispatched (a stream counts until its handler returned) */
  inflight = 0
  /** generation requests not yet finished (streams included) */
  active = 0
  draining = false
  readonly startedAt: number

  constructor(rt: Runtime, startedAt = Date.now()) {
    this.current = rt
    this.startedAt = startedAt
  }
}
