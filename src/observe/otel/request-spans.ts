// One finished request → its spans: a SERVER span for the request and a CLIENT span per upstream
// attempt, with the GenAI semantic-convention attributes.
import type { TraceContext } from './trace-context'
import type { Attributes, SpanData, SpanEvent } from './span'

export interface AttemptTrace {
  spanId: string
  provider: string
  model: string
  /** gen_ai.system of the upstream (openai, anthropic, gcp.gemini, aws.bedrock, …) */
  system: string
  /** scheme://host[:port] of the upstream, no path, no secrets */
  origin?: string
  startMs: number
  endMs: number
  status: number
  error?: string
}

export interface TracedRequest {
  trace: TraceContext
  requestId: string
  startMs: number
  endMs: number
  method: string
  path: string
  /** the client's dialect */
  front: string
  status: number
  stream: boolean
  modelRequested?: string
  modelUpstream?: string
  provider?: string
  system?: string
  inputTokens?: number
  outputTokens?: number
  finishReasons?: string[]
  /** time to first token, from the request's start */
  ttftMs?: number
  error?: string
  keyName?: string
  group?: string
  attempts: AttemptTrace[]
}

const failed = (status: number, error: string | undefined): string | undefined =>
  error !== undefined ? error : status >= 500 ? `status ${status}` : undefined

function originParts(origin: string | undefined): Attributes {
  if (!origin) return {}
  try {
    const u = new URL(origin)
    return { 'server.address': u.hostname, 'server.port': Number(u.port || (u.protocol === 'https:' ? 443 : 80)) }
  } catch {
    return {}
  }
}

export function requestSpans(r: TracedRequest): SpanData[] {
  const events: SpanEvent[] = []
  if (r.ttftMs !== undefined) events.push({ name: 'gen_ai.first_token', atMs: r.startMs + r.ttftMs, attributes: { 'gen_ai.ttft_ms': r.ttftMs } })
  const root: SpanData = {
    traceId: r.trace.traceId,
    spanId: r.trace.spanId,
    parentSpanId: r.trace.parentSpanId,
    name: `chat ${r.modelRequested ?? ''}`.trim(),
    kind: 'server',
    startMs: r.startMs,
    endMs: r.endMs,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': r.system,
      'gen_ai.request.model': r.modelRequested,
      'gen_ai.response.model': r.modelUpstream,
      'gen_ai.usage.input_tokens': r.inputTokens,
      'gen_ai.usage.output_tokens': r.outputTokens,
      'gen_ai.response.finish_reasons': r.finishReasons?.length ? r.finishReasons : undefined,
      'http.request.method': r.method,
      'url.path': r.path,
      'http.response.status_code': r.status,
      'llm_proxy.request_id': r.requestId,
      'llm_proxy.front': r.front,
      'llm_proxy.provider': r.provider,
      'llm_proxy.stream': r.stream,
      'llm_proxy.attempts': r.attempts.length,
      'llm_proxy.key': r.keyName,
      'llm_proxy.group': r.group,
    },
    events,
    error: failed(r.status, r.error),
  }
  const children = r.attempts.map(
    (a): SpanData => ({
      traceId: r.trace.traceId,
      spanId: a.spanId,
      parentSpanId: r.trace.spanId,
      name: `chat ${a.model}`,
      kind: 'client',
      startMs: a.startMs,
      endMs: a.endMs,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': a.system,
        'gen_ai.request.model': a.model,
        'http.response.status_code': a.status || undefined,
        'llm_proxy.provider': a.provider,
        ...originParts(a.origin),
      },
      error: failed(a.status, a.error),
    }),
  )
  return [root, ...children]
}
