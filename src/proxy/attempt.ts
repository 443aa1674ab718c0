// One attempt of a plan: a target, a key, one upstream call (or the local echo provider).
// Returns a client Response once the upstream has answered 2xx, or an error outcome the plan
// runner may fail over from. Nothing has reached the client when an error outcome is returned.
import type { CanonRequest } from '../canonical/request'
import { foldEvents } from '../canonical/fold-events'
import { extractClientKey, extractUpstreamKey } from '../auth/extract-key'
import { dialectEntry, LOCAL_DIALECTS, type DialectEntry } from '../dialects'
import type { Dialect, ResponseContext } from '../dialects/dialect'
import { echoRespond } from '../dialects/echo'
import { GatewayError, toGatewayError } from '../errors'
import { applyTransforms, applyTransformsToBody } from '../routing/apply-transforms'
import { buildUpstreamRequest } from '../upstream/build-request'
import { peekFirstOutput, type Peeked } from '../upstream/first-output'
import { isKeyBound, parseRetryAfter } from '../upstream/retry'
import { sendUpstream } from '../upstream/send'
import type { Admission, Attempt, Plan, Principal, ProxyContext, RequestRecord } from './context'
import { JSON_HEADERS, proxyHeaders, SSE_HEADERS, type RouteInfo } from './response-headers'
import { pumpStream, SSE_PING, type PumpOutcome } from './stream-pump'
import { encodeEvents, filteredPassthroughStream, passthroughStream, translatingStream } from './translate-stream'
import { completeRecord } from './complete'
import { redact } from '../observe/redact'

export interface RequestState {
  entry: DialectEntry
  request: Request
  url: URL
  body: Record<string, unknown>
  bodySize: number
  plan: Plan
  principal: Principal
  rec: RequestRecord
  started: number
  canonical: CanonRequest | undefined
  admission: Admission | undefined
}

export interface ErrorOutcome {
  kind: 'error'
  error: GatewayError
  attempt: Attempt
  keyBound: boolean
  retryAfterMs?: number
  /** the upstream's own error answer, for a same-dialect client */
  raw?: (info: RouteInfo) => Response
}

export type AttemptOutcome = { kind: 'response'; response: Response } | ErrorOutcome

const KEEP_ALIVE_MS = 15_000

export async function runAttempt(state: RequestState, attempt: Attempt, ctx: ProxyContext): Promise<AttemptOutcome> {
  try {
    if (LOCAL_DIALECTS.has(attempt.provider.dialect)) return respondLocally(state, attempt, ctx)
    return await callUpstream(state, attempt, ctx)
  } catch (err) {
    const error = toGatewayError(err)
    // e.g. an error as the stream's first event: the target failed, whatever its HTTP status said
    if (error.retryable && err instanceof GatewayError && error.code !== 'upstream_unreachable' && error.code !== 'upstream_timeout')
      ctx.reportAttempt(attempt, undefined, error.status)
    return { kind: 'error', error, attempt, keyBound: false }
  }
}

function responseContext(state: RequestState, ctx: ProxyContext, request?: CanonRequest): ResponseContext {
  return { model: state.plan.requested, newId: ctx.newId, now: ctx.nowSeconds, request }
}

function routeInfo(state: RequestState, attempt: Attempt): RouteInfo {
  return {
    requestId: state.rec.requestId,
    provider: attempt.provider.name,
    model: attempt.model,
    attempts: state.rec.attempts,
    limitHeaders: state.admission?.headers,
  }
}

/** Decodes the client's request once, lazily: pass-through attempts never need it. */
function canonicalOf(state: RequestState): CanonRequest {
  if (!state.canonical) state.canonical = state.entry.dialect.decodeRequest(state.body)
  return state.canonical
}

/** The canonical request for one target: the client's request with the target's transforms. */
function canonicalFor(state: RequestState, attempt: Attempt): CanonRequest {
  const base = canonicalOf(state)
  return attempt.entry ? applyTransforms(base, attempt.entry) : base
}

