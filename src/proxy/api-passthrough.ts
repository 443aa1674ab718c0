// An endpoint of a vendor's API besides generation (embeddings, files, batches, audio…): the call
// goes to a provider of that API as it came (only a JSON body's model becomes the upstream one),
// with the proxy's auth, group checks, limits, log line and ledger row. The provider comes from
// the body's model, routed as for generation, or for a model-less call from default_provider.
import { extractClientKey, extractUpstreamKey } from '../auth/extract-key'
import { dialectEntry } from '../dialects'
import type { Dialect, PassthroughApi } from '../dialects/dialect'
import { GatewayError, toGatewayError } from '../errors'
import { redact } from '../observe/redact'
import { familyAttempts, modellessProvider } from '../routing/resolve-endpoint'
import { applyAuth, upstreamUrl } from '../upstream/build-request'
import { forwardedHeaders } from '../upstream/forward-headers'
import { classifyOutcome } from '../upstream/outcome'
import { sendUpstream, type SentUpstream } from '../upstream/send'
import { bodyTooLarge, modelOf, readApiBody, tapAnswer, upstreamBody, type ApiBody } from './api-body'
import { clientInfo } from './client-info'
import type { Attempt, Call, Principal, ProxyContext, RequestRecord } from './context'
import { errorResponse } from './errors-reply'
import { RequestLifecycle } from './lifecycle'
import { proxyHeaders, type RouteInfo } from './response-headers'

/** upstream answer headers that describe the hop or the encoding, not the content */
const DROP_ANSWER_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'set-cookie', 'x-request-id'])

/** the error body kept of a refused call (it goes to the client as the upstream wrote it) */
const MAX_ERROR_TEXT = 64 * 1024

interface ApiCall {
  front: Dialect
  api: PassthroughApi
  request: Request
  url: URL
  /** the client's path under its base path, e.g. /v1/embeddings */
  path: string
  body: ApiBody
  principal: Principal
  life: RequestLifecycle
}

export async function handleApiPassthrough(front: Dialect, { request, url, basePath }: Call, ctx: ProxyContext): Promise<Response> {
  const api = front.api!
  const rec: RequestRecord = { requestId: ctx.newId('req_'), method: request.method, path: url.pathname, front: front.name, attempts: 0, status: 0, stream: false, durationMs: 0 }
  const life = new RequestLifecycle(ctx, rec, performance.now())
  try {
    const principal = await ctx.authenticate(request, url)
    rec.principal = principal
    rec.remoteAddr = clientInfo(request)?.remoteAddr
    const path = basePath === '/' ? url.pathname : url.pathname.slice(basePath.length)
    const body = await readApiBody(request, ctx.config.server.max_body_size)
    if (body.kind === 'json') rec.requestBytes = body.text.length
    const call: ApiCall = { front, api, request, url, path, body, principal, life }
    const attempts = await targets(call, basePath, ctx)
    life.admission = await ctx.admit(principal, body.kind === 'json' ? Math.ceil(body.text.length / 4) : 0)
    return await runAttempts(call, attempts, ctx)
  } catch (err) {
    const g = toGatewayError(err)
    if (g.status >= 500 && !(err instanceof GatewayError)) ctx.log.error('request failed', { request_id: rec.requestId, error: String(err) })
    life.finish({ status: g.status, error: g.message })
    return errorResponse(front, g, { requestId: rec.requestId, attempts: rec.attempts, limitHeaders: life.admission?.headers })
  }
}

/** the attempts this call may make, authorized; routing as for generation, or the model-less provider */
async function targets(call: ApiCall, basePath: string, ctx: ProxyContext): Promise<Attempt[]> {
  const { principal, life } = call
  const model = modelOf(call.body)
  let attempts: Attempt[]
  if (model !== undefined) {
    const plan = await ctx.resolve(model, basePath)
    life.rec.modelRequested = plan.requested
    ctx.authorize(principal, plan.requested)
    attempts = ctx.orderAttempts(familyAttempts(plan, call.api.family, call.path))
  } else {
    const provider = modellessProvider(ctx.config, call.api.family, call.path)
    attempts = [{ provider, model: '', target: provider.name }]
  }
  let denied: unknown
  const allowed = attempts.filter((a) => {
    try {
      ctx.authorize(principal, life.rec.modelRequested, a.provider.name)
      return true
    } catch (err) {
      denied = err
      return false
    }
  })
  if (!allowed.length) throw denied
  return allowed
}

/** one attempt after another while a retry can help and the body can be sent again (a stream cannot) */
async function runAttempts(call: ApiCall, attempts: Attempt[], ctx: ProxyContext): Promise<Response> {
  const { rec } = call.life
  const tried: string[] = (rec.tried = [])
  const replayable = call.body.kind !== 'stream'
  for (let i = 0; ; i++) {
    const attempt = attempts[i]
    const last = i + 1 >= attempts.length || !replayable
    rec.attempts++
    rec.provider = attempt.provider.name
    rec.modelUpstream = attempt.model || undefined
    const key = upstreamKeyFor(call, attempt, ctx)
    let sent: SentUpstream
    try {
      sent = await send(call, attempt, key, ctx)
    } catch (err) {
      // a chunked upload that passed max_body_size fails the fetch: the client's fault, said so
      if (call.body.kind === 'stream' && call.body.overLimit()) throw bodyTooLarge(ctx.config.server.max_body_size)
      const g = toGatewayError(err)
      ctx.reportAttempt({ attempt, key, outcome: classifyOutcome({ failed: err }) })
      tried.push(`${attempt.target} (${g.status})`)
      if (last || !g.retryable) throw g
      continue
    }
    const res = sent.response
    const verdict = classifyOutcome({ answered: res.status, passthrough: attempt.provider.passthrough })
    ctx.reportAttempt({ attempt, key, outcome: verdict })
    if (res.ok) return answer(call, res, { ms: attempt.provider.idle_timeout, abort: sent.abort })
    if (!last && verdict.retryable) {
      tried.push(`${attempt.target} (${res.status})`)
      sent.abort('failing over')
      continue
    }
    return refused(call, res)
  }
}

