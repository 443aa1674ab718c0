// The spans the proxy exports, as plain data: built once per finished request, off the hot path.

export type AttrValue = string | number | boolean | string[]
export type Attributes = Record<string, AttrValue | undefined>

export interface SpanEvent {
  name: string
  /** epoch milliseconds (fractions kept) */
  atMs: number
  attributes?: Attributes
}

export interface SpanData {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: 'server' | 'client' | 'internal'
  startMs: number
  endMs: number
  attributes: Attributes
  events?: SpanEvent[]
  /** set on failure: the span's status is ERROR with this message */
  error?: string
}
