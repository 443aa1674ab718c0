// An llm-proxy on a random loopback port, built from a plain config object (as a YAML file would
// parse), with the real server, runtime and services.
import { buildRuntime, createServices } from '../../src/build-runtime'
import { resolveConfig } from '../../src/config/load'
import { RuntimeHolder } from '../../src/runtime'
import { buildRouteTable, createApp } from '../../src/server'

export interface TestProxy {
  url: string
  holder: RuntimeHolder
  logs: string[]
  stop(): void
}

export async function startProxy(raw: Record<string, any>, env: Record<string, string> = {}): Promise<TestProxy> {
  const cfg = resolveConfig(
    { usage: { store: 'none' }, logging: { level: 'debug' }, ...raw, server: { host: '127.0.0.1', port: 0, ...(raw.server ?? {}) } },
    env,
    {},
  )
  const logs: string[] = []
  const services = await createServices(cfg, { logSink: (l) => logs.push(l) })
  const holder = new RuntimeHolder(buildRuntime(cfg, services))
  holder.routes = buildRouteTable(holder)
  const app = createApp(holder)
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => app.fetch(req), idleTimeout: 60 })
  return {
    url: `http://127.0.0.1:${server.port}`,
    holder,
    logs,
    stop() {
      server.stop(true)
      void services.close()
    },
  }
}
