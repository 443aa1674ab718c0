// Strict readers for the client's request: a wrong type is a 400 that names the field.
import { badRequest } from '../../errors'
import { isObject, type Json } from './wire'

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

export const wrongType = (field: string, expected: string, v: unknown) =>
  badRequest(`Invalid type for '${field}': expected ${expected}, but got ${typeName(v)}.`, field)

export function optNumber(body: Json, key: string, field = key): number | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(field, 'a number', v)
  return v
}

export function optInteger(body: Json, key: string, field = key): number | undefined {
  const v = optNumber(body, key, field)
  if (v !== undefined && !Number.isInteger(v)) throw wrongType(field, 'an integer', v)
  return v
}

export function optString(body: Json, key: string, field = key): string | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw wrongType(field, 'a string', v)
  return v
}

export function optBoolean(body: Json, key: string, field = key): boolean | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw wrongType(field, 'a boolean', v)
  return v
}

export function optObject(body: Json, key: string, field = key): Json | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) throw wrongType(field, 'an object', v)
  return v
}

export function optArray(body: Json, key: string, field = key): unknown[] | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw wrongType(field, 'an array', v)
  return v
}

export function needObject(v: unknown, field: string): Json {
  if (!isObject(v)) throw wrongType(field, 'an object', v)
  return v
}

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
