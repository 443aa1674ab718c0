// A client key kept in the database (created with `llm-proxy keys` or the admin API) rather than
// in the config file. Only its SHA-256 is stored; the key itself is shown once, at creation.
import type { Budget, KeyConfig } from '../config/types'

export interface VirtualKey {
  name: string
  /** hex SHA-256 of the key */
  keySha256: string
  /** the first characters of the key, to recognise it in listings ("sk-llmp-Ab3d…") */
  prefix: string
  group: string
  /** model globs this key may use, narrowing its group's; undefined: the group's */
  models?: string[]
  rpm?: number
  tpm?: number
  max_concurrent?: number
  budget?: Budget
  /** epoch ms; undefined: never expires */
  expiresAt?: number
  disabled: boolean
  createdAt: number
  updatedAt: number
}

/** What may be changed after creation (the key itself changes only by rotation). */
export type KeyPatch = Partial<Pick<VirtualKey, 'group' | 'models' | 'rpm' | 'tpm' | 'max_concurrent' | 'budget' | 'expiresAt' | 'disabled'>>

/** The KeyConfig the limiter and authorizer already understand. */
export function toKeyConfig(k: VirtualKey): KeyConfig {
  return {
    key_sha256: k.keySha256,
    name: k.name,
    group: k.group,
    ...(k.rpm !== undefined && { rpm: k.rpm }),
    ...(k.tpm !== undefined && { tpm: k.tpm }),
    ...(k.max_concurrent !== undefined && { max_concurrent: k.max_concurrent }),
    ...(k.budget !== undefined && { budget: k.budget }),
  }
}

/** The JSON the CLI and the admin API show: never the hash's full value, never the key. */
export function describeKey(k: VirtualKey, now: number, spentUsd?: number): Record<string, unknown> {
  return {
    name: k.name,
    prefix: k.prefix,
    group: k.group,
    models: k.models ?? null,
    rpm: k.rpm ?? null,
    tpm: k.tpm ?? null,
    max_concurrent: k.max_concurrent ?? null,
    budget: k.budget ? `${k.budget.usd}/${k.budget.per}` : null,
    spent_usd: spentUsd ?? null,
    expires_at: k.expiresAt !== undefined ? new Date(k.expiresAt).toISOString() : null,
    status: keyStatus(k, now),
    created_at: new Date(k.createdAt).toISOString(),
    updated_at: new Date(k.updatedAt).toISOString(),
  }
}

export const keyStatus = (k: VirtualKey, now: number): 'active' | 'disabled' | 'expired' =>
  k.disabled ? 'disabled' : k.expiresAt !== undefined && k.expiresAt <= now ? 'expired' : 'active'

const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** "sk-llmp-" + 40 base62 characters from the CSPRNG (~238 bits) */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(64))
  let s = 'sk-llmp-'
  // rejection sampling keeps every character equally likely
  for (let i = 0; i < bytes.length && s.length < 48; i++) if (bytes[i] < 248) s += KEY_CHARS[bytes[i] % 62]
  return s.length === 48 ? s : generateKey()
}

export const keyPrefix = (key: string): string => key.slice(0, 12) + '…'
