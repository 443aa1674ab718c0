// Secret redaction for anything we write out (log lines, metric labels). Secrets are registered
// once (config load registers upstream and client keys); every scan is one combined regex pass.

export const REDACTED = '[REDACTED]'

/** Shorter strings would hit ordinary words; real keys are far longer. */
export const MIN_SECRET_LENGTH = 8

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A key this long is masked by providers as a prefix + a run of `*`, `…` or `...` + its last 4. */
const MIN_MASKABLE = 16

/** the masked forms a provider echoes (`sk-…3456`, `sk-proj-****3456`), as a bounded pattern */
function maskedForm(secret: string, ellipsis: string): string {
  return `${escape(secret.slice(0, 2))}[A-Za-z0-9_-]{0,24}(?:\\*{2,64}|${ellipsis}|\\.{3})${escape(secret.slice(-4))}`
}

/** One alternation, longest first so a key that contains another key is replaced whole, then
 *  the masked forms of the longer keys. `latin1`: the pattern for text decoded byte per char. */
export function compileSecrets(secrets: Iterable<string>, latin1 = false): RegExp | null {
  const list = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
  if (list.length === 0) return null
  list.sort((a, b) => b.length - a.length)
  const masks = list.filter((s) => s.length >= MIN_MASKABLE).map((s) => maskedForm(s, latin1 ? '\\xE2\\x80\\xA6' : '…'))
  return new RegExp([...list.map(escape), ...masks].join('|'), 'g')
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

/** a secret that is no longer used anywhere (a rotated short-lived token) stops costing every scan */
export function forgetSecret(secret: string | undefined): void {
  if (secret && registry.delete(secret)) dirty = true
}

/** For tests and full reloads. */
export function clearSecrets(): void {
  registry.clear()
  registryRe = null
  registryLatin1 = null
  registryList = []
  registryAnchors = []
  registryFirstBytes = new Set()
  registered = undefined
  dirty = false
}

let registryLatin1: RegExp | null = null
let registryList: readonly string[] = []
/** each secret's first two bytes (every secret and masked form starts with them), and first byte */
let registryAnchors: readonly Buffer[] = []
let registryFirstBytes: ReadonlySet<number> = new Set()

function refresh(): void {
  if (!dirty) return
  registryRe = compileSecrets(registry)
  registryLatin1 = compileSecrets(registry, true)
  registryList = [...registry]
  registryAnchors = [...new Set(registryList.map((k) => k.slice(0, 2)))].map((a) => Buffer.from(a, 'latin1'))
  registryFirstBytes = new Set(registryList.map((k) => k.charCodeAt(0)))
  registered = undefined
  dirty = false
}

/** Redacts every registered secret; returns `text` itself when there is nothing to do. */
export function redact(text: string): string {
  refresh()
  if (registryRe === null || text.length < MIN_SECRET_LENGTH) return text
  return text.replace(registryRe, REDACTED)
}

export interface RegisteredSecrets {
  list: readonly string[]
  /** the pattern over latin1 text (bytes as chars) */
  latin1: RegExp | null
  anchors: readonly Buffer[]
  firstBytes: ReadonlySet<number>
}

/** the last answer of registeredSecrets(), until the registry changes */
let registered: RegisteredSecrets | undefined

/** The registered secrets for redact-stream.ts (asked for on every streamed chunk: the same
 *  object until the registry changes, not a new one per call). */
export function registeredSecrets(): RegisteredSecrets {
  refresh()
  registered ??= { list: registryList, latin1: registryLatin1, anchors: registryAnchors, firstBytes: registryFirstBytes }
  return registered
}
