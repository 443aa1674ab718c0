// A string the stream encoders build once and splice into every frame (a chunk's constant head, a
// block's prefix) is made from pieces: in JSC a template or `+` of them is a rope, and a rope
// spliced into each frame's text is walked piece by piece again every time that text is encoded.
// Reading one character resolves a rope into one flat string in place (encoding a rope does not).

/** `s`, flattened once (see above). The Chat encoder's chunk head, flat: 0.73 → 0.68 µs per
 *  event in the Anthropic upstream → Chat client lane (A/B in one process, redactor on, 680
 *  rounds of 4 streams; p10 0.69 → 0.65). */
export function flat(s: string): string {
  // the comparison uses the read, so it is never optimized away; it is never true
  return s.charCodeAt(0) === -1 ? '' : s
}
