// Strict readers for the client's request: a wrong type is a 400 that names the field, in the
// `<path>: <problem>` style of Anthropic's own validation errors.
import { badRequest } from '../../errors'
import { isObject, type Json } from './wire'

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

export const wrongType = (field: string, expected: string, v: unknown) =>
  badRequest(`${field}: Input should be ${expected} (got ${typeName(v)})`, field)

export const missing = (field: string) => badRequest(`${field}: Field required`, field)

export function optNumber(body: Json, key: string, field = key): number | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(field, 'a valid number', v)
  return v
}

export function optInteger(body: Json, key: string, field = key): number | undefined {
  const v = optNumber(body, key, field)
  if (v !== undefined && !Number.isInteger(v)) throw wrongType(field, 'a valid integer', v)
  return v
}

export function optString(body: Json, key: string, field = key): string | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw wrongType(field, 'a valid string', v)
  return v
}

export function optBoolean(body: Json, key: string, field = key): boolean | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw wrongType(field, 'a valid boolean', v)
  return v
}

export function optObject(body: Json, key: string, field = key): Json | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) throw wrongType(field, 'a valid object', v)
  return v
}

export function optArray(body: Json, key: string, field = key): unknown[] | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw wrongType(field, 'a valid list', v)
  return v
}

export function needObject(v: unknown, field: string): Json {
  if (!isObject(v)) throw wrongType(field, 'a valid object', v)
  return v
}

export function needString(v: unknown, field: string): string {
  if (v === undefined || v === null) throw missing(field)
  if (typeof v !== 'string') throw wrongType(field, 'a valid string', v)
  return v
}
