// Per-alias round-robin counters. They survive config reloads for aliases whose definition did
// not change, so a reload does not send a burst of traffic to every alias's first target.
import type { ModelEntry } from '../config/types'

/** The counter key of an entry: its pattern, qualified by base_path (the same key may exist per prefix). */
export const aliasKey = (e: ModelEntry): string => (e.base_path ? `${e.base_path}\u0000${e.pattern}` : e.pattern)

interface Slot {
  count: number
  /** the entry this counter belongs to, compared on reload */
  entry?: ModelEntry
}

export class RoundRobinCounters {
  private slots = new Map<string, Slot>()

  /** A position in [0, n) for this key, then advance. `entry` lets retain() tell whether it changed. */
  next(key: string, n: number, entry?: ModelEntry): number {
    let s = this.slots.get(key)
    if (!s) this.slots.set(key, (s = { count: 0, entry }))
    else if (entry && s.entry !== entry) s.entry = entry
    const i = s.count % Math.max(1, n)
    // wrap long before precision is lost; one skipped beat every 2^31 picks does not matter
    s.count = s.count >= 0x7fffffff ? 0 : s.count + 1
    return i
  }

  /** Keep counters of entries unchanged in the new table (same stable JSON), drop the rest. */
  retain(entries: readonly ModelEntry[]): void {
    if (this.slots.size === 0) return
    const fresh = new Map<string, ModelEntry>()
    for (const e of entries) if (!fresh.has(aliasKey(e))) fresh.set(aliasKey(e), e)
    for (const [key, s] of this.slots) {
      const e = fresh.get(key)
      if (!e || !s.entry || stableJson(e) !== stableJson(s.entry)) this.slots.delete(key)
      else s.entry = e
    }
  }

  /** current count (for tests and `check`) */
  peek(key: string): number {
    return this.slots.get(key)?.count ?? 0
  }

  get size(): number {
    return this.slots.size
  }
}

/** JSON with object keys sorted, so two equal entries compare equal whatever their key order. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  const obj = v as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`
}
