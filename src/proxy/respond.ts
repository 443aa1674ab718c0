// Step three of an attempt: the upstream answered 2xx; make the client's response. Streamed
// answers go through one translator (peeked first, then pumped); whole answers are translated
// once, or pass through as the same bytes. Each way ends the request through its lifecycle.
import type { Dialect, ResponseContext } from '../dialects/dialect'
import { GatewayError } from '../errors'
import { classifyOutcome } from '../upstream/outcome'
import { responseLimits, responseTooLarge } from '../upstream/read-bounded'
import { redact } from '../observe/redact'
import { StreamRedactor } from '../observe/redact-stream'
import { boundedEvents, redactedStream } from './bounded-stream'
import type { SentUpstream } from '../upstream/send'
import type { Attempt, ProxyContext } from './context'
import { peekFirstOutput } from './peek'
import type { PreparedRequest } from './prepare'
import { canonicalFor, routeInfo, type AttemptOutcome, type RequestState } from './request-state'
import { streamRecord } from './stream-outcome'
import { requestInputTokens } from '../tokens/request-input'
import { bodyBounds, boundedStream, readBodyText } from '../upstream/bounded-body'
import { JSON_HEADERS, proxyHeaders, SSE_HEADERS } from './response-headers'
import { pumpStream, SSE_PING } from './stream-pump'
import { countRequestTokens, estimateTokens } from '../tokens/count-tokens'
import { jsonArrayStream } from './json-array-stream'
import { withReasoningEstimate } from './reasoning-estimate'
import { carryTap, rememberCarried } from './carry'
import { cacheRecorder, storeAnswer } from './cache'
import type { EventRecorder } from '../cache/cache-key'
import type { CanonEvent } from '../canonical/event'

/** one tap out of two optional ones */
function both(tap: ((ev: CanonEvent) => void) | undefined, recorder: EventRecorder | undefined): ((ev: CanonEvent) => void) | undefined {
  if (!recorder) return tap
  if (!tap) return (ev) => recorder.push(ev)
  return (ev) => {
    tap(ev)
    recorder.push(ev)
  }
}
import { filteredPassthroughStream, passthroughStream } from './passthrough-tap'
import { translatingStream, type OpeningTranslator } from './translate-stream'
import { UsageTail } from './usage-tail'

const KEEP_ALIVE_MS = 15_000

/** Everything the response step needs, in one object. */
export interface Answered {
  state: RequestState
  ctx: ProxyContext
  attempt: Attempt
  /** the upstream's dialect */
  up: Dialect
  prepared: PreparedRequest
  sent: SentUpstream
  key: string | undefined
  /** performance.now() when the fetch began */
  fetchStarted: number
}

function responseContext(a: Answered): ResponseContext {
  const request = a.prepared.canonical
  const rctx: ResponseContext = { model: a.state.plan.requested, newId: a.ctx.newId, now: a.ctx.nowSeconds, request, keep: a.prepared.same ? undefined : a.state.keep }
  // for an encoder that states input tokens before the upstream does (Anthropic's message_start)
  if (request) rctx.estimateInputTokens = () => estimateTokens(countRequestTokens, request)
  return rctx
}

function translatorFor(a: Answered, recorder?: EventRecorder): OpeningTranslator {
  const { prepared, up } = a
  const inner = !prepared.same
    ? translatingStream(up, a.state.entry, responseContext(a), both(carryTap(a.state, a.ctx), recorder))
    : prepared.hide
      ? filteredPassthroughStream(up, prepared.hide)
      : passthroughStream(up)
  // no SSE line or event may grow past max_event_size; no byte reaches the client unredacted
  const bounded = boundedEvents(inner, responseLimits(a.attempt.provider, a.ctx.config.server).event, a.attempt.provider.name)
  return redactedStream(a.state.jsonArray ? jsonArrayStream(bounded) : bounded)
}

function markRouted(a: Answered): void {
  a.state.life.rec.provider = a.attempt.provider.name
  a.state.life.rec.modelUpstream = a.attempt.model
}

export async function respond(a: Answered): Promise<AttemptOutcome> {
  const body = a.sent.response.body
  return a.state.life.rec.stream && body ? respondStream(a, body) : respondWhole(a)
}

async function respondStream(a: Answered, upstreamBody: ReadableStream<Uint8Array>): Promise<AttemptOutcome> {
  const { state, ctx, attempt, sent } = a
  const { life } = state
  const provider = attempt.provider
  const recorder = cacheRecorder(state)
  const translator = translatorFor(a, recorder)
  const budget = Math.max(1, Math.min(provider.first_byte_timeout, life.started + ctx.config.server.request_timeout - performance.now()))
  const peeked = await peekFirstOutput({ body: upstreamBody, translator, timeoutMs: budget, abort: sent.abort })
  if (peeked.firstError) {
    const e = peeked.firstError
    const error = new GatewayError(e.status, e.message, { kind: e.kind as GatewayError['kind'] })
    return { kind: 'error', error, attempt, key: a.key, verdict: classifyOutcome({ firstEvent: e.status }) }
  }
  markRouted(a)
  const headersAt = performance.now()
  const out = pumpStream({
    reader: peeked.reader,
    translated: peeked.translated,
    translator,
    abort: sent.abort,
    idleTimeoutMs: provider.idle_timeout,
    deadline: ctx.config.server.request_timeout > 0 ? life.started + ctx.config.server.request_timeout : undefined,
    keepAliveMs: KEEP_ALIVE_MS,
    keepAlive: SSE_PING,
    onDone: (o) => {
      if (recorder?.complete && !o.clientDisconnected) storeAnswer(state, ctx, attempt, recorder.events)
      const r = streamRecord(o, () => requestInputTokens(state.bodySize, () => canonicalFor(state, attempt)))
      life.finish({
        status: r.status,
        usage: r.usage,
        usageEstimated: r.usageEstimated,
        errorClass: r.errorClass,
        ttftMs: o.firstChunkMs !== undefined ? headersAt - life.started + o.firstChunkMs : undefined,
        clientDisconnected: o.clientDisconnected,
        error: r.error,
        upstreamMs: headersAt - a.fetchStarted + (o.firstChunkMs ?? 0),
        finishReason: o.observed.finish,
      })
    },
  })
  const ct = state.jsonArray ? 'application/json' : a.prepared.same ? sent.response.headers.get('content-type') ?? SSE_HEADERS['content-type'] : SSE_HEADERS['content-type']
  life.streaming()
  const response = new Response(out, { status: 200, headers: proxyHeaders({ ...SSE_HEADERS, 'content-type': ct }, routeInfo(state, attempt)) })
  return { kind: 'response', response, key: a.key, verdict: classifyOutcome({ answered: 200 }) }
}

