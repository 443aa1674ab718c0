// Strict readers for a client's request, shared by every front door: a known field of the wrong
// type is a 400 that names it. Only the wording differs per dialect (each says it the way its own
// API does), so a dialect passes its `wrongType` and gets the readers.
import type { CanonRequest } from '../canonical/request'
import type { GatewayError } from '../errors'
import { isObject, type Json } from './wire-json'

export type Kind = 'number' | 'integer' | 'string' | 'boolean' | 'object' | 'list'

/** the dialect's 400 for a value of the wrong kind */
export type WrongType = (field: string, kind: Kind, value: unknown) => GatewayError

/** the plain wording of each kind (Chat, Responses and Gemini say it this way; a dialect may override) */
export const PLAIN_EXPECTED: Record<Kind, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'a boolean',
  object: 'an object',
  list: 'a list',
}

export const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)

const IS: Record<Exclude<Kind, 'integer'>, (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  object: isObject,
  list: Array.isArray,
}

/** value readers: undefined when absent or null, the value when of its kind, else the dialect's 400 */
export function valueReaders(wrong: WrongType) {
  const check =
    <T>(kind: Exclude<Kind, 'integer'>) =>
    (v: unknown, field: string): T | undefined => {
      if (v === undefined || v === null) return undefined
      if (!IS[kind](v)) throw wrong(field, kind, v)
      return v as T
    }
  const number = check<number>('number')
  return {
    number,
    /** a number first (that error if not), then an integer */
    integer(v: unknown, field: string): number | undefined {
      const n = number(v, field)
      if (n !== undefined && !Number.isInteger(n)) throw wrong(field, 'integer', n)
      return n
    },
    string: check<string>('string'),
    boolean: check<boolean>('boolean'),
    object: check<Json>('object'),
    list: check<unknown[]>('list'),
    /** present and an object */
    needObject(v: unknown, field: string): Json {
      if (!isObject(v)) throw wrong(field, 'object', v)
      return v
    },
  }
}

export type ValueReaders = ReturnType<typeof valueReaders>

/** readers of `body[key]`, reported under `field` (the key unless a path is given) */
export function keyedReaders(r: ValueReaders) {
  const at =
    <T>(read: (v: unknown, field: string) => T | undefined) =>
    (body: Json, key: string, field = key): T | undefined =>
      read(body[key], field)
  return {
    optNumber: at(r.number),
    optInteger: at(r.integer),
    optString: at(r.string),
    optBoolean: at(r.boolean),
    optObject: at(r.object),
    optArray: at(r.list),
    needObject: r.needObject,
  }
}

type NumericField = 'maxOutputTokens' | 'temperature' | 'topP' | 'topK' | 'seed' | 'presencePenalty' | 'frequencyPenalty' | 'n'

/** [wire key, canonical field, kind]: the first key present sets a field (later aliases are not read) */
export type NumericSpec = readonly [key: string, field: NumericField, kind: 'number' | 'integer']

/** numeric sampling fields by table, in order (so the first bad one is the one reported) */
export function readNumbers(body: Json, req: CanonRequest, r: Pick<ReturnType<typeof keyedReaders>, 'optNumber' | 'optInteger'>, specs: readonly NumericSpec[]): void {
  for (const [key, field, kind] of specs) {
    if (req[field] !== undefined) continue
    const v = kind === 'integer' ? r.optInteger(body, key) : r.optNumber(body, key)
    if (v !== undefined) req[field] = v
  }
}
