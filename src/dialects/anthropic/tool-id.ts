// Anthropic accepts tool_use ids matching ^[a-zA-Z0-9_-]+$ only; other dialects produce ids with
// `.`, `:`, `|` or over-long ones. The mapping is deterministic, so a call and its result (encoded
// separately, from different messages) still pair without any gateway state (pitfall C1).

const VALID = /^[a-zA-Z0-9_-]{1,64}$/
const INVALID_CHARS = /[^a-zA-Z0-9_-]/g
const MAX = 64

export function sanitizeToolId(id: string): string {
  if (VALID.test(id)) return id
  if (id.length === 0) return 'toolu_empty'
  const clean = id.replace(INVALID_CHARS, '_')
  // long ids keep a hash of the original so distinct ids stay distinct after truncation
  return clean.length <= MAX ? clean : `${clean.slice(0, MAX - 9)}_${fnv1a(id)}`
}

/** 32-bit FNV-1a as 8 hex digits */
function fnv1a(s: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}
