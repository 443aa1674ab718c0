// `llm-proxy healthcheck`: probe the proxy this config describes (exec-form Docker HEALTHCHECK in a
// distroless image, which has no shell or curl). Exit 0 when /healthz answers 200, 1 otherwise,
// always within the time limit.
import type { Config } from '../config/types'

export const HEALTHCHECK_TIMEOUT_MS = 8_000

/** Where to reach a listener: a wildcard address is reached through loopback. */
export function probeUrl(server: Pick<Config['server'], 'host' | 'port'>): string {
  let host = server.host.replace(/^\[|\]$/g, '')
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1'
  else if (host === '::' || host === '0:0:0:0:0:0:0:0') host = '::1'
  return `http://${host.includes(':') ? `[${host}]` : host}:${server.port}/healthz`
}

export async function runHealthcheck(cfg: Pick<Config, 'server'>, fetchImpl: typeof fetch = fetch, timeoutMs = HEALTHCHECK_TIMEOUT_MS): Promise<{ ok: boolean; message: string }> {
  const url = probeUrl(cfg.server)
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) })
    await res.body?.cancel().catch(() => {})
    return res.status === 200 ? { ok: true, message: `${url}: ok` } : { ok: false, message: `${url}: answered ${res.status}` }
  } catch (err) {
    const e = err as Error
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : e.message
    return { ok: false, message: `${url}: ${why}` }
  }
}
