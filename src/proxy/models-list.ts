// GET /v1/models: what the caller may ask for, in OpenAI's or Anthropic's list shape.
import type { Config } from '../config/types'
import { isGlob } from '../routing/glob'

export interface ListedModel {
  id: string
  owned_by: string
}

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

export function openaiModelList(models: ListedModel[], created: number) {
  return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created, owned_by: m.owned_by })) }
}

export function anthropicModelList(models: ListedModel[], createdIso: string) {
  const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: createdIso }))
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}
