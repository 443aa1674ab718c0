// `models:` (or a `--routes` fragment) → ordered ModelEntry[]. The short form `"gpt-*": openai/*`
// is one target; the long form is an alias. Targets must name a configured provider. Pure.
import { responseCache } from './response-cache-settings'
import { formatPath, type PathSegment } from './key-path'
import { show, unknownName } from './report'
import type { AliasFile, ModelsFile } from './schema'
import type { ModelEntry, TargetConfig } from './types'
import type { WhenFile } from '../routing/rule-conditions'
import { frontDoorNames } from '../dialects'
import { isGlob } from '../routing/glob'


/** `models:` (or a `--routes` fragment) → ordered entries; targets must name a configured provider. */
export function normalizeModels(
  models: ModelsFile,
  providers: readonly string[],
  prefix: PathSegment[],
  problems: string[],
): ModelEntry[] {
  const entries: ModelEntry[] = []
  for (const [key, v] of Object.entries(models)) {
    const path = [...prefix, key]
    const { pattern, base } = splitBasePath(key)
    if (typeof v === 'string') {
      checkTarget(v, providers, path, problems)
      entries.push({ pattern, strategy: 'fallback', targets: [{ model: v, weight: 1 }], fallbacks: [], alias: false, hidden: false, ...(base && { base_path: base }) })
      continue
    }
    if (base && v.base_path !== undefined && trimBase(v.base_path) !== base) problems.push(`${formatPath([...path, 'base_path'])}: the key says ${base}, base_path says ${v.base_path}`)
    const entry = normalizeAlias(pattern, base ? { ...v, base_path: base } : v, providers, path, problems)
    if (entry.match?.substring && isGlob(pattern)) problems.push(`${formatPath([...path, 'match', 'substring'])}: a glob key cannot also match as a substring (write the key without * or drop substring)`)
    entries.push(entry)
  }
  return entries
}

const trimBase = (b: string) => (b.length > 1 ? b.replace(/\/+$/, '') : b)

/**
 * `name@/base` — the same name under several base paths (python-llm-proxy's list allows it; map
 * keys are unique): the entry is reachable only under `/base`, as with `base_path: /base`.
 */
export function splitBasePath(key: string): { pattern: string; base?: string } {
  const at = key.lastIndexOf('@/')
  if (at <= 0) return { pattern: key }
  return { pattern: key.slice(0, at), base: trimBase(key.slice(at + 1)) }
}

/** the Claude tiers every Claude model name falls into */
export const TIERS = ['haiku', 'sonnet', 'opus'] as const

/** policy.tiers → entries matching the tier's name or any Claude model name containing it (priority 1) */
export function tierEntries(tiers: Partial<Record<(typeof TIERS)[number], string>> | undefined, providers: readonly string[], problems: string[]): ModelEntry[] {
  const out: ModelEntry[] = []
  for (const tier of TIERS) {
    const target = tiers?.[tier]
    if (target === undefined) continue
    checkTarget(target, providers, ['policy', 'tiers', tier], problems)
    out.push({ pattern: tier, strategy: 'fallback', targets: [{ model: target, weight: 1 }], fallbacks: [], alias: true, hidden: false, match: { tier: true }, priority: 1 })
  }
  return out
}

function normalizeAlias(
  pattern: string,
  a: AliasFile,
  providers: readonly string[],
  path: PathSegment[],
  problems: string[],
): ModelEntry {
  const targets: TargetConfig[] = a.targets.map((t, i) => {
    const target = typeof t === 'string' ? { model: t, weight: 1 } : { model: t.model, weight: t.weight ?? 1 }
    checkTarget(target.model, providers, typeof t === 'string' ? [...path, 'targets', i] : [...path, 'targets', i, 'model'], problems)
    return target
  })
  const fallbacks = a.fallbacks ?? []
  const rules = a.rules ?? []
  rules.forEach((r, i) => {
    checkTarget(r.target, providers, [...path, 'rules', i, 'target'], problems)
    checkWhen(r.when, [...path, 'rules', i, 'when'], problems)
  })
  const names = rules.map((r) => r.name)
  names.forEach((n, i) => names.indexOf(n) !== i && problems.push(`${formatPath([...path, 'rules', i, 'name'])}: rule name ${show(n)} is used twice`))
  fallbacks.forEach((f, i) => checkTarget(f, providers, [...path, 'fallbacks', i], problems))
  return {
    pattern,
    strategy: a.strategy ?? 'fallback',
    targets,
    fallbacks,
    alias: true,
    ...(a.system !== undefined && { system: a.system }),
    ...(a.params !== undefined && { params: a.params }),
    ...(a.override !== undefined && { override: a.override }),
    ...(a.base_path !== undefined && { base_path: a.base_path.length > 1 ? a.base_path.replace(/\/+$/, '') : a.base_path }),
    hidden: a.hidden ?? false,
    ...(a.inject_progress && { inject_progress: true }),
    ...(rules.length > 0 && { rules }),
    ...(a.cache !== undefined && { cache: responseCache(a.cache, [...path, 'cache'], problems) }),
    ...(a.match !== undefined && { match: a.match }),
    ...(a.priority !== undefined && { priority: a.priority }),
  }
}

/** `front:` must name a dialect clients can speak; a condition that can never hold is a typo. */
function checkWhen(w: WhenFile, path: PathSegment[], problems: string[]): void {
  if (w.front !== undefined)
    for (const f of Array.isArray(w.front) ? w.front : [w.front])
      if (!frontDoorNames().includes(f)) problems.push(`${formatPath([...path, 'front'])}: ${unknownName('front door', f, frontDoorNames())}`)
  if (Object.keys(w).length === 0) problems.push(`${formatPath(path)}: an empty condition matches every request; write the target as the alias's own target instead`)
  w.all?.forEach((x, i) => checkWhen(x, [...path, 'all', i], problems))
  w.any?.forEach((x, i) => checkWhen(x, [...path, 'any', i], problems))
  if (w.not) checkWhen(w.not, [...path, 'not'], problems)
}

function checkTarget(target: string, providers: readonly string[], path: PathSegment[], problems: string[]): void {
  const slash = target.indexOf('/')
  if (slash <= 0 || slash === target.length - 1) {
    problems.push(`${formatPath(path)}: expected "provider/model" or "provider/*" (got ${show(target)})`)
    return
  }
  const provider = target.slice(0, slash)
  if (providers.includes(provider)) return
  problems.push(`${formatPath(path)}: ${unknownName('provider', provider, providers)}`)
}
