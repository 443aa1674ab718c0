// What `llm-proxy keys …` and the admin API do, once: validate the input against the running
// config (the group must exist, the name must not shadow a config key), write, and describe.
import { sha256Hex } from '../auth/hash-key'
import type { Budget, Config } from '../config/types'
import { parseDuration } from '../config/units'
import { periodStart } from '../limits/limiter'
import type { KeyStore } from './key-store'
import { describeKey, generateKey, keyPrefix, type KeyPatch, type VirtualKey } from './virtual-key'

/** Input a person typed: a 400 from the API, exit 2 from the CLI. */
export class KeyInputError extends Error {}

export interface KeySpec {
  name?: string
  group?: string
  models?: string[] | null
  rpm?: number | null
  tpm?: number | null
  max_concurrent?: number | null
  /** "50/month", "5/day", "20/week" */
  budget?: string | null
  /** a duration from now ("30d", "12h") or an ISO date; null clears it */
  expires?: string | null
  disabled?: boolean
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/

export function parseBudget(s: string): Budget {
  const m = /^\s*\$?(\d+(?:\.\d+)?)\s*\/\s*(day|week|month)\s*$/.exec(s)
  if (!m) throw new KeyInputError(`budget must look like 50/month, 5/day or 20/week (got ${JSON.stringify(s)})`)
  return { usd: Number(m[1]), per: m[2] as Budget['per'] }
}

export function parseExpiry(s: string, now: number): number {
  const d = parseDuration(s)
  if (d !== undefined && d > 0) return now + d
  const t = Date.parse(s)
  if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}/.test(s)) return t
  throw new KeyInputError(`expires must be a duration like 30d or 12h, or a date like 2027-01-31 (got ${JSON.stringify(s)})`)
}

function count(v: unknown, field: string): number | undefined {
  if (v === null || v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new KeyInputError(`${field} must be a whole number of at least 1 (got ${JSON.stringify(v)})`)
  return v
}

function checkGroup(cfg: Config, group: string): void {
  const groups = Object.keys(cfg.auth?.groups ?? { default: 1 })
  if (!groups.includes(group)) throw new KeyInputError(`group ${JSON.stringify(group)} is not defined in auth.groups (defined: ${groups.join(', ')})`)
}

function checkModels(v: unknown): string[] | undefined {
  if (v === null || v === undefined) return undefined
  if (!Array.isArray(v) || v.length === 0 || v.some((m) => typeof m !== 'string' || m === '' || m.length > 200))
    throw new KeyInputError('models must be a non-empty list of model names or globs')
  return v as string[]
}

/** The fields of a spec as a patch (only those given; null clears). */
export function specToPatch(cfg: Config, s: KeySpec, now: number): KeyPatch {
  const p: KeyPatch = {}
  if (s.group !== undefined) {
    checkGroup(cfg, s.group)
    p.group = s.group
  }
  if (s.models !== undefined) p.models = checkModels(s.models)
  if (s.rpm !== undefined) p.rpm = count(s.rpm, 'rpm')
  if (s.tpm !== undefined) p.tpm = count(s.tpm, 'tpm')
  if (s.max_concurrent !== undefined) p.max_concurrent = count(s.max_concurrent, 'max_concurrent')
  if (s.budget !== undefined) p.budget = s.budget === null ? undefined : parseBudget(s.budget)
  if (s.expires !== undefined) p.expiresAt = s.expires === null ? undefined : parseExpiry(s.expires, now)
  if (s.disabled !== undefined) {
    if (typeof s.disabled !== 'boolean') throw new KeyInputError('disabled must be true or false')
    p.disabled = s.disabled
  }
  return p
}

/** Creates a key; returns the key itself, which is never stored and never shown again. */
export async function createKey(store: KeyStore, cfg: Config, s: KeySpec, now: number): Promise<{ key: string; record: VirtualKey }> {
  if (!s.name || !NAME.test(s.name)) throw new KeyInputError('name must be 1-64 characters: letters, digits and . _ @ -, starting with a letter or digit')
  if (cfg.auth?.keys.some((k) => k.name === s.name)) throw new KeyInputError(`name ${s.name} is already used by a key in the config file`)
  const key = generateKey()
  const record: VirtualKey = {
    name: s.name,
    keySha256: sha256Hex(key),
    prefix: keyPrefix(key),
    group: 'default',
    disabled: false,
    createdAt: now,
    updatedAt: now,
    ...specToPatch(cfg, { group: 'default', ...s }, now),
  }
  await store.create(record)
  return { key, record }
}

/** A new secret for the same name, limits and spend; the old key stops working at once. */
export async function rotateKey(store: KeyStore, name: string, now: number): Promise<{ key: string; record: VirtualKey } | undefined> {
  const key = generateKey()
  const record = await store.update(name, { keySha256: sha256Hex(key), prefix: keyPrefix(key) }, now)
  return record ? { key, record } : undefined
}

/** The key as shown, with what it spent in its budget period (this month without a budget). */
export async function showKey(store: KeyStore, k: VirtualKey, now: number): Promise<Record<string, unknown>> {
  const since = periodStart(now, k.budget?.per ?? 'month')
  const spent = await store.spentSince(k.name, since)
  return describeKey(k, now, Math.round(spent * 1e6) / 1e6)
}
