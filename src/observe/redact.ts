// Secret redaction for anything we write out (log lines, metric labels). Secrets are registered
// once (config load registers upstream and client keys); every scan is one combined regex pass.

export const REDACTED = '[REDACTED]'

/** Shorter strings would hit ordinary words; real keys are far longer. */
export const MIN_SECRET_LENGTH = 8

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** One alternation, longest first so a key that contains another key is replaced whole. */
export function compileSecrets(secrets: Iterable<string>): RegExp | null {
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
  if (list.length === 0) return null
  list.sort((a, b) => b.length - a.length)
  return new RegExp(list.map(escape).join('|'), 'g')
}

const compiledLists = new WeakMap<readonly string[], RegExp | null>()

/** Replaces every occurrence of any of `secrets` in `text`. The compiled scan is cached per list. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0 || text.length < MIN_SECRET_LENGTH) return text
  let re = compiledLists.get(secrets)
  if (re === undefined) {
    re = compileSecrets(secrets)
    compiledLists.set(secrets, re)
  }
  return re === null ? text : text.replace(re, REDACTED)
}

// The process-wide registry the logger and metrics consult.
const registry = new Set<string>()
let registryRe: RegExp | null = null
let dirty = false

export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < MIN_SECRET_LENGTH || registry.has(secret)) return
  registry.add(secret)
  dirty = true
}

/** For tests and full reloads. */
export function clearSecrets(): void {
  registry.clear()
  registryRe = null
  dirty = false
}

/** Redacts every registered secret; returns `text` itself when there is nothing to do. */
export function redact(text: string): string {
  if (dirty) {
    registryRe = compileSecrets(registry)
    dirty = false
  }
  if (registryRe === null || text.length < MIN_SECRET_LENGTH) return text
  return text.replace(registryRe, REDACTED)
}
