// Lenient readers for wire JSON, shared by every dialect: machines talk here, so wrong types are
// skipped, not fatal. Each folder's wire.ts re-exports these and adds what only it needs.

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

/** a JSON string literal of `s` without its quotes: safe to splice into hand-built JSON */
export const jsonStringBody = (s: string): string => JSON.stringify(s).slice(1, -1)

/** tool arguments text → an object ("" means {}; invalid JSON or a non-object → {}) */
export function argumentsObject(json: string): Json {
  if (json.length === 0) return {}
  try {
    const v = JSON.parse(json) as unknown
    return isObject(v) ? v : {}
  } catch {
    return {}
  }
}

export function hasKeys(o: Json | undefined): o is Json {
  if (!o) return false
  for (const _ in o) return true
  return false
}
