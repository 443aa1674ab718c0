// OTLP/HTTP JSON encoding of spans (opentelemetry-proto's ExportTraceServiceRequest in its JSON
// mapping: hex ids, enum numbers, 64-bit integers and nanosecond times as decimal strings).
import type { Attributes, AttrValue, SpanData, SpanEvent } from './span'

const KIND = { internal: 1, server: 2, client: 3 } as const
const STATUS_OK = 1
const STATUS_ERROR = 2

/** epoch ms (with fraction) → nanoseconds as a decimal string, without losing precision to doubles */
export function nanos(ms: number): string {
  let whole = Math.floor(ms)
  let frac = Math.round((ms - whole) * 1e6)
  if (frac >= 1e6) {
    whole += 1
    frac -= 1e6
  }
  return whole === 0 ? String(frac) : `${whole}${String(frac).padStart(6, '0')}`
}

function anyValue(v: AttrValue): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v }
  if (typeof v === 'boolean') return { boolValue: v }
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v }
  return { arrayValue: { values: v.map((s) => ({ stringValue: s })) } }
}

export function keyValues(attrs: Attributes): Array<{ key: string; value: Record<string, unknown> }> {
  const out = []
  for (const key in attrs) {
    const v = attrs[key]
    if (v !== undefined) out.push({ key, value: anyValue(v) })
  }
  return out
}

const event = (e: SpanEvent) => ({ timeUnixNano: nanos(e.atMs), name: e.name, attributes: keyValues(e.attributes ?? {}) })

function span(s: SpanData) {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: KIND[s.kind],
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(Math.max(s.startMs, s.endMs)),
    attributes: keyValues(s.attributes),
    events: (s.events ?? []).map(event),
    status: s.error !== undefined ? { code: STATUS_ERROR, message: s.error } : { code: STATUS_OK },
  }
}

export function exportRequest(resource: Attributes, scope: { name: string; version: string }, spans: SpanData[]): string {
  return JSON.stringify({
    resourceSpans: [{ resource: { attributes: keyValues(resource) }, scopeSpans: [{ scope, spans: spans.map(span) }] }],
  })
}
