// A gateway holding provider keys must not answer the whole network without a client key unless
// the operator said so: `auth: { mode: none, allow_public: true }` or `--allow-public`. Pure.
import type { Config } from '../config/types'

/** 127.0.0.0/8, ::1 (also v4-mapped) and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h
  return /^127(\.\d{1,3}){3}$/.test(v4)
}

/** The refusal message, or undefined when the listener is fine. */
export function publicListenProblem(cfg: Pick<Config, 'server' | 'auth' | 'allow_public'>): string | undefined {
  if (cfg.auth || cfg.allow_public || isLoopback(cfg.server.host)) return undefined
  return (
    `refusing to listen on ${cfg.server.host}:${cfg.server.port} with no client auth: anyone who can reach this address could ` +
    `spend your provider keys. Require a key (auth: { keys: [...] } in the config, or LLM_PROXY_API_KEY=...), listen on ` +
    `127.0.0.1, or allow it on purpose with auth: { mode: none, allow_public: true } (or --allow-public)`
  )
}

/** Said at start when a public listener without auth was allowed. */
export function publicListenWarning(cfg: Pick<Config, 'server' | 'auth' | 'allow_public'>): string | undefined {
  if (cfg.auth || isLoopback(cfg.server.host)) return undefined
  return `listening on ${cfg.server.host} with no client auth (allowed by auth.allow_public / --allow-public): every client that can reach this port can use the configured providers`
}
