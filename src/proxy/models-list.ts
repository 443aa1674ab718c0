// GET /v1/models: what the caller may ask for (the list's shape is the client dialect's modelList).
import type { Config } from '../config/types'
import type { ListedModel } from '../dialects/dialect'
import { isGlob } from '../routing/glob'

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
    if (isGlob(e.pattern) && cfg.policy.list_wildcards === 'ignore') continue
    if (cfg.policy.mode === 'alias_only' && !e.alias) continue
    add(e.pattern, e.alias ? 'llm-proxy' : (e.targets[0]?.model.split('/')[0] ?? 'llm-proxy'))
  }
  if (cfg.policy.mode !== 'alias_only') for (const p of cfg.providers) for (const m of p.models) add(`${p.name}/${m}`, p.name)
  return out
}