async function respondWhole(a: Answered): Promise<AttemptOutcome> {
  const { state, attempt, up } = a
  const res = a.sent.response
  const verdict = classifyOutcome({ answered: res.status })
  const info = routeInfo(state, attempt)
  const limit = responseLimits(attempt.provider, a.ctx.config.server).response
  // a chunked body flows through as it arrives; a body of known length is read whole (it is sent
  // at once anyway) and forwarded as the same bytes: no stream machinery per request
  if (a.prepared.same && res.body && !res.headers.has('content-length')) {
    markRouted(a)
    return { kind: 'response', verdict, key: a.key, response: tappedPassthrough(a, res.body, limit) }
  }
  // idle, deadline and max_response_size all bound this read (bounded-body.ts)
  const text = await readBodyText(res, bodyBounds(state, attempt, a.ctx, a.sent.abort))
  const upstreamMs = performance.now() - a.fetchStarted
  if (a.prepared.same) {
    markRouted(a)
    let usage
    try {
      usage = up.decodeResponse(JSON.parse(text)).usage
    } catch {
      usage = undefined
    }
    state.life.finish({ status: res.status, usage, upstreamMs })
    const headers = proxyHeaders({ 'content-type': res.headers.get('content-type') ?? 'application/json' }, info)
    return { kind: 'response', verdict, key: a.key, response: new Response(redact(text), { status: res.status, headers }) }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    const error = new GatewayError(502, `provider ${attempt.provider.name} answered 200 with a body that is not JSON`, { code: 'bad_upstream_response', retryable: true })
    return { kind: 'error', error, attempt, key: a.key, verdict: classifyOutcome({ failed: error }) }
  }
  const canon = withReasoningEstimate(up.decodeResponse(parsed))
  rememberCarried(state, a.ctx, canon.parts)
  if (canon.finish !== 'error') storeAnswer(state, a.ctx, attempt, canon)
  markRouted(a)
  state.life.finish({ status: 200, usage: canon.usage, upstreamMs, finishReason: canon.finish })
  const out = state.entry.encodeResponse(canon, responseContext(a))
  return { kind: 'response', verdict, key: a.key, response: new Response(redact(JSON.stringify(out)), { headers: proxyHeaders(JSON_HEADERS, info) }) }
}

/** Same dialect, not streamed: bytes flow through as they arrive; usage is read from a bounded
 *  tail at the end (usage-tail.ts); past max_response_size the body is cut and the upstream let go. */
function tappedPassthrough(a: Answered, body: ReadableStream<Uint8Array>, limit: number): Response {
  const res = a.sent.response
  const { life } = a.state
  const tail = new UsageTail()
  const redactor = new StreamRedactor()
  let size = 0
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      size += chunk.byteLength
      if (size > limit) {
        a.sent.abort('response too large')
        const err = responseTooLarge(a.attempt.provider.name, limit)
        life.finish({ status: 502, error: err.message, upstreamMs: performance.now() - a.fetchStarted })
        // the status went out already: the client gets a body that ends short (an errored
        // stream would be reported by Bun as an uncaught error)
        c.terminate()
        return
      }
      tail.push(chunk)
      const out = redactor.push(chunk)
      if (out?.byteLength) c.enqueue(out)
    },
    flush(c) {
      const rest = redactor.flush()
      if (rest) c.enqueue(rest)
      const upstreamMs = performance.now() - a.fetchStarted
      life.finish({ status: res.status, usage: tail.usage(a.up), upstreamMs })
    },
    cancel() {
      life.finish({ status: res.status, clientDisconnected: true })
    },
  } as Transformer<Uint8Array, Uint8Array>)
  const headers = proxyHeaders({ 'content-type': res.headers.get('content-type') ?? 'application/json' }, routeInfo(a.state, a.attempt))
  // the client already has the headers: a body cut here ends its response early
  const bounded = boundedStream(body, bodyBounds(a.state, a.attempt, a.ctx, a.sent.abort), (err) =>
    life.finish({
      status: err.status,
      error: err.message,
      errorClass: err.code !== 'upstream_timeout' ? 'bad_upstream_response' : err.message.includes('request_timeout') ? 'request_timeout' : 'upstream_idle_timeout',
    }),
  )
  return new Response(bounded.pipeThrough(tap), { status: res.status, headers })
}
