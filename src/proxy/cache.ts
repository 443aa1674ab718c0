// The response cache in the pipeline (opt-in per alias or key): before any attempt, an exact match
// on the canonical request is replayed through the client's own encoder, at once (no pacing),
// marked x-llm-proxy-cache: hit and recorded as zero upstream tokens; on a miss the attempt runs
// translated (its canonical events are what is stored) and a clean, complete answer is kept.
import { cacheable, cacheKey, EventRecorder, eventsOf, MAX_EVENT_BYTES } from '../cache/cache-key'
import type { CanonEvent } from '../canonical/event'
import { foldEvents } from '../canonical/fold-events'
import type { CanonResponse } from '../canonical/response'
import type { CachedAnswer } from '../cache/response-cache'
import type { Attempt, ProxyContext } from './context'
import { decodedRequest, type RequestState } from './request-state'
import { JSON_HEADERS, proxyHeaders, SSE_HEADERS } from './response-headers'
import { encodeEvents } from './translate-stream'
import { redact } from '../observe/redact'

const CACHE_HIT = { 'x-llm-proxy-cache': 'hit' }
const NO_TOKENS = { inputTokens: 0, outputTokens: 0 }

/** A cached answer for this request, or undefined (then `state.cache` says whether to store one). */
export async function answerFromCache(state: RequestState, ctx: ProxyContext): Promise<Response | undefined> {
  const svc = ctx.cache
  const settings = state.principal.key?.cache ?? state.plan.entry?.cache
  if (!svc || !settings) return undefined
  // a previous response the proxy does not have is the upstream's to resolve, untranslated
  if (state.entry.stored?.previousId(state.body) !== undefined) return undefined
  // a replay is SSE; a client reading a streamed JSON array goes upstream
  if (state.jsonArray) return undefined
  let req
  try {
    req = decodedRequest(state)
  } catch {
    return undefined
  }
  if (!cacheable(req, settings)) return undefined
  const key = cacheKey(state.principal.name, state.plan.requested, req)
  const hit = await svc.get(key)
  if (!hit) {
    state.cache = { key, ttl: settings.ttl }
    return undefined
  }
  return replay(state, ctx, hit)
}

function replay(state: RequestState, ctx: ProxyContext, hit: CachedAnswer): Response {
  const { life } = state
  const rec = life.rec
  rec.provider = `cache:${hit.provider}`
  rec.modelUpstream = hit.model
  rec.cache = 'hit'
  const req = decodedRequest(state)
  const rctx = { model: state.plan.requested, newId: ctx.newId, now: ctx.nowSeconds, request: req, keep: state.keep }
  const info = { requestId: rec.requestId, provider: rec.provider, model: hit.model, attempts: 0, limitHeaders: life.admission?.headers, rule: rec.rule }
  if (!rec.stream) {
    const res = foldEvents(hit.events, ctx.nowSeconds())
    life.finish({ status: 200, usage: NO_TOKENS, finishReason: res.finish, upstreamMs: 0 })
    return new Response(redact(JSON.stringify(state.entry.encodeResponse(res, rctx))), { headers: proxyHeaders(JSON_HEADERS, info, CACHE_HIT) })
  }
  const encoded = encodeEvents(state.entry, rctx, hit.events)
  const observed = encoded.observed
  // the original pacing is gone: the whole answer goes out at once, redacted like any answer
  // (the events were stored before the client's bytes were)
  const chunks = [new TextEncoder().encode(redact(Buffer.concat(encoded.chunks).toString('utf8')))]
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++])
      else {
        c.close()
        life.finish({ status: 200, usage: NO_TOKENS, ttftMs: 0, finishReason: observed.finish, upstreamMs: 0 })
      }
    },
    cancel() {
      life.finish({ status: 200, usage: NO_TOKENS, clientDisconnected: true })
    },
  })
  life.streaming()
  return new Response(body, { headers: proxyHeaders(SSE_HEADERS, info, CACHE_HIT) })
}

/** On a miss: the recorder a translated stream's events go through (undefined: nothing to store). */
export function cacheRecorder(state: RequestState): EventRecorder | undefined {
  return state.cache ? new EventRecorder(MAX_EVENT_BYTES) : undefined
}

/** A finished answer to keep (a recorder's, once complete; or a whole answer's parts). */
export function storeAnswer(state: RequestState, ctx: ProxyContext, attempt: Attempt, events: CanonEvent[] | CanonResponse): void {
  if (!state.cache || !ctx.cache) return
  const list = Array.isArray(events) ? events : eventsOf(events)
  ctx.cache.put(state.cache.key, { events: list, provider: attempt.provider.name, model: attempt.model }, state.cache.ttl)
}
