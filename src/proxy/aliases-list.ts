// GET /v1/aliases: the models: table as the caller may use it — each name (exact or glob) with
// the targets it routes to, its fallbacks and strategy. Hidden entries, entries of another base
// path and names the caller's group may not request are left out, as in GET /v1/models.
import type { Config, ModelEntry } from '../config/types'
import { isGlob } from '../routing/glob'

export interface ListedAlias {
  name: string
  targets: string[]
  fallbacks: string[]
  strategy: ModelEntry['strategy']
  /** a glob: `*` in a target stands for the requested name */
  glob: boolean
  /** how the name matches when not exactly (tier, substring, case, separators) */
  match?: ModelEntry['match']
  priority?: number
}

export function listAliases(cfg: Config, basePath: string, visible: (name: string) => boolean): ListedAlias[] {
  const out: ListedAlias[] = []
  const seen = new Set<string>()
  for (const e of cfg.models) {
    if (e.hidden || seen.has(e.pattern) || !visible(e.pattern)) continue
    if (e.base_path && e.base_path !== basePath) continue
    seen.add(e.pattern)
    const match = { ...cfg.policy.alias_matching, ...e.match }
    out.push({
      name: e.pattern,
      targets: e.targets.map((t) => t.model),
      fallbacks: e.fallbacks,
      strategy: e.strategy,
      glob: isGlob(e.pattern),
      ...(Object.keys(match).length > 0 && { match }),
      ...(e.priority !== undefined && { priority: e.priority }),
    })
  }
  return out
}
