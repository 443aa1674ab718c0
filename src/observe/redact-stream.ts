// Redaction of a byte stream on its way to a client: an upstream that quotes the key it was sent
// (in an error event, mid-stream) must not hand it to the client. Works on bytes read as latin1
// (one char per byte: no decoder state, multi-byte characters pass untouched). A tail that could
// be the start of a key is held until the next piece, so a key split across network reads is
// still caught; a piece that needs nothing goes out as the same bytes.
import { REDACTED, registeredSecrets } from './redact'

/** the longest masked form (2 + 24 + 64 + 4, see redact.ts) */
const MASKED_MAX = 94
/** what a masked form is made of, in latin1 (… is E2 80 A6) */
const MASK_CHARS = /^[A-Za-z0-9_\-*.\xE2\x80\xA6]*$/

/** length of the longest suffix of `text` that could be the start of a secret or of a masked form */
function heldSuffix(text: string, secrets: readonly string[]): number {
  let k = 0
  for (const s of secrets) {
    if (s.length >= 16) {
      const at = text.lastIndexOf(s.slice(0, 2))
      if (at !== -1 && text.length - at <= MASKED_MAX && text.length - at > k && MASK_CHARS.test(text.slice(at))) k = text.length - at
      else if (text.endsWith(s[0]) && k === 0) k = 1
    }
    const first = s[0]
    for (let i = text.indexOf(first, Math.max(0, text.length - s.length + 1)); i !== -1; i = text.indexOf(first, i + 1)) {
      if (text.length - i <= k) break
      if (s.startsWith(text.slice(i))) {
        k = text.length - i
        break
      }
    }
  }
  return k
}

/** Buffer's native byte search, called on any Uint8Array (it reads the array's own bytes) */
const bufferIncludes = Buffer.prototype.includes as (this: Uint8Array, needle: Uint8Array) => boolean

/**
 * Any of `anchors` in `b`, searched on the array itself. The check this replaces wrapped `b` in a
 * Buffer through `b.buffer`, and reading `.buffer` of a small array made by TextEncoder (every
 * translated chunk) makes JSC move its bytes out of the GC heap into a new ArrayBuffer: 280 ns
 * a chunk against 25 ns (bench: 2,000 encoded Anthropic delta frames, one anchor); in the
 * translated lane with two keys registered, `get buffer` was 18 % of the CPU samples. Buffer's
 * search called on the array: 35 ns on a Responses delta frame, where a JS loop over
 * TypedArray#indexOf was 115 ns (every `s` of "sequence_number" is a candidate for `sk`).
 */
export function includesAny(b: Uint8Array, anchors: readonly Uint8Array[]): boolean {
  for (let i = 0; i < anchors.length; i++) if (bufferIncludes.call(b, anchors[i]!)) return true
  return false
}

export class StreamRedactor {
  private held = ''

  /** what may be sent now for `bytes` (the same array when nothing changed) */
  push(bytes: Uint8Array | undefined): Uint8Array | undefined {
    const { list, latin1, anchors, firstBytes } = registeredSecrets()
    if (latin1 === null) return bytes
    if (!bytes || bytes.byteLength === 0) return this.held ? undefined : bytes
    // the common case, found natively: nothing held, no key or mask can start here or at the end
    if (!this.held && !firstBytes.has(bytes[bytes.byteLength - 1]!) && !includesAny(bytes, anchors)) return bytes
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
    const all = this.held + raw
    latin1.lastIndex = 0
    const redacted = latin1.test(all) ? all.replace(latin1, REDACTED) : all
    const k = heldSuffix(redacted, list)
    const wasHeld = this.held.length > 0
    this.held = redacted.slice(redacted.length - k)
    if (!wasHeld && k === 0 && redacted === all) return bytes
    const out = redacted.slice(0, redacted.length - k)
    return out.length ? Buffer.from(out, 'latin1') : undefined
  }

  /** the end: whatever was held (it never completed a key) */
  flush(): Uint8Array | undefined {
    if (!this.held) return undefined
    const out = Buffer.from(this.held, 'latin1')
    this.held = ''
    return out
  }
}

/** `a` then `b`, either possibly absent */
export function concatBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (!a || a.byteLength === 0) return b
  if (!b || b.byteLength === 0) return a
  return Buffer.concat([a, b])
}
