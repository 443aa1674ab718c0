// Requested model name → Plan: the ordered upstream attempts. Pure; counters and randomness are
// passed in. Order (spec/config.md "Requested-model resolution"): policy, then `models:` entries
// in file order, then the `provider/model` and `provider:model` forms, then policy.default_provider,
// else a 404. A configured provider prefix is not captured by a glob that names no provider.
//
// Targets and fallbacks are `provider/model` (or `provider:model`); they do not name other
// aliases. A `*` in a target's model is replaced by the (policy-resolved) requested name, so
// `openai/*` forwards the name unchanged and `openrouter/anthropic/*` prefixes it.
import type { Config, MatchOptions, ModelEntry, ProviderConfig } from '../config/types'
import { badRequest, GatewayError } from '../errors'
import { globMatcher, isGlob, matchAny } from './glob'
import { aliasKey, RoundRobinCounters } from './round-robin'
import { pickFirst } from './strategy'
import { catalogLookup } from './model-catalog'
import { compileWhen, type Condition, type RuleFacts } from './rule-conditions'

export { RoundRobinCounters }

export interface Attempt {
  provider: ProviderConfig
  /** the upstream model name */
  model: string
  /** "provider/model" with the concrete upstream model: logs, errors, circuit-breaker key */
  target: string
  /** the models: entry that routed here (its transforms apply); absent for provider/model forms */
  entry?: ModelEntry
}

export interface Plan {
  /** the name the client sent (or default_model when it sent none): responses echo it */
  requested: string
  /** the name routing used, after policy (force_default) */
  resolvedName: string
  entry?: ModelEntry
  attempts: Attempt[]
  /** the routing rule that chose the first target, and why it matched */
  rule?: { name: string; why: string }
}

export interface ResolveOptions {
  /** the base path the request came in under ("/" or e.g. "/team-a") */
  basePath?: string
  counters: RoundRobinCounters
  random: () => number
  /** what routing rules may look at; without it, rules are not evaluated (the alias's targets apply) */
  facts?: RuleFacts
}

/** how many names a not-found message lists */
const LIST_MAX = 20

interface Target {
  provider: ProviderConfig
  /** upstream model; contains `*` when `wild` */
  model: string
  wild: boolean
  weight: number
  /** prebuilt attempt for non-wild targets (shared, read-only) */
  fixed?: Attempt
}

interface CompiledEntry {
  entry: ModelEntry
  key: string
  match: (name: string) => boolean
  targets: Target[]
  fallbacks: Target[]
  rules: CompiledRule[]
  /** a glob naming no provider ("*", "gpt-*"), a substring or tier key: it does not capture `provider/model` names */
  bareGlob: boolean
}

interface CompiledRule {
  name: string
  when: Condition
  target: Target
}

interface Table {
  entries: CompiledEntry[]
  providers: Map<string, ProviderConfig>
}

// Compiled once per Config object (configs are replaced, never mutated, on reload).
const tables = new WeakMap<Config, Table>()

function table(cfg: Config): Table {
  let t = tables.get(cfg)
  if (t) return t
  const providers = new Map<string, ProviderConfig>()
  for (const p of cfg.providers) providers.set(p.name, p)
  const entries: CompiledEntry[] = []
  for (const entry of cfg.models) {
    const compile = (s: string, weight = 1) => compileTarget(s, weight, providers, entry)
    const o: MatchOptions = { ...cfg.policy.alias_matching, ...entry.match }
    const loose = o.tier || (o.substring && !isGlob(entry.pattern))
    entries.push({
      entry,
      key: aliasKey(entry),
      match: matcherFor(entry, cfg.policy.alias_matching),
      bareGlob: (isGlob(entry.pattern) && !/[/:]/.test(entry.pattern)) || !!loose,
      targets: entry.targets.map((x) => compile(x.model, x.weight)).filter((x): x is Target => x !== undefined),
      fallbacks: entry.fallbacks.map((f) => compile(f)).filter((x): x is Target => x !== undefined),
      rules: (entry.rules ?? []).flatMap((r) => {
        const target = compile(r.target)
        return target ? [{ name: r.name, when: compileWhen(r.when), target }] : []
      }),
    })
  }
  // by priority, highest first; equal priorities keep file order (sort is stable)
  entries.sort((a, b) => (b.entry.priority ?? 0) - (a.entry.priority ?? 0))
  t = { entries, providers }
  tables.set(cfg, t)
  return t
}

/** case folded and/or `_` read as `-`, as the matching options say */
const fold = (s: string, o: MatchOptions): string => {
  let out = o.case_insensitive ? s.toLowerCase() : s
  if (o.separators) out = out.replaceAll('_', '-')
  return out
}

/**
 * How an entry's key matches a requested name: exactly or as a glob by default; with options,
 * case-insensitively, `-`/`_` alike, or anywhere in the name (substring); a tier key matches its
 * own name or any Claude model name containing it (claude-haiku-4-5-20251001 → haiku).
 */
