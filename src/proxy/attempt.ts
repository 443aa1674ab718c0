// One attempt of a plan: a target, a key, one upstream call (or a local provider). Three steps:
// prepare the upstream request (prepare.ts, pure), send it (upstream/send.ts), make the client's
// response (respond.ts). Every way an attempt ends is classified once by the outcome policy and
// reported once; nothing has reached the client when an error outcome is returned.
import { extractClientKey, extractUpstreamKey } from '../auth/extract-key'
import { dialectEntry, isLocal, registered } from '../dialects'
import type { Dialect } from '../dialects/dialect'
import { GatewayError, toGatewayError } from '../errors'
import type { VertexConfig } from '../config/types'
import { redact, registerSecret } from '../observe/redact'
import { tokenSourceFor } from '../upstream/google-auth'
import { isVertex } from '../upstream/vertex'
import { classifyOutcome } from '../upstream/outcome'
import { parseRetryAfter } from '../upstream/retry'
import { sendUpstream, type SentUpstream } from '../upstream/send'
import { bodyBounds, readBodyText, type BodyBounds } from '../upstream/bounded-body'
import { signContext } from '../upstream/sign-context'
import type { Attempt, ProxyContext } from './context'
import { prepareUpstream, type PreparedRequest } from './prepare'
import { canonicalFor, type AttemptOutcome, type ErrorOutcome, type RequestState } from './request-state'
import { respond } from './respond'
import { respondLocally } from './respond-local'
import type { AttemptSpan } from '../observe/otel/tracer'
import { proxyHeaders, type RouteInfo } from './response-headers'
import { noteDropped } from '../observe/request-record'

export type { AttemptOutcome, ErrorOutcome, RequestState }

export async function runAttempt(state: RequestState, attempt: Attempt, ctx: ProxyContext): Promise<AttemptOutcome> {
  // local providers have no target health or keys to report
  const target = registered(attempt.provider.dialect)
  if (target && isLocal(target)) return settle(() => respondLocally(state, attempt, ctx, target), attempt)
  const traced = traceAttempt(state, attempt, ctx)
  const outcome = await settle(() => callUpstream(state, attempt, ctx, traced?.traceparent), attempt)
  if (traced) endAttemptSpan(traced.span, outcome)
  ctx.reportAttempt({ attempt, key: outcome.key, outcome: outcome.verdict, retryAfterMs: outcome.kind === 'error' ? outcome.retryAfterMs : undefined })
  return outcome
}

/** anything thrown becomes a classified error outcome */
async function settle(run: () => AttemptOutcome | Promise<AttemptOutcome>, attempt: Attempt): Promise<AttemptOutcome> {
  try {
    return await run()
  } catch (err) {
    return { kind: 'error', error: toGatewayError(err), attempt, verdict: classifyOutcome({ failed: err }) }
  }
}

function upstreamKeyFor(state: RequestState, attempt: Attempt, ctx: ProxyContext): string | undefined {
  if (!attempt.provider.passthrough) return ctx.upstreamKey(attempt.provider)
  // with auth configured the client's own key is the proxy key; its upstream key comes separately
  const h = state.request.headers
  return ctx.config.auth ? extractUpstreamKey(h) : extractClientKey(h, state.url)
}

/** a Vertex provider's bearer token; a failure to get one fails this target, not the request */
async function vertexToken(provider: Attempt['provider'] & { vertex: VertexConfig }, ctx: ProxyContext): Promise<string> {
  try {
    const token = await tokenSourceFor(provider.vertex, ctx.fetch).get()
    // a minted token is a secret like a configured key (registering again is a set lookup)
    registerSecret(token)
    return token
  } catch (err) {
    throw new GatewayError(502, `provider ${provider.name}: no Google access token: ${(err as Error).message}`, { code: 'upstream_auth', retryable: true })
  }
}

function upDialect(attempt: Attempt): Dialect {
  const up = dialectEntry(attempt.provider.dialect)
  if (up) return up
  throw new GatewayError(501, `provider ${attempt.provider.name} uses dialect ${attempt.provider.dialect}, which this build cannot send to yet`, {
    code: 'dialect_unsupported',
    retryable: false,
  })
}

/** With tracing on: this attempt's span, and the traceparent the upstream gets. */
function traceAttempt(state: RequestState, attempt: Attempt, ctx: ProxyContext): { span: AttemptSpan; traceparent: string } | undefined {
  const rec = state.life.rec
  if (!ctx.tracer || !rec.trace) return undefined
  const { provider } = attempt
  const t = ctx.tracer.attempt(rec.trace, { provider: provider.name, model: attempt.model, dialect: provider.dialect, origin: originOf(provider.base_url) })
  ;(rec.attemptSpans ??= []).push(t.span)
  return t
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined
  } catch {
    return undefined
  }
}

function endAttemptSpan(span: AttemptSpan, outcome: AttemptOutcome): void {
  if (outcome.kind === 'response') {
    span.status = outcome.response.status
    // a stream's span lasts until the request ends (set when the trace is built)
    if (!(outcome.response.headers.get('content-type') ?? '').includes('event-stream')) span.endMs = Date.now()
    return
  }
  span.endMs = Date.now()
  span.status = outcome.error.status
  span.error = outcome.error.message
}

