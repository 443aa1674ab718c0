// GET /v1/models: what the caller may ask for (the list's shape is the client dialect's modelList).
import type { Config } from '../config/types'
import type { ListedModel } from '../dialects/dialect'
import { globMatcher, isGlob } from '../routing/glob'
import type { UpstreamModels } from '../upstream/upstream-models'

export type { ListedModel }

/** Names a client can send: model-table keys per policy, then every provider's declared models. */
export function listModels(cfg: Config, basePath: string): ListedModel[] {
  const out: ListedModel[] = []
  const seen = new Set<string>()
  const add = (id: string, owner: string) => {
    if (!seen.has(id)) {
      seen.add(id)
      out.push({ id, owned_by: owner })
    }
  }
  for (const e of cfg.models) {
    if (e.hidden) continue
    if (e.base_path && e.base_path !== basePath) continue
    if (e.alias && !cfg.policy.expose_aliases) continue
    if (isGlob(e.pattern) && cfg.policy.list_wildcards !== 'as_is') continue
    if (cfg.policy.mode === 'alias_only' && !e.alias) continue
    add(e.pattern, e.alias ? 'llm-proxy' : (e.targets[0]?.model.split('/')[0] ?? 'llm-proxy'))
  }
  if (cfg.policy.mode !== 'alias_only') for (const p of cfg.providers) for (const m of p.models) add(`${p.name}/${m}`, p.name)
  return out
}

/** `list_wildcards: expand`: each listed glob entry's wild targets, as the model ids their providers
 *  serve (asked once, cached; the catalog when a provider cannot be asked) that match the glob. */
export async function expandWildcards(cfg: Config, basePath: string, upstream: UpstreamModels): Promise<ListedModel[]> {
  const out: ListedModel[] = []
  const seen = new Set<string>()
  const providers = new Map(cfg.providers.map((p) => [p.name, p]))
  for (const e of cfg.models) {
    if (e.hidden || !isGlob(e.pattern) || (e.base_path && e.base_path !== basePath) || cfg.policy.mode === 'alias_only') continue
    const match = globMatcher(e.pattern)
    for (const t of e.targets) {
      const slash = t.model.indexOf('/')
      const p = providers.get(t.model.slice(0, slash))
      if (!p || !t.model.slice(slash + 1).includes('*')) continue
      for (const id of await upstream.ids(p))
        if (match(id) && !seen.has(id)) {
          seen.add(id)
          out.push({ id, owned_by: p.name })
        }
    }
  }
  return out
}