export function matcherFor(entry: Pick<ModelEntry, 'pattern' | 'match'>, dflt: MatchOptions | undefined): (name: string) => boolean {
  const o: MatchOptions = { ...dflt, ...entry.match }
  if (o.tier) {
    const tier = entry.pattern.toLowerCase()
    return (name) => {
      const n = name.toLowerCase()
      // Claude names as each platform spells them: claude-…, anthropic.claude-… (Bedrock), …/claude-…
      return n === tier || (n.includes('claude') && n.includes(tier))
    }
  }
  if (!o.case_insensitive && !o.separators && !o.substring) return globMatcher(entry.pattern)
  const key = fold(entry.pattern, o)
  if (o.substring && !isGlob(entry.pattern)) return (name) => fold(name, o).includes(key)
  const m = globMatcher(key)
  return (name) => m(fold(name, o))
}

/** "provider/model" or "provider:model" where provider is configured; the first separator that names one wins. */
export function splitProviderModel(s: string, providers: ReadonlyMap<string, ProviderConfig>): { provider: ProviderConfig; model: string } | undefined {
  for (const sep of ['/', ':']) {
    const i = s.indexOf(sep)
    if (i <= 0 || i === s.length - 1) continue
    const provider = providers.get(s.slice(0, i))
    if (provider) return { provider, model: s.slice(i + 1) }
  }
  return undefined
}

function compileTarget(s: string, weight: number, providers: Map<string, ProviderConfig>, entry: ModelEntry): Target | undefined {
  const pm = splitProviderModel(s, providers)
  if (!pm) return undefined // the config validator reports unknown providers; nothing to route to here
  const wild = pm.model.includes('*')
  const t: Target = { provider: pm.provider, model: pm.model, wild, weight }
  if (!wild) t.fixed = { provider: pm.provider, model: pm.model, target: `${pm.provider.name}/${pm.model}`, entry }
  return t
}

const trimSlash = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p)

/** An entry with base_path is reachable only under that prefix; one without, under every prefix. */
function reachable(e: ModelEntry, basePath: string | undefined): boolean {
  if (!e.base_path) return true
  if (basePath === undefined) return false
  return e.base_path === basePath || trimSlash(e.base_path) === trimSlash(basePath)
}

export function resolveModel(cfg: Config, requested: string | undefined, opts: ResolveOptions): Plan {
  const t = table(cfg)
  const policy = applyPolicy(cfg, t, requested, opts.basePath)
  const { asked } = policy
  // zero-config and env-only: a known model, however spelt ("claude-sonnet-4.5"), by its real id
  const known = cfg.zero_config ? catalogLookup(policy.name) : undefined
  const name = known?.id ?? policy.name
  // an explicit configured provider prefix wins over catch-all globs (exact keys still win)
  const pm = splitProviderModel(name, t.providers)

  for (const c of t.entries) {
    if (!reachable(c.entry, opts.basePath) || !c.match(name) || (pm && c.bareGlob)) continue
    if (c.targets.length === 0)
      throw new GatewayError(500, `model ${name} routes to no configured provider (check the models: entry "${c.entry.pattern}")`, {
        code: 'no_route',
        retryable: false,
      })
    if (c.rules.length && opts.facts) {
      const hit = firstRule(c, opts.facts)
      if (hit) return { requested: asked, resolvedName: name, entry: c.entry, attempts: ruleAttempts(c, hit.rule, name), rule: { name: hit.rule.name, why: hit.why } }
    }
    return { requested: asked, resolvedName: name, entry: c.entry, attempts: planAttempts(c, name, opts) }
  }

  if (pm) {
    const attempt: Attempt = { provider: pm.provider, model: pm.model, target: `${pm.provider.name}/${pm.model}` }
    return { requested: asked, resolvedName: name, attempts: [attempt] }
  }
  // …and one no family glob covers goes to the provider of its family
  const kp = known && t.providers.get(known.family)
  if (known && kp) return { requested: asked, resolvedName: name, attempts: [{ provider: kp, model: name, target: `${kp.name}/${name}` }] }
  const dp = cfg.policy.default_provider !== undefined ? t.providers.get(cfg.policy.default_provider) : undefined
  if (dp) return { requested: asked, resolvedName: name, attempts: [{ provider: dp, model: name, target: `${dp.name}/${name}` }] }
  throw notFound(cfg, t, name, opts.basePath)
}

/** Policy step: the name to route and the name to echo back. Throws 400/403/404. */
function applyPolicy(cfg: Config, t: Table, requested: string | undefined, basePath: string | undefined): { name: string; asked: string } {
  const pol = cfg.policy
  const missing = requested === undefined || requested === ''
  if (missing) {
    if (!pol.default_model) throw badRequest('model is required (this proxy has no policy.default_model)', 'model')
    // the operator's own default is not filtered by policy
    return { name: pol.default_model, asked: pol.default_model }
  }
  if (pol.mode === 'force_default' && pol.default_model) return { name: pol.default_model, asked: requested }
  if (pol.mode === 'alias_only' && !isAlias(t, requested, basePath))
    throw new GatewayError(404, `model ${requested} is not available: this proxy serves only its aliases (${aliasNames(t, cfg, basePath)})`, {
      code: 'model_not_found',
      param: 'model',
    })
  if (!matchAny(pol.allowed_models, requested) && !aliasAllowed(t, pol.allowed_models, requested, basePath))
    throw new GatewayError(403, `model ${requested} is not allowed by this proxy's policy (allowed: ${pol.allowed_models.join(', ') || 'none'})`, {
      code: 'model_not_allowed',
      param: 'model',
    })
  return { name: requested, asked: requested }
}

