// Cutting a finished text into stream deltas, the way a model would send it.

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13

/** About `pieces` pieces, each cut just after a whitespace so words stay whole; joins back exactly. */
export function splitAtWords(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)))
  const out: string[] = []
  let from = 0
  while (from < text.length) {
    let cut = from + size
    while (cut < text.length && !isSpace(text.charCodeAt(cut - 1))) cut++
    out.push(text.slice(from, cut))
    from = cut
  }
  return out
}

/** `pieces` pieces of about equal length at arbitrary positions (as upstreams split JSON),
 *  never between the two halves of a surrogate pair, which would not survive UTF-8. */
export function splitEvenly(text: string, pieces: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)))
  const out: string[] = []
  let from = 0
  while (from < text.length) {
    let cut = Math.min(text.length, from + size)
    const prev = text.charCodeAt(cut - 1)
    if (cut < text.length && prev >= 0xd800 && prev <= 0xdbff) cut++
    out.push(text.slice(from, cut))
    from = cut
  }
  return out
}
