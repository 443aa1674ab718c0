// Environment values are strings: `port: ${PORT}` must still be a number. Where the schema wants
// a number or a boolean, a numeric string or "true"/"false" becomes one; nothing else changes
// (no wrapping of scalars into lists, no number → string), so type errors stay visible. Pure.
import type { TSchema } from '@sinclair/typebox'

const NUMERIC = /^-?\d+(?:\.\d+)?$/

export function coerceScalars(schema: TSchema, value: unknown): unknown {
  if (typeof value === 'string') return coerceString(schema, value)
  if (Array.isArray(value)) {
    const items = pick(schema, 'array')?.items as TSchema | undefined
    return items ? value.map((v) => coerceScalars(items, v)) : value
  }
  if (value !== null && typeof value === 'object') {
    const s = pick(schema, 'object')
    if (!s) return value
    const props = (s.properties ?? {}) as Record<string, TSchema>
    const pattern = Object.values(s.patternProperties ?? {})[0] as TSchema | undefined
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const child = props[k] ?? pattern
      out[k] = child ? coerceScalars(child, v) : v
    }
    return out
  }
  return value
}

/** The schema itself, or the union variant, of this JSON type. */
function pick(schema: TSchema, type: string): TSchema | undefined {
  if (schema.type === type) return schema
  return (schema.anyOf as TSchema[] | undefined)?.find((s) => s.type === type)
}

function coerceString(schema: TSchema, s: string): unknown {
  const variants = (schema.anyOf as TSchema[] | undefined) ?? [schema]
  if (variants.some((v) => v.type === 'string' && v.pattern === undefined && v.const === undefined)) return s
  if (NUMERIC.test(s) && variants.some((v) => v.type === 'number' || v.type === 'integer')) return Number(s)
  if ((s === 'true' || s === 'false') && variants.some((v) => v.type === 'boolean')) return s === 'true'
  return s
}