async function callUpstream(state: RequestState, attempt: Attempt, ctx: ProxyContext, traceparent?: string): Promise<AttemptOutcome> {
  const up = upDialect(attempt)
  const provider = attempt.provider
  const key = isVertex(provider) && up.vertex ? await vertexToken(provider, ctx) : upstreamKeyFor(state, attempt, ctx)
  const prepare = (asIs: boolean) => {
    const prepared = prepareUpstream({
      front: state.entry,
      up,
      attempt,
      body: state.body,
      raw: state.raw,
      canonical: () => canonicalFor(state, attempt),
      clientHeaders: state.request.headers,
      clientQuery: state.url.searchParams,
      key,
      asIs,
      stream: state.life.rec.stream,
      translate: state.cache !== undefined,
    })
    if (traceparent) prepared.headers.set('traceparent', traceparent)
    // the dialect's signer (Bedrock SigV4) covers the final URL, headers and body: nothing changes them after
    up.sign?.(prepared, attempt.provider, key, signContext())
    return prepared
  }
  let prepared = prepare(false)
  noteDropped(state.life.rec, up.name, prepared.dropped)
  let fetchStarted = performance.now()
  let sent = await send({ state, attempt, ctx }, prepared, fetchStarted)
  // a server that refuses what the proxy added to a pass-through body (an older OpenAI-compatible
  // one and stream_options): once more with the client's body as it was (the stream then goes
  // unbilled, as it would without us)
  if (prepared.hide && (await refusedAdaptation(up, sent.response))) {
    sent.abort('adaptation refused')
    prepared = prepare(true)
    fetchStarted = performance.now()
    sent = await send({ state, attempt, ctx }, prepared, fetchStarted)
  }
  const res = sent.response
  if (!res.ok) return upstreamFailure({ state, attempt, up, prepared, key, res, bounds: bodyBounds(state, attempt, ctx, sent.abort) })
  if ((res.headers.get('content-type') ?? '').includes('text/html')) {
    sent.abort('html answer')
    const error = new GatewayError(502, `provider ${attempt.provider.name} answered with an HTML page instead of an API response (check its base_url)`, {
      code: 'bad_upstream_response',
      retryable: true,
    })
    return { kind: 'error', error, attempt, verdict: classifyOutcome({ failed: error }) }
  }
  return respond({ state, ctx, attempt, up, prepared, sent, key, fetchStarted })
}

const refusedAdaptation = async (up: Dialect, res: Response): Promise<boolean> =>
  !res.ok && up.refusedAdaptation !== undefined && up.refusedAdaptation(res.status, await res.clone().text().catch(() => ''))

interface AttemptCall {
  state: RequestState
  attempt: Attempt
  ctx: ProxyContext
}

function send({ state, attempt, ctx }: AttemptCall, prepared: PreparedRequest, fetchStarted: number): Promise<SentUpstream> {
  const { provider } = attempt
  return sendUpstream(prepared, {
    fetch: ctx.fetch,
    firstByteTimeoutMs: Math.min(provider.first_byte_timeout, Math.max(1, state.life.started + ctx.config.server.request_timeout - fetchStarted)),
    clientSignal: state.request.signal,
    providerName: provider.name,
    log: ctx.log,
  })
}

interface Refusal {
  state: RequestState
  attempt: Attempt
  up: Dialect
  prepared: PreparedRequest
  key: string | undefined
  res: Response
  bounds: BodyBounds
}

/** A non-2xx answer: the dialect reads the error, the outcome policy says what it means. */
async function upstreamFailure(f: Refusal): Promise<ErrorOutcome> {
  const { attempt, res } = f
  // some upstreams quote the key they were sent in their error; it must not reach the client
  const text = redact(
    await readBodyText(res, f.bounds).catch((err) => {
      // an error answer that stalls is a timeout; one that breaks still says its status
      if (err instanceof GatewayError && err.code === 'upstream_timeout') throw err
      return ''
    }),
  )
  let error = f.up.decodeError(res.status, text, res.headers)
  // the dialect read numeric hints; an HTTP-date Retry-After needs the clock, which lives here
  const retryAfterMs = error.retryAfter !== undefined ? error.retryAfter * 1000 : parseRetryAfter(res.headers, Date.now())
  const verdict = classifyOutcome({ answered: res.status, retryHint: error.retryable, passthrough: attempt.provider.passthrough })
  if (verdict.keyBound && !error.retryable) {
    // our key was refused: another key or target may work; the client did nothing wrong
    const hint = !f.key ? ` (no api_key is configured for provider ${attempt.provider.name})` : ''
    error = new GatewayError(error.status, `provider ${attempt.provider.name} refused the request: ${error.message}${hint}`, {
      kind: error.kind,
      code: error.code,
      retryable: true,
    })
  }
  const contentType = res.headers.get('content-type') ?? 'application/json'
  const upstreamRetryAfter = res.headers.get('retry-after')
  const raw = f.prepared.same
    ? (info: RouteInfo) =>
        new Response(text, {
          status: res.status,
          headers: proxyHeaders({ 'content-type': contentType }, info, upstreamRetryAfter ? { 'retry-after': upstreamRetryAfter } : undefined),
        })
    : undefined
  return { kind: 'error', error, attempt, key: f.key, verdict, retryAfterMs, raw }
}
