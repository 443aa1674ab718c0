// Lenient readers for wire JSON: machines talk here, so wrong types are skipped, not fatal.
// Gemini accepts proto (snake_case) names on input as well as camelCase: `field` reads both.

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** o[camel] ?? o[snake] (what a Gemini client may send; responses are always camelCase) */
export const field = (o: Json, camel: string, snake: string): unknown => (o[camel] !== undefined ? o[camel] : o[snake])

export function hasKeys(o: Json | undefined): o is Json {
  if (!o) return false
  for (const _ in o) return true
  return false
}
