// What a hot reload may change on its own, and how a reload is described in the log. Pure.
// A config file written in two steps was once reloaded half-written, with no `auth:` section, and
// the proxy served unauthenticated requests with the upstream keys; an empty file on SIGHUP
// removed every provider. Such changes need the new file to say so explicitly.
import type { Config, Limits } from './types'

/** reasons to keep the running config; empty when the reload may go ahead */
export function reloadRefusals(prev: Config, next: Config): string[] {
  const out: string[] = []
  if (prev.auth && !next.auth && !next.explicit?.auth_none)
    out.push('the new config has no auth: section, which would let every client in without a key; write `auth: { mode: none }` to mean that')
  if (prev.providers.length > 0 && next.providers.length === 0 && !next.explicit?.no_providers)
    out.push('the new config has no providers; write `providers: {}` to mean that')
  if (prev.models.length > 0 && next.models.length === 0 && !next.explicit?.no_models)
    out.push('the new config has no models; write `models: {}` to mean that')
  return out
}

const limitsText = (l: Limits): string =>
  JSON.stringify({ rpm: l.rpm, tpm: l.tpm, max_concurrent: l.max_concurrent, budget: l.budget })

function diff<T>(xs: T[], ys: T[], key: (t: T) => string, show: (t: T) => string = (t) => JSON.stringify(t)) {
  const A = new Map(xs.map((x) => [key(x), show(x)]))
  const B = new Map(ys.map((y) => [key(y), show(y)]))
  return {
    added: [...B.keys()].filter((k) => !A.has(k)),
    removed: [...A.keys()].filter((k) => !B.has(k)),
    changed: [...B.keys()].filter((k) => A.has(k) && A.get(k) !== B.get(k)),
  }
}

/** auth and limit changes for the reload log line (names only, never keys) */
export function describeAuthChanges(a: Config, b: Config): Record<string, unknown> {
  const mode = (c: Config) => (c.auth ? (c.auth.check ? 'keys+check' : 'keys') : 'none')
  const keysOf = (c: Config) => c.auth?.keys ?? []
  const groupsOf = (c: Config) => Object.entries(c.auth?.groups ?? {}).map(([name, g]) => ({ name, g }))
  const k = diff(keysOf(a), keysOf(b), (x) => x.name, (x) => `${x.key ?? x.key_sha256}|${x.group}`)
  const g = diff(groupsOf(a), groupsOf(b), (x) => x.name, (x) => JSON.stringify({ models: x.g.models, providers: x.g.providers }))
  const keyLimits = diff(keysOf(a), keysOf(b), (x) => x.name, limitsText).changed
  const groupLimits = diff(groupsOf(a), groupsOf(b), (x) => x.name, (x) => limitsText(x.g)).changed
  const out: Record<string, unknown> = {}
  if (mode(a) !== mode(b)) out.auth = `${mode(a)} → ${mode(b)}`
  if (k.added.length) out.keys_added = k.added
  if (k.removed.length) out.keys_removed = k.removed
  if (k.changed.length) out.keys_changed = k.changed
  if (g.added.length) out.groups_added = g.added
  if (g.removed.length) out.groups_removed = g.removed
  if (g.changed.length) out.groups_changed = g.changed
  if (keyLimits.length || groupLimits.length) out.limits_changed = [...keyLimits.map((n) => `key ${n}`), ...groupLimits.map((n) => `group ${n}`)]
  if (JSON.stringify(a.pricing) !== JSON.stringify(b.pricing)) out.pricing_changed = true
  return out
}