function respondLocally(state: RequestState, attempt: Attempt, ctx: ProxyContext): AttemptOutcome {
  const front = state.entry.dialect
  const req = canonicalFor(state, attempt)
  const events = echoRespond({ ...req, model: attempt.model }, { newId: ctx.newId })
  const failure = events.find((e) => e.type === 'error')
  if (failure && failure.type === 'error')
    return { kind: 'error', error: new GatewayError(failure.status, failure.message, { kind: failure.kind }), attempt, keyBound: false }
  const rctx = responseContext(state, ctx, req)
  const info = routeInfo(state, attempt)
  state.rec.provider = attempt.provider.name
  state.rec.modelUpstream = attempt.model
  if (!state.rec.stream) {
    const res = foldEvents(events, ctx.nowSeconds())
    completeRecord(state, ctx, 200, { usage: res.usage })
    return { kind: 'response', response: new Response(JSON.stringify(front.encodeResponse(res, rctx)), { headers: proxyHeaders(JSON_HEADERS, info) }) }
  }
  const { chunks, observed } = encodeEvents(front, rctx, events)
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < chunks.length) c.enqueue(chunks[i++])
      else {
        c.close()
        completeRecord(state, ctx, 200, { usage: observed.usage, ttftMs: 0 })
      }
    },
    cancel() {
      completeRecord(state, ctx, 200, { usage: observed.usage, clientDisconnected: true })
    },
  })
  ctx.streamStarted?.(state.rec)
  return { kind: 'response', response: new Response(body, { headers: proxyHeaders(SSE_HEADERS, info) }) }
}

function upstreamKeyFor(state: RequestState, attempt: Attempt, ctx: ProxyContext): string | undefined {
  if (!attempt.provider.passthrough) return ctx.upstreamKey(attempt.provider)
  // with auth configured the client's own key is the proxy key; its upstream key comes separately
  const h = state.request.headers
  return ctx.config.auth ? extractUpstreamKey(h) : extractClientKey(h, state.url)
}

/** `asIs`: send a pass-through body without the proxy's own additions (a server refused them) */
async function callUpstream(state: RequestState, attempt: Attempt, ctx: ProxyContext, asIs = false): Promise<AttemptOutcome> {
  const { provider } = attempt
  const up = dialectEntry(provider.dialect)
  if (!up)
    throw new GatewayError(501, `provider ${provider.name} uses dialect ${provider.dialect}, which this build cannot send to yet`, {
      code: 'dialect_unsupported',
      retryable: true,
    })
  const front = state.entry
  const same = up.dialect.name === front.dialect.name
  let path: string
  let bodyObj: Record<string, unknown>
  let extraHeaders: Record<string, string> | undefined
  let canon: CanonRequest | undefined
  /** pass-through stream frames the proxy asked for and the client did not */
  let hide: ((data: string) => boolean) | undefined
  if (same) {
    path = up.upstreamPath
    bodyObj = attempt.entry ? applyTransformsToBody(front.dialect.name, state.body, attempt.entry) : state.body
    bodyObj = bodyObj === state.body ? { ...state.body, model: attempt.model } : { ...bodyObj, model: attempt.model }
    if (up.adaptPassthrough && !asIs) {
      const adapted = up.adaptPassthrough(bodyObj)
      bodyObj = adapted.body
      hide = adapted.hide
    }
  } else {
    canon = canonicalFor(state, attempt)
    const wire = up.dialect.encodeRequest(canon, { model: attempt.model, defaultMaxTokens: provider.default_max_tokens })
    path = wire.path
    bodyObj = wire.body
    extraHeaders = wire.headers
  }
  if (provider.cache && up.cacheMarkers) bodyObj = up.cacheMarkers(bodyObj, provider.cache)
  const key = upstreamKeyFor(state, attempt, ctx)
  const init = buildUpstreamRequest({
    provider,
    model: attempt.model,
    path,
    body: JSON.stringify(bodyObj),
    key,
    auth: up.auth,
    clientHeaders: same ? state.request.headers : undefined,
    clientQuery: same ? state.url.searchParams : undefined,
    extraHeaders,
  })
  const fetchStarted = performance.now()
  let sent
  try {
    sent = await sendUpstream(init, {
      fetch: ctx.fetch,
      firstByteTimeoutMs: Math.min(provider.first_byte_timeout, Math.max(1, state.started + ctx.config.server.request_timeout - fetchStarted)),
      clientSignal: state.request.signal,
      providerName: provider.name,
    })
  } catch (err) {
    // unreachable or silent: the target's circuit breaker must learn it (no key is to blame)
    if (err instanceof GatewayError && err.retryable) ctx.reportAttempt(attempt, undefined, err.status)
    throw err
  }
  const res = sent.response
  if (!res.ok) {
    // an older OpenAI-compatible server that refuses the stream_options the proxy added: once more
    // with the client's body as it was (the stream then goes unbilled, as it would without us)
    if (hide && (res.status === 400 || res.status === 422) && /stream_options|include_usage/.test(await res.clone().text().catch(() => ''))) {
      sent.abort('stream_options refused')
      return callUpstream(state, attempt, ctx, true)
    }
    return upstreamFailure(state, attempt, ctx, up.dialect, same, key, res)
  }
  const ct = res.headers.get('content-type') ?? ''
  if (ct.includes('text/html')) {
    ctx.reportAttempt(attempt, undefined, 502)
    sent.abort('html answer')
    return {
      kind: 'error',
      error: new GatewayError(502, `provider ${provider.name} answered with an HTML page instead of an API response (check its base_url)`, {
        code: 'bad_upstream_response',
        retryable: true,
      }),
      attempt,
      keyBound: false,
    }
  }
  ctx.reportAttempt(attempt, key, res.status)
  state.rec.provider = provider.name
  state.rec.modelUpstream = attempt.model
  const rctx = responseContext(state, ctx, canon)
  const info = routeInfo(state, attempt)
  if (state.rec.stream && res.body) {
    const budget = Math.max(1, Math.min(provider.first_byte_timeout, state.started + ctx.config.server.request_timeout - performance.now()))
    const peeked = await peekFirstOutput(res.body, up.dialect, budget, sent.abort)
    return { kind: 'response', response: streamResponse(state, ctx, up.dialect, same, sent, peeked, rctx, info, attempt, fetchStarted, hide) }
  }
  return nonStreamResponse(state, ctx, up.dialect, same, res, rctx, info, attempt, fetchStarted)
}

