// Strict readers for the client's request: a wrong type is a 400 that names the field.
import { badRequest } from '../../errors'
import { keyedReaders, PLAIN_EXPECTED, typeName, valueReaders, type Kind } from '../validate'
import type { Json } from './wire'

const EXPECTED: Record<Kind, string> = { ...PLAIN_EXPECTED, list: 'an array' }

export const wrongType = (field: string, expected: string, v: unknown) =>
  badRequest(`Invalid type for '${field}': expected ${expected}, but got ${typeName(v)}.`, field)

export const { optNumber, optInteger, optString, optBoolean, optObject, optArray, needObject } = keyedReaders(
  valueReaders((field, kind, v) => wrongType(field, EXPECTED[kind], v)),
)

export function oneOf<T extends string>(body: Json, key: string, allowed: readonly T[], field = key): T | undefined {
  const v = optString(body, key, field)
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v))
    throw badRequest(`Invalid value for '${field}': expected one of ${allowed.join(', ')}, but got '${v}'.`, field)
  return v as T
}

/** `safety_identifier` (or the older `user`) and the string values of `metadata`: the same in Chat and Responses */
export function readUserAndMetadata(body: Json, req: { user?: string; metadata?: Record<string, string> }): void {
  const user = optString(body, 'safety_identifier') ?? optString(body, 'user')
  if (user) req.user = user
  const metadata = optObject(body, 'metadata')
  if (!metadata) return
  let kept: Record<string, string> | undefined
  for (const k in metadata) {
    const v = metadata[k]
    if (typeof v === 'string') (kept ??= {})[k] = v
  }
  if (kept) req.metadata = kept
}
