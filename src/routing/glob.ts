// Model-name globs: `*` matches any run of characters (including `/`), `?` one character.
// Compiled once per pattern and cached: patterns come from config, names from every request.
// Matching is linear in the name (times the pattern's length): the pattern is split at `*` into
// pieces, the first anchored at the start, the last at the end, the others each found at their
// leftmost place after the previous one. Leftmost is always right for a `*`-separated piece, so
// nothing ever backtracks (a regex `.*a.*a.*b` did, and a long name froze the event loop).

const cache = new Map<string, (name: string) => boolean>()

/** `piece` (with `?` = any one character) at position `at` of `name` */
function pieceAt(piece: string, name: string, at: number): boolean {
  if (at + piece.length > name.length) return false
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i)
    if (c !== 63 /* ? */ && c !== name.charCodeAt(at + i)) return false
  }
  return true
}

/** leftmost position ≥ from where `piece` matches, or -1 */
function findPiece(piece: string, name: string, from: number): number {
  if (!piece.includes('?')) return name.indexOf(piece, from)
  for (let at = from; at + piece.length <= name.length; at++) if (pieceAt(piece, name, at)) return at
  return -1
}

function compile(pattern: string): (name: string) => boolean {
  const pieces = pattern.split('*')
  if (pieces.length === 1) {
    if (!pattern.includes('?')) return (name) => name === pattern
    return (name) => name.length === pattern.length && pieceAt(pattern, name, 0)
  }
  const first = pieces[0]
  const last = pieces[pieces.length - 1]
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0)
  const minLength = first.length + last.length + middle.reduce((n, p) => n + p.length, 0)
  return (name) => {
    if (name.length < minLength) return false
    if (!pieceAt(first, name, 0)) return false
    const end = name.length - last.length
    if (!pieceAt(last, name, end)) return false
    let at = first.length
    for (const p of middle) {
      const found = findPiece(p, name, at)
      if (found < 0 || found + p.length > end) return false
      at = found + p.length
    }
    return true
  }
}

export function globMatcher(pattern: string): (name: string) => boolean {
  let m = cache.get(pattern)
  if (m) return m
  m = pattern === '*' ? () => true : compile(pattern)
  cache.set(pattern, m)
  return m
}

export const matchGlob = (pattern: string, name: string): boolean => globMatcher(pattern)(name)

export const matchAny = (patterns: readonly string[], name: string): boolean => {
  for (const p of patterns) if (globMatcher(p)(name)) return true
  return false
}

export const isGlob = (pattern: string): boolean => /[*?]/.test(pattern)