async function upstreamFailure(
  state: RequestState,
  attempt: Attempt,
  ctx: ProxyContext,
  up: Dialect,
  same: boolean,
  key: string | undefined,
  res: Response,
): Promise<AttemptOutcome> {
  // some upstreams quote the key they were sent in their error; it must not reach the client
  const text = redact(await res.text().catch(() => ''))
  let error = up.decodeError(res.status, text, res.headers)
  // the dialect read numeric hints; an HTTP-date Retry-After needs the clock, which lives here
  const retryAfterMs = error.retryAfter !== undefined ? error.retryAfter * 1000 : parseRetryAfter(res.headers, Date.now())
  ctx.reportAttempt(attempt, key, res.status, retryAfterMs)
  const keyBound = isKeyBound(res.status) && !attempt.provider.passthrough
  if (keyBound && !error.retryable) {
    // our key was refused: another key or target may work; the client did nothing wrong
    const hint = !key ? ` (no api_key is configured for provider ${attempt.provider.name})` : ''
    error = new GatewayError(error.status, `provider ${attempt.provider.name} refused the request: ${error.message}${hint}`, {
      kind: error.kind,
      code: error.code,
      retryable: true,
    })
  }
  const contentType = res.headers.get('content-type') ?? 'application/json'
  const upstreamRetryAfter = res.headers.get('retry-after')
  const raw = same
    ? (info: RouteInfo) =>
        new Response(text, {
          status: res.status,
          headers: proxyHeaders({ 'content-type': contentType }, info, upstreamRetryAfter ? { 'retry-after': upstreamRetryAfter } : undefined),
        })
    : undefined
  return { kind: 'error', error, attempt, keyBound, retryAfterMs, raw }
}

