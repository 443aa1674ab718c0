// The proxy's tracer: decides at a request's start whether it is traced (continuing an incoming
// traceparent), hands each upstream attempt its span id for the traceparent sent upstream, and
// turns the finished request's record into spans for the batching exporter. All span building
// happens once, at the end, off the streaming path.
import type { RequestRecord } from '../request-record'
import { createExporter, type SpanExporter } from './exporter'
import { requestSpans } from './request-spans'
import type { OtelSettings } from './settings'
import { formatTraceparent, randomHex, startTrace, type TraceContext } from './trace-context'

/** One upstream attempt as the trace sees it (on the request's record). */
export interface AttemptSpan {
  spanId: string
  provider: string
  model: string
  /** the upstream's dialect */
  dialect: string
  origin?: string
  startMs: number
  /** undefined: the attempt answered and its stream lasted until the request ended */
  endMs?: number
  status: number
  error?: string
}

export interface Tracer {
  /** undefined when the request is not traced at all (no collector configured) */
  start(traceparent: string | null): TraceContext
  /** a span for one attempt, and the traceparent header the upstream gets */
  attempt(trace: TraceContext, a: Omit<AttemptSpan, 'spanId' | 'startMs' | 'status'>): { span: AttemptSpan; traceparent: string }
  /** the request finished: its spans go to the exporter (sampled traces only) */
  finish(rec: RequestRecord): void
  close(): Promise<void>
  readonly exporter: SpanExporter
}

export function createTracer(s: OtelSettings, o: { version: string; systemOf: (dialect: string) => string; onFailure?: (reason: string) => void; fetch?: typeof fetch }): Tracer {
  const exporter = createExporter({
    url: s.url,
    headers: s.headers,
    resource: s.resource,
    scope: { name: 'llm-proxy', version: o.version },
    onFailure: o.onFailure,
    fetch: o.fetch,
  })
  return {
    exporter,
    start: (traceparent) => startTrace(traceparent, s.ratio),
    attempt(trace, a) {
      const span: AttemptSpan = { ...a, spanId: randomHex(8), startMs: Date.now(), status: 0 }
      return { span, traceparent: formatTraceparent(trace.traceId, span.spanId, trace.sampled) }
    },
    finish(rec) {
      const trace = rec.trace
      if (!trace?.sampled || rec.startedAtMs === undefined) return
      const endMs = rec.startedAtMs + rec.durationMs
      exporter.add(
        requestSpans({
          trace,
          requestId: rec.requestId,
          startMs: rec.startedAtMs,
          endMs,
          method: rec.method,
          path: rec.path,
          front: rec.front,
          status: rec.status,
          stream: rec.stream,
          modelRequested: rec.modelRequested,
          modelUpstream: rec.modelUpstream,
          provider: rec.provider,
          system: rec.attemptSpans?.length ? o.systemOf(rec.attemptSpans[rec.attemptSpans.length - 1].dialect) : undefined,
          inputTokens: rec.usage?.inputTokens,
          outputTokens: rec.usage?.outputTokens,
          finishReasons: rec.finishReason ? [rec.finishReason] : undefined,
          ttftMs: rec.ttftMs,
          error: rec.status >= 400 || rec.error ? (rec.error ?? `status ${rec.status}`) : undefined,
          keyName: rec.principal?.name,
          group: rec.principal?.group,
          attempts: (rec.attemptSpans ?? []).map((a) => ({
            spanId: a.spanId,
            provider: a.provider,
            model: a.model,
            system: o.systemOf(a.dialect),
            origin: a.origin,
            startMs: a.startMs,
            endMs: a.endMs ?? endMs,
            status: a.status,
            error: a.error,
          })),
        }),
      )
    },
    close: () => exporter.close(),
  }
}
