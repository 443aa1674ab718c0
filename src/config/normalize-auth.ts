// `auth:` → AuthConfig: keys with defaults, the implicit "default" group, check defaults, and
// the cross-references (a key's group, a group's providers) checked. Pure.
import { isGlob } from '../routing/glob'
import { responseCache } from './response-cache-settings'
import { formatPath, type PathSegment } from './key-path'
import { unknownName } from './report'
import type { AuthFile } from './schema'
import type { AuthConfig, GroupConfig, KeyConfig, Limits } from './types'
import { durationMs } from './units'

/** The group every key without one belongs to; exists even when auth.groups does not list it. */
export const defaultGroup = (): GroupConfig => ({ models: ['*'], providers: ['*'] })

export function normalizeAuth(auth: AuthFile, providers: readonly string[], problems: string[]): AuthConfig {
  const groups: Record<string, GroupConfig> = { default: defaultGroup() }
  for (const [name, g] of Object.entries(auth.groups ?? {})) {
    const groupProviders = g.providers ?? ['*']
    groupProviders.forEach((p, i) => {
      if (!isGlob(p) && !providers.includes(p))
        problems.push(`${formatPath(['auth', 'groups', name, 'providers', i])}: ${unknownName('provider', p, providers)}`)
    })
    groups[name] = { models: g.models ?? ['*'], providers: groupProviders, ...limits(g) }
  }
  const groupNames = Object.keys(groups)
  const keys: KeyConfig[] = []
  const seen = new Map<string, number>()
  auth.keys?.forEach((k, i) => {
    const path: PathSegment[] = ['auth', 'keys', i]
    // an empty key (an optional `${VAR:-}` that is unset) disables the entry: never match ""
    if (k.key === '' && k.key_sha256 === undefined) return
    const group = k.group ?? 'default'
    if (!groups[group]) problems.push(`${formatPath([...path, 'group'])}: ${unknownName('group', group, groupNames)}`)
    if ((k.key === undefined) === (k.key_sha256 === undefined)) {
      problems.push(`${formatPath(path)}: needs exactly one of key or key_sha256`)
      return
    }
    const secret = k.key ?? k.key_sha256!.toLowerCase()
    const dup = seen.get(secret)
    if (dup !== undefined) problems.push(`${formatPath(path)}: same key as ${formatPath(['auth', 'keys', dup])}`)
    seen.set(secret, i)
    keys.push({
      ...(k.key !== undefined ? { key: k.key } : { key_sha256: secret }),
      name: k.name ?? `key-${i + 1}`,
      group,
      ...limits(k),
      ...(k.cache !== undefined && { cache: responseCache(k.cache, [...path, 'cache'], problems) }),
    })
  })
  const c = auth.check
  return {
    keys,
    groups,
    ...(c && {
      check: {
        url: c.url,
        method: c.method ?? 'GET',
        headers: c.headers ?? {},
        group_claim: c.group_claim ?? 'group',
        ...(c.name_claim !== undefined && { name_claim: c.name_claim }),
        cache_ttl: durationMs(c.cache_ttl ?? '60s'),
        timeout: durationMs(c.timeout ?? '5s'),
      },
    }),
  }
}

const limits = (l: Limits): Limits => ({
  ...(l.rpm !== undefined && { rpm: l.rpm }),
  ...(l.tpm !== undefined && { tpm: l.tpm }),
  ...(l.max_concurrent !== undefined && { max_concurrent: l.max_concurrent }),
  ...(l.budget !== undefined && { budget: { usd: l.budget.usd, per: l.budget.per } }),
})
