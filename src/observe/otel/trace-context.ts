// W3C trace context: the `traceparent` a request arrives with is continued, and each upstream
// attempt sends its own span as the parent. Ids are random hex (the OTLP/JSON encoding).

export interface TraceContext {
  traceId: string
  /** the span of this request in the proxy */
  spanId: string
  /** the caller's span, when a traceparent arrived */
  parentSpanId?: string
  sampled: boolean
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/
const ZERO_TRACE = '0'.repeat(32)
const ZERO_SPAN = '0'.repeat(16)

/** A valid incoming traceparent (version ff and all-zero ids are invalid per the spec), or undefined. */
export function parseTraceparent(value: string | null | undefined): { traceId: string; spanId: string; sampled: boolean } | undefined {
  if (!value || value.length > 512) return undefined
  const m = TRACEPARENT.exec(value.trim().toLowerCase())
  if (!m || m[1] === 'ff' || m[2] === ZERO_TRACE || m[3] === ZERO_SPAN) return undefined
  // version 00 has exactly four fields; later versions may append more
  if (m[1] === '00' && value.trim().length !== 55) return undefined
  return { traceId: m[2], spanId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 }
}

export const formatTraceparent = (traceId: string, spanId: string, sampled: boolean): string =>
  `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
// one getRandomValues call per 4 KiB of ids instead of one per id (~1 µs each)
const pool = new Uint8Array(4096)
let used = pool.length

/** `bytes` random bytes as lowercase hex (never all zero) */
export function randomHex(bytes: 8 | 16): string {
  if (used + bytes > pool.length) {
    crypto.getRandomValues(pool)
    used = 0
  }
  let s = ''
  let any = 0
  for (let i = 0; i < bytes; i++) {
    const b = pool[used++]
    any |= b
    s += HEX[b]
  }
  return any ? s : randomHex(bytes)
}

/**
 * Head sampling, parent-based: a sampled caller is followed, an unsampled one too; a new trace is
 * kept when its id's low 56 bits fall under the ratio (the TraceIdRatioBased rule, so every
 * replica decides the same for the same trace).
 */
export function startTrace(incoming: string | null | undefined, ratio: number): TraceContext {
  const parent = parseTraceparent(incoming)
  if (parent) return { traceId: parent.traceId, parentSpanId: parent.spanId, spanId: randomHex(8), sampled: parent.sampled }
  const traceId = randomHex(16)
  return { traceId, spanId: randomHex(8), sampled: sampledByRatio(traceId, ratio) }
}

export function sampledByRatio(traceId: string, ratio: number): boolean {
  if (ratio >= 1) return true
  if (ratio <= 0) return false
  // the last 14 hex digits: 56 bits, exact in a double
  const low = parseInt(traceId.slice(18), 16)
  return low < ratio * 2 ** 56
}