function upstreamKeyFor(call: ApiCall, attempt: Attempt, ctx: ProxyContext): string | undefined {
  if (!attempt.provider.passthrough) return ctx.upstreamKey(attempt.provider)
  const h = call.request.headers
  return ctx.config.auth ? extractUpstreamKey(h) : extractClientKey(h, call.url)
}

function send(call: ApiCall, attempt: Attempt, key: string | undefined, ctx: ProxyContext): Promise<SentUpstream> {
  const { provider } = attempt
  const up = dialectEntry(provider.dialect)!
  const prefix = up.api?.basePrefix ?? ''
  const path = prefix && call.path.startsWith(prefix + '/') ? call.path.slice(prefix.length) : call.path
  // the same allow-list as pass-through generation (tracing, SDK identity, API versions and betas)
  const headers = forwardedHeaders(call.request.headers, provider.dialect, provider.forward_headers)
  const body = upstreamBody(call.body, attempt.model || undefined)
  if (call.body.kind === 'json') headers.set('content-type', 'application/json')
  // a multipart upload's boundary is in its content-type: it goes with the bytes
  const type = call.request.headers.get('content-type')
  if (call.body.kind === 'stream' && type) headers.set('content-type', type)
  // the bytes go on unchanged: a declared length stays true (some servers refuse chunked uploads)
  const length = call.request.headers.get('content-length')
  if (call.body.kind === 'stream' && length && /^\d+$/.test(length)) headers.set('content-length', length)
  for (const k in provider.headers) headers.set(k, provider.headers[k])
  applyAuth(headers, provider, key, up.auth)
  const life = call.life
  const left = Math.max(1, life.started + ctx.config.server.request_timeout - performance.now())
  return sendUpstream(
    { url: apiUrl(call, provider, attempt.model, path), method: call.request.method, headers, body },
    {
      fetch: ctx.fetch,
      // an upload streams before the answer can start: only the request's own deadline bounds it
      firstByteTimeoutMs: call.body.kind === 'stream' ? left : Math.min(provider.first_byte_timeout, left),
      clientSignal: call.request.signal,
      providerName: provider.name,
    },
  )
}

/**
 * The upstream URL with the client's query: on these endpoints it is the call itself (pagination,
 * filters: `?purpose=batch&after=…`), not an option of a generation request, so all of it goes,
 * except a key (`?key=`) and what the provider's own `query` sets.
 */
function apiUrl(call: ApiCall, provider: Attempt['provider'], model: string, path: string): string {
  const url = upstreamUrl(provider, model, path)
  const extra = new URLSearchParams()
  for (const [k, v] of call.url.searchParams) if (k !== 'key' && !(k in provider.query)) extra.append(k, v)
  const q = extra.toString()
  return q ? `${url}${url.includes('?') ? '&' : '?'}${q}` : url
}

const info = (call: ApiCall): RouteInfo => {
  const { rec } = call.life
  return { requestId: rec.requestId, provider: rec.provider, model: rec.modelUpstream, attempts: rec.attempts, limitHeaders: call.life.admission?.headers }
}

function answerHeaders(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  res.headers.forEach((v, k) => {
    if (!DROP_ANSWER_HEADERS.has(k)) out[k] = v
  })
  return out
}

/** the upstream's answer, streamed back as it comes; the request finishes when it has gone out */
function answer(call: ApiCall, res: Response, idle: { ms: number; abort: (reason: string) => void }): Response {
  const { life } = call
  const started = performance.now()
  const headers = proxyHeaders(answerHeaders(res), info(call))
  if (!res.body) {
    life.finish({ status: res.status })
    return new Response(null, { status: res.status, headers })
  }
  // JSON answers and SSE streams (a streamed /v1/completions ends with its usage) are scanned
  const type = res.headers.get('content-type') ?? ''
  const json = /json|event-stream/i.test(type)
  life.rec.stream = /event-stream/i.test(type)
  const body = tapAnswer(res.body, call.api, json, idle, (how) => {
    life.finish({ status: how.clientDisconnected ? 499 : res.status, usage: how.usage, error: how.error, clientDisconnected: how.clientDisconnected, upstreamMs: performance.now() - started })
  })
  return new Response(body, { status: res.status, headers })
}

/** a refusal no other attempt can fix: the upstream's own answer (secrets it quoted removed) */
async function refused(call: ApiCall, res: Response): Promise<Response> {
  const text = redact((await res.text().catch(() => '')).slice(0, MAX_ERROR_TEXT))
  const { life } = call
  life.finish({ status: res.status, error: text.slice(0, 300) || `upstream answered ${res.status}` })
  return new Response(text, { status: res.status, headers: proxyHeaders(answerHeaders(res), info(call)) })
}
