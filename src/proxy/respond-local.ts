// An attempt answered in-process by a local provider (a registry entry with `local`, e.g. echo): its canonical events are encoded for
// the client like an upstream's would be, with no fetch.
import { foldEvents } from '../canonical/fold-events'
import type { LocalDialect } from '../dialects/dialect'
import { GatewayError } from '../errors'
import { classifyOutcome } from '../upstream/outcome'
import type { Attempt, ProxyContext } from './context'
import { canonicalFor, routeInfo, type AttemptOutcome, type RequestState } from './request-state'
import { JSON_HEADERS, proxyHeaders, SSE_HEADERS } from './response-headers'
import { jsonArrayStream } from './json-array-stream'
import { encodeEvents } from './translate-stream'
import { storeAnswer } from './cache'

export function respondLocally(state: RequestState, attempt: Attempt, ctx: ProxyContext, target: LocalDialect): AttemptOutcome {
  const front = state.entry
  const { life } = state
  const req = canonicalFor(state, attempt)
  const events = target.local.respond({ ...req, model: attempt.model }, { newId: ctx.newId })
  const failure = events.find((e) => e.type === 'error')
  if (failure && failure.type === 'error') {
    const error = new GatewayError(failure.status, failure.message, { kind: failure.kind })
    return { kind: 'error', error, attempt, verdict: classifyOutcome({ failed: error }) }
  }
  const rctx = { model: state.plan.requested, newId: ctx.newId, now: ctx.nowSeconds, request: req, keep: state.keep }
  const info = routeInfo(state, attempt)
  life.rec.provider = attempt.provider.name
  life.rec.modelUpstream = attempt.model
  const verdict = classifyOutcome({ answered: 200 })
  storeAnswer(state, ctx, attempt, events)
  if (!life.rec.stream) {
    const res = foldEvents(events, ctx.nowSeconds())
    life.finish({ status: 200, usage: res.usage })
    return { kind: 'response', verdict, response: new Response(JSON.stringify(front.encodeResponse(res, rctx)), { headers: proxyHeaders(JSON_HEADERS, info) }) }
  }
  const { chunks, observed } = state.jsonArray ? reframed(encodeEvents(front, rctx, events)) : encodeEvents(front, rctx, events)
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++])
      else {
        c.close()
        life.finish({ status: 200, usage: observed.usage, ttftMs: 0 })
      }
    },
    cancel() {
      life.finish({ status: 200, usage: observed.usage, clientDisconnected: true })
    },
  })
  life.streaming()
  const headers = state.jsonArray ? { ...SSE_HEADERS, 'content-type': 'application/json' } : SSE_HEADERS
  return { kind: 'response', verdict, response: new Response(body, { headers: proxyHeaders(headers, info) }) }
}

/** locally made SSE chunks as a streamed JSON array (Gemini without alt=sse) */
function reframed(r: ReturnType<typeof encodeEvents>): ReturnType<typeof encodeEvents> {
  const t = jsonArrayStream({ observed: r.observed, chunk: (b) => b, end: () => undefined, fail: () => undefined })
  const chunks: Uint8Array[] = []
  for (const c of r.chunks) {
    const out = t.chunk(c)
    if (out) chunks.push(out)
  }
  const last = t.end()
  if (last) chunks.push(last)
  return { chunks, observed: r.observed }
}
