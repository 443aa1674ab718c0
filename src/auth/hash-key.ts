// Keys are only ever handled as their SHA-256: for lookup, for cache keys, never logged raw.
import { createHash } from 'node:crypto'

export const sha256 = (key: string): Buffer => createHash('sha256').update(key).digest()

export const sha256Hex = (key: string): string => createHash('sha256').update(key).digest('hex')