/**
 * lm-deluge's rule: an alias (an exact models: key) is allowed when every model it can reach —
 * targets, fallbacks and rule targets — is, as `provider/model` or as the bare upstream name.
 */
function aliasAllowed(t: Table, allowed: readonly string[], name: string, basePath: string | undefined): boolean {
  const c = t.entries.find((e) => !isGlob(e.entry.pattern) && reachable(e.entry, basePath) && e.match(name))
  if (!c || c.targets.length === 0) return false
  const reached = [...c.targets, ...c.fallbacks, ...c.rules.map((r) => r.target)]
  return reached.every((x) => matchAny(allowed, x.model) || matchAny(allowed, `${x.provider.name}/${x.model}`))
}

function isAlias(t: Table, name: string, basePath: string | undefined): boolean {
  for (const c of t.entries) if (c.entry.alias && reachable(c.entry, basePath) && c.match(name)) return true
  return false
}

function aliasNames(t: Table, cfg: Config, basePath: string | undefined): string {
  return listNames(t, cfg, basePath, true).join(', ') || 'none'
}

function planAttempts(c: CompiledEntry, name: string, opts: ResolveOptions): Attempt[] {
  const { targets, fallbacks, entry } = c
  const first = pickFirst(entry.strategy, targets, opts.random, () => opts.counters.next(c.key, targets.length, entry))
  const out: Attempt[] = []
  add(out, targets[first], name, entry)
  for (let i = 0; i < targets.length; i++) if (i !== first) add(out, targets[i], name, entry)
  for (const f of fallbacks) add(out, f, name, entry)
  return out
}

/** The first rule whose condition holds (first match wins). */
function firstRule(c: CompiledEntry, facts: RuleFacts): { rule: CompiledRule; why: string } | undefined {
  for (const rule of c.rules) {
    const v = rule.when(facts)
    if (v.ok) return { rule, why: v.why }
  }
  return undefined
}

/** Every rule's verdict in order, for `check --resolve` (stops at the first match, as routing does). */
export function explainRules(cfg: Config, requested: string, facts: RuleFacts, basePath?: string): Array<{ rule: string; target: string; matched: boolean; why: string }> {
  const t = table(cfg)
  const c = t.entries.find((e) => reachable(e.entry, basePath) && e.match(requested))
  const out: Array<{ rule: string; target: string; matched: boolean; why: string }> = []
  for (const rule of c?.rules ?? []) {
    const v = rule.when(facts)
    out.push({ rule: rule.name, target: `${rule.target.provider.name}/${rule.target.model}`, matched: v.ok, why: v.why })
    if (v.ok) break
  }
  return out
}

/** A rule's target first; the alias's fallbacks still follow it when it fails. */
function ruleAttempts(c: CompiledEntry, rule: CompiledRule, name: string): Attempt[] {
  const out: Attempt[] = []
  add(out, rule.target, name, c.entry)
  for (const f of c.fallbacks) add(out, f, name, c.entry)
  return out
}

function add(out: Attempt[], t: Target, name: string, entry: ModelEntry): void {
  const model = t.wild ? t.model.replaceAll('*', name) : t.model
  for (const a of out) if (a.provider === t.provider && a.model === model) return
  out.push(t.fixed ?? { provider: t.provider, model, target: `${t.provider.name}/${model}`, entry })
}

function notFound(cfg: Config, t: Table, name: string, basePath: string | undefined): GatewayError {
  const names = listNames(t, cfg, basePath, cfg.policy.mode === 'alias_only')
  const shown = names.slice(0, LIST_MAX).join(', ')
  const more = names.length > LIST_MAX ? ` and ${names.length - LIST_MAX} more` : ''
  const forms = t.providers.size ? `; or provider/model with a provider of: ${[...t.providers.keys()].join(', ')}` : ''
  return new GatewayError(404, `model ${name} not found. Available: ${shown || 'none'}${more}${forms}`, {
    code: 'model_not_found',
    param: 'model',
  })
}

/** Names to offer in errors: reachable, not hidden; exact names first filtered by allowed_models, globs as written. */
function listNames(t: Table, cfg: Config, basePath: string | undefined, aliasesOnly: boolean): string[] {
  const seen = new Set<string>()
  const exact: string[] = []
  const globs: string[] = []
  for (const { entry } of t.entries) {
    if (entry.hidden || (aliasesOnly && !entry.alias) || !reachable(entry, basePath) || seen.has(entry.pattern)) continue
    seen.add(entry.pattern)
    if (isGlob(entry.pattern)) globs.push(entry.pattern)
    else if (matchAny(cfg.policy.allowed_models, entry.pattern) || aliasAllowed(t, cfg.policy.allowed_models, entry.pattern, basePath)) exact.push(entry.pattern)
  }
  return exact.concat(globs)
}
