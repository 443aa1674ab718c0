// The authenticator the runtime builds once per config: static keys first, then the external
// check when configured; no `auth:` means everyone is the anonymous principal.
import type { AuthConfig } from '../config/types'
import { authenticateKey, buildKeyIndex, invalidKeyError, lookupKey } from './authenticate'
import { createExternalCheck, type ExternalCheckDeps } from './external-check'
import { extractClientKey } from './extract-key'
import { anonymousPrincipal, type Principal } from './principal'

export type { Principal } from './principal'
export type Authenticator = (headers: Headers, url: URL) => Promise<Principal>

export function createAuthenticator(auth: AuthConfig | undefined, deps: ExternalCheckDeps = {}): Authenticator {
  if (!auth) {
    const anon = Promise.resolve(anonymousPrincipal())
    return () => anon
  }
  const index = buildKeyIndex(auth)
  if (!auth.check) return async (headers, url) => authenticateKey(index, extractClientKey(headers, url))
  const external = createExternalCheck(auth.check, auth.groups, deps)
  return async (headers, url) => {
    const key = extractClientKey(headers, url)
    if (!key) throw invalidKeyError(true)
    return lookupKey(index, key) ?? external(key)
  }
}
