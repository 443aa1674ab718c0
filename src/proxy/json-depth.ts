// How deeply a JSON text nests, measured on the raw text before it is parsed: one linear pass,
// no recursion, nothing allocated. Every later stage (decoders, JSON.stringify of a tool schema,
// the token counter) walks bodies recursively; a 50,000-level schema overflowed the stack after
// a second of blocked event loop. Real requests nest a few dozen levels at most.
// The same pass can note the top-level object's keys (TopLevel), so a pass-through that changes
// only the model can edit the client's text instead of serialising the body again (model-splice.ts).

/** the deepest a request body may nest (objects and arrays together) */
export const MAX_JSON_DEPTH = 128

/** What the depth scan learned about a top-level object's keys. */
export interface TopLevel {
  /** [start, end) of the "model" member's string value, quotes included */
  model?: [number, number]
  /** every key is spelled without escapes and appears once, and "model" (if any) is a string */
  plain: boolean
  /** the keys seen so far (a handful: a list is cheaper than a Set) */
  keys: string[]
}

/** more top-level keys than any API request has */
const MAX_NOTED_KEYS = 64

export const newTopLevel = (): TopLevel => ({ plain: true, keys: [] })

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

/** the first index at or after `i` that is not JSON whitespace */
function skipSpace(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 13 || c === 9; c = text.charCodeAt(++i));
  return i
}

/** a string at depth 1 from `open` (its opening quote) to `close` (its closing one): if a colon
 *  follows it is a key, noted in `top` */
function noteKey(text: string, open: number, close: number, top: TopLevel): void {
  const colon = skipSpace(text, close + 1)
  if (text.charCodeAt(colon) !== 58 /* : */) return
  // past a few dozen keys the list would cost quadratic time on a hostile body: re-serialise it
  if (!top.plain || top.keys.length >= MAX_NOTED_KEYS) {
    top.plain = false
    return
  }
  const key = text.slice(open + 1, close)
  if (key.includes('\\') || top.keys.includes(key)) top.plain = false
  top.keys.push(key)
  if (key !== 'model') return
  const v = skipSpace(text, colon + 1)
  if (text.charCodeAt(v) !== 34) top.plain = false
  else top.model = [v, stringEnd(text, v + 1) + 1]
}

/** the first depth over `limit`, or 0 when the text stays within it; strings are skipped.
 *  With `top`, the top-level object's keys are noted in it on the way. */
export function jsonDepthOver(text: string, limit: number, top?: TopLevel): number {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      const close = stringEnd(text, i + 1)
      if (top !== undefined && depth === 1) noteKey(text, i, close, top)
      i = close
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > limit) return depth
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--
  }
  return 0
}
