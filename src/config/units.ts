// Durations ("250ms", "30s", "5m", "1h", "7d") and sizes ("512KiB", "10MB", "32MiB") as written in
// config files; plain numbers are milliseconds / bytes. The schema reuses the patterns below so
// validation and parsing can never disagree.

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const SIZE_UNITS: Record<string, number> = {
  B: 1,
  KB: 1_000,
  MB: 1_000_000,
  GB: 1_000_000_000,
  KiB: 1_024,
  MiB: 1_048_576,
  GiB: 1_073_741_824,
}

export const DURATION_PATTERN = '^\\d+(?:\\.\\d+)?\\s*(?:ms|s|m|h|d)$'
export const SIZE_PATTERN = '^\\d+(?:\\.\\d+)?\\s*(?:B|KB|MB|GB|KiB|MiB|GiB)$'

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/

/** Milliseconds, or undefined when the value is not a duration. */
export function parseDuration(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined
  const m = DURATION_RE.exec(v.trim())
  return m ? Math.round(Number(m[1]) * DURATION_UNITS[m[2]]) : undefined
}

/** Bytes, or undefined when the value is not a size. */
export function parseSize(v: string | number): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined
  const m = SIZE_RE.exec(v.trim())
  return m ? Math.floor(Number(m[1]) * SIZE_UNITS[m[2]]) : undefined
}

/** For values the schema already accepted: a failure here is a bug, not a user error. */
export function durationMs(v: string | number): number {
  const ms = parseDuration(v)
  if (ms === undefined) throw new Error(`not a duration: ${v}`)
  return ms
}

export function sizeBytes(v: string | number): number {
  const b = parseSize(v)
  if (b === undefined) throw new Error(`not a size: ${v}`)
  return b
}
