// The authenticator the runtime builds once per config: static keys first, then the external
// check when configured; no `auth:` means everyone is the anonymous principal.
import type { AuthConfig } from '../config/types'
import { authenticateKey, buildKeyIndex, invalidKeyError, lookupKey } from './authenticate'
import { createExternalCheck, type ExternalCheckDeps } from './external-check'
import { extractClientKey } from './extract-key'
import { anonymousPrincipal, type Principal } from './principal'
import { databaseKeyLookup } from './database-keys'
import type { KeyDirectory } from '../keys/key-directory'

export type { Principal } from './principal'
export type Authenticator = (headers: Headers, url: URL) => Promise<Principal>

export interface AuthenticatorDeps extends ExternalCheckDeps {
  /** keys created at runtime (`llm-proxy keys`, the admin API), checked after the config's */
  directory?: KeyDirectory
}

export function createAuthenticator(auth: AuthConfig | undefined, deps: AuthenticatorDeps = {}): Authenticator {
  if (!auth) {
    const anon = Promise.resolve(anonymousPrincipal())
    return () => anon
  }
  const index = buildKeyIndex(auth)
  const fromDb = deps.directory ? databaseKeyLookup(auth, deps.directory) : undefined
  if (!auth.check && !fromDb) return async (headers, url) => authenticateKey(index, extractClientKey(headers, url))
  const external = auth.check ? createExternalCheck(auth.check, auth.groups, deps) : undefined
  return async (headers, url) => {
    const key = extractClientKey(headers, url)
    if (!key) throw invalidKeyError(true)
    const p = lookupKey(index, key) ?? fromDb?.(key)
    if (p) return p
    if (external) return external(key)
    throw invalidKeyError(false)
  }
}
