// lm-deluge's `--routes` shape, `{"fast": {"models": [...], "strategy": ..., "weights": [...]}}`,
// accepted as it is next to ours. Its models are bare names (lm-deluge resolves them from its own
// registry): each is routed the way a request for that name would be by the config's other
// entries (so `gpt-4o-mini` becomes `openai/gpt-4o-mini` under `"gpt-*": openai/*`), or is taken
// as written when it already says `provider/model` or `provider:model`. Pure.
import { globMatcher } from '../routing/glob'
import { formatPath } from './key-path'
import { show } from './report'
import type { Config } from './types'

const DELUGE_STRATEGIES: Record<string, string> = {
  round_robin: 'round_robin',
  'round-robin': 'round_robin',
  random: 'random',
  weighted: 'weighted',
  fallback: 'fallback',
  priority: 'fallback',
}

const isDeluge = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'models' in v && !('targets' in v)

/** Entries in lm-deluge's shape → our alias form; every other entry is returned untouched. */
export function fromDelugeRoutes(routes: Record<string, unknown>, config: Config, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(routes)) out[name] = isDeluge(v) ? convert(name, v, config, problems) : v
  return out
}

function convert(name: string, v: Record<string, unknown>, config: Config, problems: string[]): unknown {
  const path = ['--routes', name]
  const { models, strategy, weights, ...rest } = v
  if (!Array.isArray(models) || models.length === 0 || !models.every((m) => typeof m === 'string' && m !== '')) {
    problems.push(`${formatPath([...path, 'models'])}: expected a non-empty list of model names (got ${show(models)})`)
    return v
  }
  const s = strategy === undefined ? 'round_robin' : DELUGE_STRATEGIES[String(strategy)]
  if (!s) problems.push(`${formatPath([...path, 'strategy'])}: expected one of ${Object.keys(DELUGE_STRATEGIES).join(', ')} (got ${show(strategy)})`)
  if (weights !== undefined && (!Array.isArray(weights) || weights.length !== models.length || !weights.every((w) => typeof w === 'number' && w > 0)))
    problems.push(`${formatPath([...path, 'weights'])}: expected ${models.length} positive numbers, one per model (got ${show(weights)})`)
  const targets = (models as string[]).map((m, i) => {
    const model = routeBare(m, config)
    if (model === undefined) problems.push(`${formatPath([...path, 'models', i])}: ${show(m)} matches no models: entry and names no configured provider`)
    const w = Array.isArray(weights) && typeof weights[i] === 'number' ? weights[i] : undefined
    return w === undefined ? (model ?? m) : { model: model ?? m, weight: w }
  })
  return { ...rest, strategy: s ?? 'round_robin', targets } // an unknown strategy is reported above
}

/** A bare name → "provider/model" as the config would route a request for it. */
function routeBare(m: string, config: Config): string | undefined {
  const names = config.providers.map((p) => p.name)
  const explicit = /^([^/:\s]+)[/:](.+)$/.exec(m)
  if (explicit && names.includes(explicit[1])) return `${explicit[1]}/${explicit[2]}`
  for (const e of config.models) {
    if (e.alias || e.targets.length !== 1 || !globMatcher(e.pattern)(m)) continue
    return e.targets[0].model.replaceAll('*', m)
  }
  if (config.policy.default_provider) return `${config.policy.default_provider}/${m}`
  return undefined
}
