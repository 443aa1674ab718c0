// The providers page: per provider, its keys' health (benched ones by position in api_keys, never
// the key), the circuits that are not closed, and its recent failed attempts. This replica's view.
import type { Services } from '../build-runtime'
import type { Config } from '../config/types'

/** a base URL without user:password@ or a query (either may carry a credential) */
function safeUrl(u: string | undefined): string | null {
  if (!u) return null
  try {
    const url = new URL(u)
    return `${url.protocol}//${url.host}${url.pathname}`
  } catch {
    return null
  }
}

export function providersView(cfg: Config, s: Services, now: number) {
  const circuits = s.breakers.unhealthy(now)
  const failures = s.live.failures()
  return {
    now,
    providers: cfg.providers.map((p) => {
      const pool = s.keyPools.find(p.name)
      const state = pool?.state(now)
      const mine = failures.filter((f) => f.provider === p.name)
      return {
        name: p.name,
        dialect: p.dialect,
        base_url: safeUrl(p.base_url),
        keys: p.passthrough ? 'passthrough' : p.api_keys.length,
        healthy_keys: state ? state.healthy : p.api_keys.length,
        benched: (pool?.benched(now) ?? []).map((b) => ({
          key: `#${b.index + 1}`,
          reason: b.reason,
          until: b.untilMs === null ? 'next reload' : new Date(b.untilMs).toISOString(),
        })),
        circuits: circuits.filter((c) => c.target.startsWith(`${p.name}/`)),
        recent_failures: mine.slice(0, 20),
        failures_in_memory: mine.length,
      }
    }),
  }
}
