// `llm-proxy serve`: the gateway behind Bun.serve; reload on SIGHUP or a change of the config
// file, drain in-flight requests on SIGTERM/SIGINT within the grace period, then exit 0.
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Server } from 'bun'
import type { Config } from './config/types'
import { ConfigError } from './config/load'
import { describeAuthChanges, reloadRefusals } from './config/reload-policy'
import { waitUntilStable } from './config/wait-stable'
import { createGateway } from './gateway'
import { afterListen } from './cli/after-listen'
import { withBodyLog } from './observe/body-log'
import { VERSION } from './version'
import { readableSecretsWarning } from './config/file-secrets'

export async function serve(config: Config, reload: () => Promise<Config>): Promise<number> {
  const gateway = await createGateway(config)
  const log = () => gateway.log
  const server = Bun.serve({
    hostname: config.server.host,
    port: config.server.port,
    fetch: withBodyLog(
      (req: Request, srv: Server<unknown>) => (gateway.wantsClientInfo ? gateway.fetch(req, { remoteAddr: srv.requestIP(req)?.address }) : gateway.fetch(req)),
      () => ({ enabled: gateway.config.logging.bodies === true, log: log() }),
    ),
    // long reasoning pauses are covered by our own keep-alives; allow the maximum anyway
    idleTimeout: 255,
    maxRequestBodySize: config.server.max_body_size + 1024 * 1024,
  })
  log().info('llm-proxy listening', {
    version: VERSION,
    url: `http://${server.hostname}:${server.port}`,
    config: config.source ?? '(zero-config)',
    providers: config.providers.map((p) => `${p.name}:${p.dialect}`),
    models: config.models.length,
    // Bun's fetch caps upstream requests in flight per process; it is read once, from the environment
    max_upstream_requests: Number(process.env.BUN_CONFIG_MAX_HTTP_REQUESTS ?? 256),
    // this process's own start-up (after the re-exec that raised the cap, if there was one)
    started_ms: Math.round(performance.now()),
  })
  const exposed = config.source ? readableSecretsWarning(config.source) : undefined
  if (exposed) log().warn(exposed)
  afterListen({ config, url: `http://${server.hostname}:${server.port}`, log: log() })

  let reloading = Promise.resolve()
  const doReload = (why: string) =>
    (reloading = reloading.then(async () => {
      let next: Config
      try {
        if (config.source) await waitUntilStable(config.source)
        next = await reload()
      } catch (err) {
        const problems = err instanceof ConfigError ? err.problems : [String(err)]
        log().error('config reload rejected; keeping the running config', { reason: why, problems })
        return
      }
      const prev = gateway.config
      const refused = reloadRefusals(prev, next)
      if (refused.length) {
        log().error('config reload refused; keeping the running config', { reason: why, problems: refused })
        return
      }
      const changes = gateway.reload(next)
      log().info('config reloaded', { reason: why, ...changes, ...describeAuthChanges(prev, next) })
    }))

  process.on('SIGHUP', () => void doReload('SIGHUP'))
  let watcher: FSWatcher | undefined
  if (config.source) {
    let timer: ReturnType<typeof setTimeout> | undefined
    // watch the directory, not the file: editors and Kubernetes replace the file by a rename,
    // after which a watch on the file itself goes silent
    const name = basename(config.source)
    try {
      watcher = watch(dirname(config.source), (_event, file) => {
        if (file !== null && file !== name && !String(file).startsWith('..')) return
        clearTimeout(timer)
        timer = setTimeout(() => void doReload('file changed'), 150)
      })
    } catch (err) {
      log().warn('cannot watch the config file; reload with SIGHUP', { error: String(err) })
    }
  }

  return await new Promise<number>((resolve) => {
    let stopping = false
    const shutdown = async (signal: string) => {
      if (stopping) return
      stopping = true
      watcher?.close()
      const grace = gateway.config.server.shutdown_grace
      log().info('shutting down: draining in-flight requests', { signal, in_flight: gateway.load.active, grace_ms: grace })
      // the listener stays open while draining: /readyz answers 503 (so load balancers stop
      // sending), new generation requests get a retryable 503, in-flight ones finish
      const left = await gateway.drain(grace)
      if (left > 0) log().warn('grace period over; closing remaining requests', { in_flight: left })
      server.stop(true)
      await gateway.close()
      resolve(0)
    }
    process.on('SIGTERM', () => void shutdown('SIGTERM'))
    process.on('SIGINT', () => void shutdown('SIGINT'))
  })
}