function streamResponse(
  state: RequestState,
  ctx: ProxyContext,
  up: Dialect,
  same: boolean,
  sent: { response: Response; abort: (r: string) => void },
  peeked: Peeked,
  rctx: ResponseContext,
  info: RouteInfo,
  attempt: Attempt,
  fetchStarted: number,
  hide: ((data: string) => boolean) | undefined,
): Response {
  const front = state.entry.dialect
  const translator = !same ? translatingStream(up, front, rctx) : hide ? filteredPassthroughStream(up, hide) : passthroughStream(up)
  const headersAt = performance.now()
  const body = pumpStream({
    reader: peeked.reader,
    prefix: peeked.prefix,
    translator,
    abort: sent.abort,
    idleTimeoutMs: attempt.provider.idle_timeout,
    keepAliveMs: KEEP_ALIVE_MS,
    keepAlive: SSE_PING,
    onDone: (o: PumpOutcome) => {
      const upstreamWait = headersAt - fetchStarted + (o.firstChunkMs ?? 0)
      completeRecord(state, ctx, 200, {
        usage: o.observed.usage,
        ttftMs: o.firstChunkMs !== undefined ? headersAt - state.started + o.firstChunkMs : undefined,
        clientDisconnected: o.clientDisconnected,
        error: o.observed.error?.message,
        upstreamMs: upstreamWait,
      })
    },
  })
  const ct = same ? sent.response.headers.get('content-type') ?? SSE_HEADERS['content-type'] : SSE_HEADERS['content-type']
  ctx.streamStarted?.(state.rec)
  return new Response(body, { status: 200, headers: proxyHeaders({ ...SSE_HEADERS, 'content-type': ct }, info) })
}

async function nonStreamResponse(
  state: RequestState,
  ctx: ProxyContext,
  up: Dialect,
  same: boolean,
  res: Response,
  rctx: ResponseContext,
  info: RouteInfo,
  attempt: Attempt,
  fetchStarted: number,
): Promise<AttemptOutcome> {
  // a chunked body flows through as it arrives; a body of known length is read whole (it is sent
  // at once anyway) and forwarded as the same bytes: no stream machinery per request
  if (same && res.body && !res.headers.has('content-length'))
    return { kind: 'response', response: tappedPassthrough(state, ctx, up, res, info, fetchStarted) }
  const text = await res.text()
  const upstreamMs = performance.now() - fetchStarted
  if (same) {
    let usage
    try {
      usage = up.decodeResponse(JSON.parse(text)).usage
    } catch {
      usage = undefined
    }
    completeRecord(state, ctx, res.status, { usage, upstreamMs })
    return { kind: 'response', response: new Response(text, { status: res.status, headers: proxyHeaders({ 'content-type': res.headers.get('content-type') ?? 'application/json' }, info) }) }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return {
      kind: 'error',
      error: new GatewayError(502, `provider ${attempt.provider.name} answered 200 with a body that is not JSON`, { code: 'bad_upstream_response', retryable: true }),
      attempt,
      keyBound: false,
    }
  }
  const canon = up.decodeResponse(parsed)
  completeRecord(state, ctx, 200, { usage: canon.usage, upstreamMs })
  const out = state.entry.dialect.encodeResponse(canon, rctx)
  return { kind: 'response', response: new Response(JSON.stringify(out), { headers: proxyHeaders(JSON_HEADERS, info) }) }
}

/** Same dialect, not streamed: bytes flow through as they arrive; usage is read from the copy at the end. */
function tappedPassthrough(state: RequestState, ctx: ProxyContext, up: Dialect, res: Response, info: RouteInfo, fetchStarted: number): Response {
  const chunks: Uint8Array[] = []
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      chunks.push(chunk)
      c.enqueue(chunk)
    },
    flush() {
      const upstreamMs = performance.now() - fetchStarted
      let usage
      try {
        usage = up.decodeResponse(JSON.parse(Buffer.concat(chunks).toString('utf8'))).usage
      } catch {
        usage = undefined
      }
      completeRecord(state, ctx, res.status, { usage, upstreamMs })
    },
    cancel() {
      completeRecord(state, ctx, res.status, { clientDisconnected: true })
    },
  } as Transformer<Uint8Array, Uint8Array>)
  const headers = proxyHeaders({ 'content-type': res.headers.get('content-type') ?? 'application/json' }, info)
  return new Response(res.body!.pipeThrough(tap), { status: res.status, headers })
}
