// Strict readers for the client's request: a wrong type is a 400 that names the field, in the
// `<path>: <problem>` style of Anthropic's own validation errors.
import { badRequest } from '../../errors'
import { keyedReaders, typeName, valueReaders, type Kind } from '../validate'

const EXPECTED: Record<Kind, string> = {
  number: 'a valid number',
  integer: 'a valid integer',
  string: 'a valid string',
  boolean: 'a valid boolean',
  object: 'a valid object',
  list: 'a valid list',
}

export const wrongType = (field: string, expected: string, v: unknown) =>
  badRequest(`${field}: Input should be ${expected} (got ${typeName(v)})`, field)

export const missing = (field: string) => badRequest(`${field}: Field required`, field)

export const { optNumber, optInteger, optString, optBoolean, optObject, optArray, needObject } = keyedReaders(
  valueReaders((field, kind, v) => wrongType(field, EXPECTED[kind], v)),
)

export function needString(v: unknown, field: string): string {
  if (v === undefined || v === null) throw missing(field)
  if (typeof v !== 'string') throw wrongType(field, 'a valid string', v)
  return v
}
