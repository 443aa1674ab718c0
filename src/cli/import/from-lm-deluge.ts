// lm-deluge's proxy YAML: `model_policy` (mode, allowed_models, default_model, expose_aliases,
// optionally `routes`) and `routes: {name: {models, strategy, weights}}`. lm-deluge resolves bare
// model names from its registry; here each finds its provider by family (gpt-* → openai, claude-*
// → anthropic…), a provider per family with its usual key variable. Names are passed upstream as
// written (lm-deluge's registry ids may differ from the provider's own ids: a note says so).
import { knownProvider, providerForModel } from '../../config/known-providers'
import { POLICY_MODES } from '../../config/schema'
import { ImportError, isMap, shown, type Imported, type Note } from './imported'

const STRATEGIES: Record<string, string> = { round_robin: 'round_robin', random: 'random', weighted: 'weighted', fallback: 'fallback', priority: 'fallback' }
const POLICY_KEYS = new Set(['mode', 'allowed_models', 'default_model', 'expose_aliases', 'routes'])

export function fromLmDeluge(tree: unknown): Imported {
  if (!isMap(tree) || !(isMap(tree.model_policy) || isMap(tree.routes)))
    throw new ImportError('not an lm-deluge proxy config: expected model_policy: and/or routes:')
  const notes: Note[] = []
  const policyIn = isMap(tree.model_policy) ? tree.model_policy : {}
  const routesIn = { ...(isMap(policyIn.routes) ? policyIn.routes : {}), ...(isMap(tree.routes) ? tree.routes : {}) }
  const providers: Record<string, any> = {}
  const models: Record<string, any> = {}
  const unknown = new Set<string>()

  const target = (m: string): string | undefined => {
    const k = providerForModel(m)
    if (!k) return void unknown.add(m)
    providers[k.name] ??= { dialect: k.dialect, api_key: `\${${k.env[0]}}` }
    return `${k.name}/${m}`
  }

  for (const [name, r] of Object.entries(routesIn)) {
    if (!isMap(r) || !Array.isArray(r.models)) {
      notes.push({ text: `routes.${name}: not carried over: expected {models, strategy, weights} (got ${shown(r)})` })
      continue
    }
    const strategy = STRATEGIES[String(r.strategy ?? 'round_robin')]
    const weights: unknown[] | undefined = Array.isArray(r.weights) ? r.weights : undefined
    const targets = (r.models as unknown[]).flatMap((m, i) => {
      const t = typeof m === 'string' ? target(m) : undefined
      if (!t) return []
      const w = weights?.[i]
      return [typeof w === 'number' && w > 0 && strategy === 'weighted' ? { model: t, weight: w } : t]
    })
    if (targets.length === 0) {
      notes.push({ text: `routes.${name}: not carried over: none of its models has a known provider` })
      continue
    }
    models[name] = { strategy: strategy ?? 'round_robin', targets }
    if (!strategy) notes.push({ at: ['models', name], text: `strategy ${shown(r.strategy)} is not one of ours: round_robin used` })
    for (const k of Object.keys(r)) if (!['models', 'strategy', 'weights'].includes(k)) notes.push({ at: ['models', name], text: `routes.${name}.${k} not carried over: unknown to this importer` })
  }
  // bare names outside the routes (allowed_models, default_model, direct picks) route by family
  const policy: Record<string, any> = {}
  if (policyIn.mode !== undefined) {
    if ((POLICY_MODES as readonly string[]).includes(policyIn.mode)) policy.mode = policyIn.mode
    else notes.push({ text: `model_policy.mode ${shown(policyIn.mode)} not carried over: ours are ${POLICY_MODES.join(', ')}` })
  }
  if (typeof policyIn.default_model === 'string') {
    policy.default_model = policyIn.default_model
    if (!models[policyIn.default_model]) target(policyIn.default_model)
  }
  if (Array.isArray(policyIn.allowed_models)) {
    policy.allowed_models = policyIn.allowed_models.filter((m: unknown) => typeof m === 'string')
    for (const m of policy.allowed_models) if (!models[m] && !m.includes('*')) target(m)
  }
  if (typeof policyIn.expose_aliases === 'boolean') policy.expose_aliases = policyIn.expose_aliases
  for (const k of Object.keys(policyIn)) if (!POLICY_KEYS.has(k)) notes.push({ text: `model_policy.${k} not carried over: unknown to this importer` })
  for (const name of Object.keys(providers)) for (const f of knownProvider(name)!.families) models[f] ??= `${name}/*`
  if (unknown.size)
    notes.push({ text: `no provider known for ${[...unknown].map(shown).join(', ')}: add a provider and a models: entry for each` })
  if (Object.keys(providers).length)
    notes.push({ at: ['providers'], text: "model names are sent upstream as lm-deluge's registry wrote them; where its ids differ from the provider's own, map them in models:" })
  const server: Record<string, any> = {}
  if (tree.host !== undefined) server.host = String(tree.host)
  if (tree.port !== undefined) server.port = Number(tree.port)
  for (const k of Object.keys(tree)) if (!['model_policy', 'routes', 'host', 'port'].includes(k)) notes.push({ text: `${k} not carried over: unknown to this importer` })
  const file: Record<string, any> = {}
  if (Object.keys(server).length) file.server = server
  file.providers = providers
  file.models = models
  if (Object.keys(policy).length) file.policy = policy
  return { file, notes }
}
