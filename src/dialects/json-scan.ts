// In-place JSON reading for the stream decoders' fast paths: the frames almost every stream is
// made of (one text delta each) are matched against their exact compact text and the one string
// they carry is sliced out, instead of JSON.parse building the whole object graph (~1 µs per
// frame with its garbage). Matching is strict: a frame that differs in any byte the matcher does
// not account for is left to JSON.parse. Native searches and compares (indexOf, startsWith: ~20 ns a
// call whatever the length) do the work; a JS char loop costs 1–2 ns per char in JSC, which over a
// whole frame is as much as JSON.parse.

/** index of the quote closing the JSON string whose text starts at `from`, or -1 */
export function stringEnd(s: string, from: number): number {
  for (let q = s.indexOf('"', from); q !== -1; q = s.indexOf('"', q + 1)) {
    let k = q - 1
    while (k >= from && s.charCodeAt(k) === 92 /* \ */) k--
    // an even number of backslashes before it: the quote is not escaped
    if (((q - 1 - k) & 1) === 0) return q
  }
  return -1
}

const CONTROL = /[\u0000-\u001f]/

/**
 * The value of the JSON string whose text is s[from, end): a substring unless it has escapes.
 * Undefined for text JSON.parse would reject (a raw control character, a bad escape), so the
 * literal s[from - 1, end + 1] of an accepted value is valid JSON and may be copied as it is.
 */
export function stringValue(s: string, from: number, end: number): string | undefined {
  const raw = s.slice(from, end)
  if (raw.indexOf('\\') === -1) return CONTROL.test(raw) ? undefined : raw
  try {
    return JSON.parse(s.slice(from - 1, end + 1)) as string
  } catch {
    return undefined
  }
}

/** A string member's value, read at `at` (just after its opening quote); `end` is past the closing quote. */
export class StringAt {
  value = ''
  /** the value's JSON literal, quotes included (a substring of the input) */
  quoted = ''
  end = 0

  read(s: string, at: number): boolean {
    const q = stringEnd(s, at)
    if (q === -1) return false
    const v = stringValue(s, at, q)
    if (v === undefined) return false
    this.value = v
    this.quoted = s.slice(at - 1, q + 1)
    this.end = q + 1
    return true
  }
}
