// What every importer returns: our config file as a plain tree, and notes on what could not be
// carried over (each attached, where it has one, to the output key it concerns).
import type { PathSegment } from '../../config/key-path'

export interface Note {
  /** output key path the note sits above; absent: at the top of the file */
  at?: PathSegment[]
  text: string
}

export interface Imported {
  file: Record<string, any>
  notes: Note[]
}

/** The input could not be read as this source's format: exit 2. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ImportError'
  }
}

export const isMap = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** A provider name we accept (no "/", ":" or spaces). */
export const safeName = (s: string): string => s.trim().replace(/[/:\s]+/g, '-').replace(/^-+|-+$/g, '') || 'provider'

/** A name not yet in `taken`: name, name-2, name-3… */
export function uniqueName(name: string, taken: { has(n: string): boolean }): string {
  if (!taken.has(name)) return name
  for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`
}

/** Seconds (as Python proxies write timeouts) → our duration string. */
export const seconds = (v: unknown): string | undefined =>
  typeof v === 'number' && v >= 0 ? `${v}s` : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v) ? `${v}s` : undefined

/** A value shown in a note, short and never a secret. */
export function shown(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}

/** host name of a URL → a provider name: api.openai.com → openai, localhost:11434 → localhost-11434 */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url)
    const parts = u.hostname.split('.').filter((p) => !['api', 'www', 'com', 'ai', 'io', 'org', 'net', 'dev', 'co'].includes(p))
    const base = u.hostname === 'localhost' || /^[\d.]+$/.test(u.hostname) ? 'local' : (parts[parts.length - 1] ?? u.hostname)
    return safeName(u.port ? `${base}-${u.port}` : base)
  } catch {
    return 'provider'
  }
}

/** A note for each key of `obj` this importer does not handle: "`prefix`k not carried over: why". */
export function noteUnknown(notes: Note[], obj: Record<string, unknown>, handled: readonly string[], prefix: string, why: (k: string) => string = () => 'unknown to this importer'): void {
  for (const k of Object.keys(obj)) if (!handled.includes(k)) notes.push({ text: `${prefix}${k} not carried over: ${why(k)}` })
}
