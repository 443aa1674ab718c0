// Metric label values must stay a bounded set: 30,000 requests with unique unknown model names
// grew /metrics to 40 MB. A model gets its own label when the config names it (an exact route,
// a target, a provider's models list) or when an upstream answered it with output (a real model
// behind a glob route, even if its stream later failed), up to LEARNED_MAX such names; every
// other name is counted as `other`.
import type { Config } from '../config/types'
import { isGlob } from '../routing/glob'

export const OTHER = 'other'
/** names learned from successful answers, per config */
const LEARNED_MAX = 200

interface ModelLabels {
  configured: Set<string>
  learned: Set<string>
}

const perConfig = new WeakMap<Config, ModelLabels>()

function configuredNames(cfg: Config): Set<string> {
  const names = new Set<string>()
  const add = (n: string) => {
    if (n && !isGlob(n)) names.add(n)
  }
  for (const e of cfg.models) {
    add(e.pattern)
    for (const t of [...e.targets.map((t) => t.model), ...e.fallbacks]) add(t.slice(t.indexOf('/') + 1))
  }
  for (const p of cfg.providers) p.models.forEach(add)
  if (cfg.policy.default_model) add(cfg.policy.default_model)
  return names
}

/** the label for `model`; `answered`: an upstream answered this name (so it names a real model) */
export function modelLabel(cfg: Config, model: string, answered: boolean): string {
  if (model === '') return model
  let l = perConfig.get(cfg)
  if (!l) perConfig.set(cfg, (l = { configured: configuredNames(cfg), learned: new Set() }))
  if (l.configured.has(model) || l.learned.has(model)) return model
  if (answered && l.learned.size < LEARNED_MAX) {
    l.learned.add(model)
    return model
  }
  return OTHER
}
