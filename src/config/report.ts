// TypeBox validation errors → one readable line each: `path.to.key: what is wrong (got X)`,
// with "did you mean" for unknown keys and enum values. Every problem at once, one per key.
import type { TSchema } from '@sinclair/typebox'
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value'
import { formatPath, pointerToSegments, type PathSegment } from './key-path'
import { isSecretKey, maskSecret } from './mask'

/** Problems of `value` against `schema`; `prefix` is prepended to every path (e.g. ["--routes"]). */
export function reportErrors(schema: TSchema, value: unknown, prefix: PathSegment[] = []): string[] {
  const byPath = new Map<string, string>()
  const visit = (e: ValueError) => {
    if (e.type === ValueErrorType.Union) {
      const nested = variantErrors(e)
      if (nested) return nested.forEach(visit)
    }
    const segments = pointerToSegments(e.path, value)
    const path = formatPath([...prefix, ...segments])
    if (!byPath.has(path)) byPath.set(path, `${path}: ${describe(e, segments)}`)
  }
  for (const e of Value.Errors(schema, value)) visit(e)
  return [...byPath.values()]
}

/** For a union like `string | {model, weight}` given an object, the object variant's own errors. */
function variantErrors(e: ValueError): ValueError[] | undefined {
  const variants = (e.schema.anyOf ?? []) as TSchema[]
  const kind = jsonType(e.value)
  const i = variants.findIndex((s) => s.type === kind || (kind === 'number' && s.type === 'integer'))
  if (i < 0 || variants[i].type === 'string' || variants[i].type === 'number' || variants[i].type === 'integer') return
  const errors = [...e.errors[i]]
  return errors.length ? errors : undefined
}

function describe(e: ValueError, segments: PathSegment[]): string {
  const s = e.schema
  const got = ` (got ${show(e.value, segments[segments.length - 1])})`
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties: {
      const key = String(segments[segments.length - 1])
      const allowed = Object.keys(s.properties ?? {})
      const hint = didYouMean(key, allowed)
      return `unknown key${hint ? ` (did you mean "${hint}"?)` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`
    }
    case ValueErrorType.ObjectRequiredProperty: {
      const literals = enumValues(s)
      return `is required${literals ? ` (one of ${literals.join(' | ')})` : ''}`
    }
    case ValueErrorType.Union: {
      const literals = enumValues(s)
      if (literals) {
        const hint = typeof e.value === 'string' ? didYouMean(e.value, literals) : undefined
        return `expected one of ${literals.join(' | ')}${got}${hint ? `; did you mean "${hint}"?` : ''}`
      }
      return `expected ${s.description ?? 'a different value'}${got}`
    }
    case ValueErrorType.StringPattern:
      return `expected ${s.description ?? `a string matching ${s.pattern}`}${got}`
    case ValueErrorType.StringMinLength:
      return `must not be empty`
    case ValueErrorType.ArrayMinItems:
      return `needs at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be at least ${s.minimum}${got}`
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be at most ${s.maximum}${got}`
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
      return `must be greater than ${s.exclusiveMinimum}${got}`
    case ValueErrorType.Literal:
      return `expected ${JSON.stringify(s.const)}${got}`
    case ValueErrorType.String:
    case ValueErrorType.Number:
    case ValueErrorType.Integer:
    case ValueErrorType.Boolean:
    case ValueErrorType.Array:
    case ValueErrorType.Object:
      return `expected ${TYPE_NAMES[s.type as string] ?? s.type}${got}`
    default:
      return `${e.message}${got}`
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
}

function enumValues(s: TSchema): string[] | undefined {
  const variants = s.anyOf as TSchema[] | undefined
  if (!variants?.length || !variants.every((v) => typeof v.const === 'string')) return
  return variants.map((v) => v.const as string)
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v

/** The value as the user wrote it, short; secrets masked. */
export function show(v: unknown, key?: PathSegment): string {
  if (v === undefined) return 'nothing'
  if (typeof v === 'string') {
    const s = key !== undefined && isSecretKey(key) ? maskSecret(v) : v
    return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s)
  }
  if (Array.isArray(v)) return 'a list'
  if (v !== null && typeof v === 'object') return 'a mapping'
  return String(v)
}

/** The closest candidate within a small edit distance, for typos. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const max = Math.max(1, Math.floor(word.length / 3))
  let best: string | undefined
  let bestD = max + 1
  const w = word.toLowerCase()
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase())
    if (d < bestD) {
      best = c
      bestD = d
    }
  }
  return best
}

/** Levenshtein distance, with adjacent transpositions counting as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) rows.push([i])
  for (let j = 1; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1)
      rows[i][j] = d
    }
  }
  return rows[a.length][b.length]
}

/** `unknown provider "opena" (did you mean "openai"?)`, or the list of known names. */
export function unknownName(what: string, name: string, known: readonly string[]): string {
  const hint = didYouMean(name, known)
  if (hint) return `unknown ${what} "${name}" (did you mean "${hint}"?)`
  return `unknown ${what} "${name}" (${known.length ? `configured: ${known.join(', ')}` : `no ${what}s are configured`})`
}
