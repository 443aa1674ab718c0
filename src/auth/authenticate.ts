// Static client keys → principals. The index is built once per config; a lookup hashes the
// presented key, finds the candidate by hash and confirms it with a constant-time compare.
import crypto from 'node:crypto'
import type { AuthConfig } from '../config/types'
import { GatewayError } from '../errors'
import { ACCEPTED_KEY_SOURCES } from './extract-key'
import { sha256 } from './hash-key'
import { groupConfigOf, type Principal } from './principal'

interface KeyEntry {
  digest: Buffer
  principal: Principal
}

export interface KeyIndex {
  /** hex SHA-256 → entry */
  byHash: Map<string, KeyEntry>
}

const HEX64 = /^[0-9a-f]{64}$/i

/** Throws a plain Error on a config the validator should have refused (no key, bad hash, unknown group). */
export function buildKeyIndex(auth: AuthConfig | undefined): KeyIndex {
  const byHash = new Map<string, KeyEntry>()
  for (const [i, key] of (auth?.keys ?? []).entries()) {
    const where = `auth.keys[${i}] (${key.name})`
    let digest: Buffer
    if (key.key) digest = sha256(key.key)
    else if (key.key_sha256 && HEX64.test(key.key_sha256)) digest = Buffer.from(key.key_sha256, 'hex')
    else throw new Error(`${where}: needs key or key_sha256 (64 hex characters)`)
    const groupConfig = groupConfigOf(auth, key.group)
    if (!groupConfig) throw new Error(`${where}: group ${key.group} is not defined in auth.groups`)
    // one principal object per key, reused by every request (limit scopes are cached on it)
    byHash.set(digest.toString('hex'), { digest, principal: { name: key.name, group: key.group, key, groupConfig } })
  }
  return { byHash }
}

/** The principal of a static key, or undefined when no configured key matches. */
export function lookupKey(index: KeyIndex, presented: string): Principal | undefined {
  const digest = sha256(presented)
  const entry = index.byHash.get(digest.toString('hex'))
  if (!entry || !crypto.timingSafeEqual(digest, entry.digest)) return undefined
  return entry.principal
}

/** 401 for a missing or unknown key; the message never echoes the key. */
export const invalidKeyError = (missing: boolean): GatewayError =>
  new GatewayError(
    401,
    missing
      ? `missing API key: send your llm-proxy key as ${ACCEPTED_KEY_SOURCES}`
      : `invalid API key: the key sent is not a valid llm-proxy key (accepted as ${ACCEPTED_KEY_SOURCES})`,
    { code: 'invalid_api_key', retryable: false },
  )

/** A static-key check: the key's principal or a 401. */
export function authenticateKey(index: KeyIndex, presented: string | undefined): Principal {
  if (!presented) throw invalidKeyError(true)
  const p = lookupKey(index, presented)
  if (!p) throw invalidKeyError(false)
  return p
}
