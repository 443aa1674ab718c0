// How deeply a JSON text nests, measured on the raw text before it is parsed: one linear pass,
// no recursion, nothing allocated. Every later stage (decoders, JSON.stringify of a tool schema,
// the token counter) walks bodies recursively; a 50,000-level schema overflowed the stack after
// a second of blocked event loop. Real requests nest a few dozen levels at most.

/** the deepest a request body may nest (objects and arrays together) */
export const MAX_JSON_DEPTH = 128

/** index of the quote that closes the string opened just before `from` (skipped with indexOf:
 *  long strings are most of a big body), or text.length when it never closes */
function stringEnd(text: string, from: number): number {
  for (let i = from; ; ) {
    const q = text.indexOf('"', i)
    if (q < 0) return text.length
    let backslashes = 0
    while (text.charCodeAt(q - 1 - backslashes) === 92 /* \ */) backslashes++
    if (backslashes % 2 === 0) return q
    i = q + 1
  }
}

/** the first depth over `limit`, or 0 when the text stays within it; strings are skipped */
export function jsonDepthOver(text: string, limit: number): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) i = stringEnd(text, i + 1)
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return depth
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return 0
}
