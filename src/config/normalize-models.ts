// `models:` (or a `--routes` fragment) → ordered ModelEntry[]. The short form `"gpt-*": openai/*`
// is one target; the long form is an alias. Targets must name a configured provider. Pure.
import { formatPath, type PathSegment } from './key-path'
import { show, unknownName } from './report'
import type { AliasFile, ModelsFile } from './schema'
import type { ModelEntry, TargetConfig } from './types'

/** `models:` (or a `--routes` fragment) → ordered entries; targets must name a configured provider. */
export function normalizeModels(
  models: ModelsFile,
  providers: readonly string[],
  prefix: PathSegment[],
  problems: string[],
): ModelEntry[] {
  const entries: ModelEntry[] = []
  for (const [pattern, v] of Object.entries(models)) {
    const path = [...prefix, pattern]
    if (typeof v === 'string') {
      checkTarget(v, providers, path, problems)
      entries.push({ pattern, strategy: 'fallback', targets: [{ model: v, weight: 1 }], fallbacks: [], alias: false, hidden: false })
    } else entries.push(normalizeAlias(pattern, v, providers, path, problems))
  }
  return entries
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
  }
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
