// The gateway: a Config and the outside world (fetch, clock, log sink) in; a Request → Response
// function out, with reload, drain and close. serve.ts wraps it in Bun.serve; tests call it
// in-process with an injected fetch. Services (ledger, metrics, limits, key pools, breakers)
// live as long as the gateway; everything derived from the config is rebuilt on reload and
// swapped in atomically (in-flight requests keep the runtime they started with).
import { createAdminApi, isAdminPath } from './admin/admin-api'
import { buildRuntime, createServices, describeChanges, type ServiceOverrides } from './build-runtime'
import type { Config } from './config/types'
import { withPlugins } from './config/load'
import type { Logger } from './proxy/context'
import { RuntimeHolder } from './runtime'
import { buildRouteTable, dispatch } from './server'
import { setClientInfo, type ClientInfo } from './proxy/client-info'

export type GatewayDeps = Omit<ServiceOverrides, 'requestDone' | 'requestStarted'>

export interface Gateway {
  /** answers one HTTP request; never throws (errors are answers in the client's dialect) */
  fetch(request: Request, info?: ClientInfo): Promise<Response>
  /** true when something (logging.remote_addr, plugins) reads the client's address */
  readonly wantsClientInfo: boolean
  /** swaps in a new config: keys, breakers, counters and the ledger carry over; returns what changed */
  reload(config: Config): Record<string, string[]>
  /** stops being ready (/readyz 503) and waits until no generation request (stream included) is
   *  left, or `graceMs` passed; resolves to the number still running */
  drain(graceMs?: number): Promise<number>
  /** flushes the ledger and closes stores and the log; call after drain */
  close(): Promise<void>
  readonly config: Config
  readonly log: Logger
  /** requests being dispatched, and generation requests not yet finished */
  readonly load: { inflight: number; active: number }
}

/** a string test before parsing: the model endpoints pay nothing for the admin API */
function mayBeAdmin(url: string): boolean {
  const i = url.indexOf('/', url.indexOf('//') + 2)
  return i > 0 && (url.startsWith('/ui', i) || url.startsWith('/admin', i))
}

export async function createGateway(given: Config, deps: GatewayDeps = {}): Promise<Gateway> {
  // a config built in code (tests) has its plugins loaded here; loadConfig already did it
  const config = await withPlugins(given)
  let holder: RuntimeHolder | undefined
  const services = await createServices(config, {
    ...deps,
    requestStarted: () => {
      if (holder) holder.active++
    },
    requestDone: () => {
      if (holder) holder.active = Math.max(0, holder.active - 1)
    },
  })
  const h = (holder = new RuntimeHolder(buildRuntime(config, services), services.clock.now()))
  h.routes = buildRouteTable(h)
  const admin = createAdminApi({ config: () => h.current.config, services })
  return {
    fetch: (request, info) => {
      // /admin and /ui exist only with `admin:` configured; the model endpoints never look here
      if (h.current.config.admin && mayBeAdmin(request.url)) {
        const url = new URL(request.url)
        if (isAdminPath(url.pathname)) return admin.fetch(request, url)
      }
      if (info) setClientInfo(request, info)
      return dispatch(h, request)
    },
    get wantsClientInfo() {
      const c = h.current.config
      return c.logging.remote_addr === true || (c.plugins?.length ?? 0) > 0
    },
    reload(next) {
      if (next.plugin_specs?.length && !next.plugins) throw new Error('reload: load the config with loadConfig (or withPlugins) so its plugins are imported first')
      const prev = h.current
      h.current = buildRuntime(next, services, prev)
      h.routes = buildRouteTable(h)
      return describeChanges(prev.config, next)
    },
    async drain(graceMs = h.current.config.server.shutdown_grace) {
      h.draining = true
      // real time: an injected clock speeds up backoff waits, not a shutdown
      const deadline = performance.now() + graceMs
      while (h.active > 0 && performance.now() < deadline) await Bun.sleep(25)
      return h.active
    },
    async close() {
      await admin.close()
      await services.close()
    },
    get config() {
      return h.current.config
    },
    get log() {
      return h.current.ctx.log
    },
    get load() {
      return { inflight: h.inflight, active: h.active }
    },
  }
}
