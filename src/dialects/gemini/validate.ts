// Strict readers for a Gemini client's request: a known field of the wrong type is a 400 that
// names it (Google's own errors say `Invalid value at '<field>'`). camelCase and snake_case
// names are both accepted (proto3 JSON).
import { badRequest } from '../../errors'
import { PLAIN_EXPECTED, typeName, valueReaders } from '../validate'
import { field, type Json } from './wire'


export const wrongType = (name: string, expected: string, v: unknown) =>
  badRequest(`Invalid value at '${name}' (${expected} expected, got ${typeName(v)})`, name)

const r = valueReaders((path, kind, v) => wrongType(path, PLAIN_EXPECTED[kind], v))

/** readers of o[camel] ?? o[snake], reported under `path` */
const at =
  <T>(read: (v: unknown, path: string) => T | undefined) =>
  (o: Json, camel: string, snake = camel, path = camel): T | undefined =>
    read(field(o, camel, snake), path)

export const optNumber = at(r.number)
export const optString = at(r.string)
export const optBoolean = at(r.boolean)
export const optObject = at(r.object)
export const optArray = at(r.list)
export const needObject = r.needObject
