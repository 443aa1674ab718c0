// An llm-proxy on a random loopback port, built from a plain config object (as a YAML file would
// parse), with the real server, runtime and services.
import { buildRuntime, createServices, type Services } from '../../src/build-runtime'
import { resolveConfig } from '../../src/config/load'
import type { Config } from '../../src/config/types'
import type { Runtime } from '../../src/runtime'
import { RuntimeHolder } from '../../src/runtime'
import { buildRouteTable, createApp } from '../../src/server'
import { CircuitBreakers, type BreakerOptions } from '../../src/upstream/circuit-breaker'

export interface TestProxy {
  url: string
  holder: RuntimeHolder
  logs: string[]
  /** swap in a new config the way a SIGHUP does (services, key pools and breakers are kept) */
  reload(raw: Record<string, any>, env?: Record<string, string>): void
  stop(): void
}

export interface ProxyOverrides {
  /** replaces the runtime's sleep (backoff waits): record or shorten them */
  sleep?: (ms: number) => Promise<void>
  /** circuit-breaker tuning (e.g. a short cool-down) */
  breaker?: BreakerOptions
}

const resolve = (raw: Record<string, any>, env: Record<string, string>): Config =>
  resolveConfig(
    { usage: { store: 'none' }, logging: { level: 'debug' }, ...raw, server: { host: '127.0.0.1', port: 0, ...(raw.server ?? {}) } },
    env,
    {},
  )

export async function startProxy(raw: Record<string, any>, env: Record<string, string> = {}, o: ProxyOverrides = {}): Promise<TestProxy> {
  const cfg = resolve(raw, env)
  const logs: string[] = []
  const services: Services = await createServices(cfg, { logSink: (l) => logs.push(l) })
  if (o.breaker) services.breakers = new CircuitBreakers(o.breaker)
  const build = (c: Config, prev?: Runtime): Runtime => {
    const rt = buildRuntime(c, services, prev)
    if (o.sleep) rt.ctx.sleep = o.sleep
    return rt
  }
  const holder = new RuntimeHolder(build(cfg))
  holder.routes = buildRouteTable(holder)
  const app = createApp(holder)
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => app.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    holder,
    logs,
    reload(next, nextEnv = env) {
      holder.current = build(resolve(next, nextEnv), holder.current)
      holder.routes = buildRouteTable(holder)
    },
    stop() {
      server.stop(true)
      void services.close()
    },
  }
}
