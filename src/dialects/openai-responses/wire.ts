// Lenient readers for wire JSON: machines talk here, so wrong types are skipped, not fatal.

export type Json = Record<string, unknown>

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
