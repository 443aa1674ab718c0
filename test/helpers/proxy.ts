// An llm-proxy on a random loopback port, built from a plain config object (as a YAML file would
// parse): the real gateway (createGateway) behind Bun.serve, as `llm-proxy serve` runs it.
import { resolveConfig } from '../../src/config/load'
import type { Config } from '../../src/config/types'
import { createGateway, type Gateway, type GatewayDeps } from '../../src/gateway'
import type { BreakerOptions } from '../../src/upstream/circuit-breaker'

export interface TestProxy {
  url: string
  gateway: Gateway
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

/** a config object as the tests write it, resolved the way a config file is */
export const testConfig = (raw: Record<string, any>, env: Record<string, string> = {}): Config =>
  resolveConfig(
    { usage: { store: 'none' }, logging: { level: 'debug' }, ...raw, server: { host: '127.0.0.1', port: 0, ...(raw.server ?? {}) } },
    env,
    {},
  )

/** the gateway in-process, no socket: `gateway.fetch(new Request(…))` */
export async function startGateway(raw: Record<string, any>, deps: GatewayDeps = {}, env: Record<string, string> = {}): Promise<{ gateway: Gateway; logs: string[] }> {
  const logs: string[] = []
  const gateway = await createGateway(testConfig(raw, env), { logSink: (l) => logs.push(l), ...deps })
  return { gateway, logs }
}

export async function startProxy(raw: Record<string, any>, env: Record<string, string> = {}, o: ProxyOverrides = {}): Promise<TestProxy> {
  const deps: GatewayDeps = { breaker: o.breaker }
  if (o.sleep) deps.clock = { now: Date.now, sleep: o.sleep }
  const { gateway, logs } = await startGateway(raw, deps, env)
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => gateway.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    gateway,
    logs,
    reload(next, nextEnv = env) {
      gateway.reload(testConfig(next, nextEnv))
    },
    stop() {
      server.stop(true)
      void gateway.close()
    },
  }
}
