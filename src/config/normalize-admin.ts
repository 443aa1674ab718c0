// `admin:` → AdminConfig: each entry one of key / key_sha256 (hashes lower-cased), names
// defaulted, duplicates refused. That no admin key is also a client key is checked in
// resolve.ts, once LLM_PROXY_API_KEY has added its client key. Pure.
import { sha256Hex } from '../auth/hash-key'
import { formatPath } from './key-path'
import type { AdminFile } from './schema'
import type { AdminConfig, AdminKeyConfig, AuthConfig } from './types'

export function normalizeAdmin(admin: AdminFile, problems: string[]): AdminConfig {
  const keys: AdminKeyConfig[] = []
  const seen = new Map<string, number>()
  let empty = 0
  admin.keys.forEach((k, i) => {
    const path = ['admin', 'keys', i]
    // an empty key (an unset `${VAR:-}`) disables its entry, as for client keys
    if (k.key === '' && k.key_sha256 === undefined) return void empty++
    if ((k.key === undefined) === (k.key_sha256 === undefined)) return void problems.push(`${formatPath(path)}: needs exactly one of key or key_sha256`)
    if (k.key !== undefined && k.key.length < 16) return void problems.push(`${formatPath([...path, 'key'])}: an admin key needs at least 16 characters`)
    const hash = adminKeyHash({ key: k.key, key_sha256: k.key_sha256?.toLowerCase(), name: '' })
    const dup = seen.get(hash)
    if (dup !== undefined) problems.push(`${formatPath(path)}: same key as ${formatPath(['admin', 'keys', dup])}`)
    seen.set(hash, i)
    keys.push({ ...(k.key !== undefined ? { key: k.key } : { key_sha256: k.key_sha256!.toLowerCase() }), name: k.name ?? `admin-${i + 1}` })
  })
  if (empty === admin.keys.length) problems.push('admin.keys: every entry is empty (an unset ${VAR:-}?): no one could log in; remove admin: to turn the admin API off')
  return { keys }
}

export const adminKeyHash = (k: AdminKeyConfig): string => (k.key !== undefined ? sha256Hex(k.key) : k.key_sha256!)

/** An admin key must never open the model endpoints, nor a client key the admin API. */
export function checkAdminApart(admin: AdminConfig, auth: AuthConfig | undefined, problems: string[]): void {
  const client = new Set((auth?.keys ?? []).map((k) => (k.key !== undefined ? sha256Hex(k.key) : k.key_sha256!.toLowerCase())))
  admin.keys.forEach((k, i) => {
    if (client.has(adminKeyHash(k))) problems.push(`${formatPath(['admin', 'keys', i])}: is also a client key (auth.keys or LLM_PROXY_API_KEY); an admin key must be a key of its own`)
  })
}
