// Database keys as principals: the directory holds what the store says; this decides, per request,
// whether a key may pass (active, not expired, its group still configured) and caches one
// principal object per key version, as config keys have (limit scopes are cached on it).
import type { AuthConfig } from '../config/types'
import { GatewayError } from '../errors'
import type { KeyDirectory } from '../keys/key-directory'
import { keyStatus, toKeyConfig, type VirtualKey } from '../keys/virtual-key'
import { sha256Hex } from './hash-key'
import { groupConfigOf, type Principal } from './principal'

const refused = (message: string) => new GatewayError(401, message, { code: 'invalid_api_key', retryable: false })

export function databaseKeyLookup(auth: AuthConfig, directory: KeyDirectory, now: () => number = Date.now): (presented: string) => Principal | undefined {
  const principals = new WeakMap<VirtualKey, Principal>()
  return (presented) => {
    const k = directory.byHash(sha256Hex(presented))
    if (!k) return undefined
    const status = keyStatus(k, now())
    if (status === 'disabled') throw refused(`this llm-proxy key (${k.name}) is disabled; ask the operator to enable it`)
    if (status === 'expired') throw refused(`this llm-proxy key (${k.name}) expired at ${new Date(k.expiresAt!).toISOString()}`)
    let p = principals.get(k)
    if (!p) {
      const groupConfig = groupConfigOf(auth, k.group)
      if (!groupConfig) throw refused(`this llm-proxy key (${k.name}) belongs to group ${k.group}, which the config no longer defines`)
      p = { name: k.name, group: k.group, key: toKeyConfig(k), groupConfig, ...(k.models && { keyModels: k.models }) }
      principals.set(k, p)
    }
    return p
  }
}
