// What the proxy records about one request, for the finish step (log line, metrics, ledger).
// Here, not in proxy/, because observe/ reads it and sits below the pipeline.
import type { Principal } from '../auth/principal'
import type { CanonUsage } from '../canonical/usage'
import type { AttemptSpan } from './otel/tracer'
import type { TraceContext } from './otel/trace-context'

export interface RequestRecord {
  requestId: string
  method: string
  path: string
  front: string
  principal?: Principal
  modelRequested?: string
  provider?: string
  modelUpstream?: string
  attempts: number
  status: number
  stream: boolean
  usage?: CanonUsage
  ttftMs?: number
  durationMs: number
  /** time spent in the proxy itself (total minus waiting on the upstream) */
  overheadMs?: number
  clientDisconnected?: boolean
  error?: string
  /** e.g. upstream_stream_failed, client_disconnected, bad_upstream_response */
  errorClass?: string
  /** usage counted locally because the upstream's never arrived */
  usageEstimated?: boolean
  tried?: string[]
  /** the routing rule that chose the target */
  rule?: string
  /** answered from the response cache (no upstream call, zero tokens) */
  cache?: 'hit'
  /** how the answer ended (stop, length, tool_calls…), when one was seen */
  finishReason?: string
  /** set when tracing is on: the request's trace and its wall-clock start */
  trace?: TraceContext
  startedAtMs?: number
  attemptSpans?: AttemptSpan[]
  /** the agent session (for inject_progress), when one was named */
  sessionId?: string
  /** the client's IP address (from the server socket) */
  remoteAddr?: string
  /** bytes of the client's request body */
  requestBytes?: number
  /** request fields dropped on the way, per dialect that could not carry them (dialects/dropped.ts names) */
  dropped?: Array<{ dialect: string; field: string }>
}

/** Notes fields a dialect dropped for this request (each dialect + field once). */
export function noteDropped(r: RequestRecord, dialect: string, fields: string[] | undefined): void {
  if (!fields?.length) return
  const list = (r.dropped ??= [])
  for (const field of fields) if (!list.some((d) => d.dialect === dialect && d.field === field)) list.push({ dialect, field })
}
