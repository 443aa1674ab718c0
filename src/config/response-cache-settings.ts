// `cache: { ttl, any_temperature }` on an alias or a key: the exact-match response cache, opt-in.
import { formatPath, type PathSegment } from './key-path'
import type { ResponseCacheFile } from './schema'
import type { Config, ResponseCacheSettings } from './types'
import { durationMs } from './units'

export function responseCache(c: ResponseCacheFile, path: PathSegment[], problems: string[]): ResponseCacheSettings {
  const ttl = durationMs(c.ttl)
  if (ttl <= 0) problems.push(`${formatPath([...path, 'ttl'])}: must be longer than 0`)
  return { ttl, any_temperature: c.any_temperature ?? false }
}

/** where cached answers can live: Redis when shared, else the SQLite usage file; undefined: nowhere */
export function cacheBackend(cfg: Pick<Config, 'state' | 'usage'>): 'redis' | 'sqlite' | undefined {
  if (cfg.state.redis) return 'redis'
  return cfg.usage.store.startsWith('sqlite:') ? 'sqlite' : undefined
}

/** a config that asks for caching where it cannot be kept */
export function checkCacheBackend(cfg: Config, problems: string[]): void {
  if (cacheBackend(cfg)) return
  const where = [
    ...cfg.models.filter((m) => m.cache).map((m) => formatPath(['models', m.pattern, 'cache'])),
    ...(cfg.auth?.keys ?? []).filter((k) => k.cache).map((k) => `auth.keys (${k.name}).cache`),
  ]
  if (where.length) problems.push(`${where[0]}: the response cache lives in Redis (state.redis) or the SQLite usage database (usage.store: sqlite:PATH); neither is configured`)
}
