// Strict readers for a Gemini client's request: a known field of the wrong type is a 400 that
// names it (Google's own errors say `Invalid value at '<field>'`). camelCase and snake_case
// names are both accepted (proto3 JSON).
import { badRequest } from '../../errors'
import { field, isObject, type Json } from './wire'

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

export const wrongType = (name: string, expected: string, v: unknown) =>
  badRequest(`Invalid value at '${name}' (${expected} expected, got ${typeName(v)})`, name)

function read(o: Json, camel: string, snake: string): unknown {
  const v = field(o, camel, snake)
  return v === null ? undefined : v
}

export function optNumber(o: Json, camel: string, snake = camel, path = camel): number | undefined {
  const v = read(o, camel, snake)
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw wrongType(path, 'a number', v)
  return v
}

export function optString(o: Json, camel: string, snake = camel, path = camel): string | undefined {
  const v = read(o, camel, snake)
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw wrongType(path, 'a string', v)
  return v
}

export function optBoolean(o: Json, camel: string, snake = camel, path = camel): boolean | undefined {
  const v = read(o, camel, snake)
  if (v === undefined) return undefined
  if (typeof v !== 'boolean') throw wrongType(path, 'a boolean', v)
  return v
}

export function optObject(o: Json, camel: string, snake = camel, path = camel): Json | undefined {
  const v = read(o, camel, snake)
  if (v === undefined) return undefined
  if (!isObject(v)) throw wrongType(path, 'an object', v)
  return v
}

export function optArray(o: Json, camel: string, snake = camel, path = camel): unknown[] | undefined {
  const v = read(o, camel, snake)
  if (v === undefined) return undefined
  if (!Array.isArray(v)) throw wrongType(path, 'a list', v)
  return v
}

export function needObject(v: unknown, path: string): Json {
  if (!isObject(v)) throw wrongType(path, 'an object', v)
  return v
}
