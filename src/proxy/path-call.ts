// Front doors whose URL names the model and the method (Gemini's `models/{model}:{method}`): the
// dialect's pure parser reads the path, then the call goes to the generation pipeline or to a
// local token count.
import type { Dialect } from '../dialects/dialect'
import { GatewayError, toGatewayError } from '../errors'
import { countTokensOffThread } from '../tokens/token-thread'
import type { Admission, Call, Principal, ProxyContext } from './context'
import { errorResponse } from './errors-reply'
import { handleGenerate } from './handle'
import { readJsonObject } from './read-body'
import { readBodyText as readUpstreamText } from '../upstream/bounded-body'

/** a count answer is a few bytes; anything past this is not one */
const MAX_COUNT_ANSWER = 64 * 1024
import { JSON_HEADERS, proxyHeaders } from './response-headers'
import { buildUpstreamRequest } from '../upstream/build-request'
import { sendUpstream } from '../upstream/send'

export async function handlePathCall(entry: Dialect, { request, url, basePath }: Call, prefix: string, ctx: ProxyContext): Promise<Response> {
  const routes = entry.pathRoutes!
  const call = routes.parse(url.pathname.slice(prefix.length), url)
  if (!call) {
    const err = new GatewayError(404, `no method at POST ${url.pathname.slice(0, 300)}; expected models/{model}:generateContent, :streamGenerateContent or :countTokens`, {
      code: 'not_found',
    })
    return errorResponse(entry, err, { requestId: ctx.newId('req_'), attempts: 0 })
  }
  if (call.action === 'generate') return handleGenerate(entry, { request, url, basePath }, ctx, call)
  const info = { requestId: ctx.newId('req_'), attempts: 0 }
  let admission: Admission | undefined
  try {
    const principal = await ctx.authenticate(request, url)
    ctx.authorize(principal, call.model)
    const { body } = await readJsonObject(request, ctx.config.server.max_body_size)
    // a count spends no tokens, but it is a request: rpm and max_concurrent apply, as on count_tokens
    admission = await ctx.admit(principal, 0)
    const forwarded = await forwardCount(entry, body, call.model, principal, request, basePath, ctx)
    if (forwarded) return forwarded
    const canon = entry.decodeRequest({ ...routes.countRequest(body), model: call.model, stream: false })
    // on the tokenizer's own thread: its load and a large count never hold other requests
    const { tokens } = await countTokensOffThread(canon)
    return new Response(JSON.stringify(routes.countReply(tokens)), { headers: proxyHeaders(JSON_HEADERS, { ...info, limitHeaders: admission.headers }) })
  } catch (err) {
    return errorResponse(entry, toGatewayError(err), { ...info, limitHeaders: admission?.headers })
  } finally {
    admission?.release({ tokens: 0, costUsd: 0 })
  }
}

/** A count the model's own upstream can make exactly (same dialect, not Vertex); undefined: count locally. */
async function forwardCount(entry: Dialect, body: Record<string, unknown>, model: string, principal: Principal, request: Request, basePath: string, ctx: ProxyContext): Promise<Response | undefined> {
  let attempt
  try {
    const plan = await ctx.resolve(model, basePath)
    attempt = plan.attempts[0]
    // a provider this group may not use is never called; the local count answers instead
    if (attempt) ctx.authorize(principal, plan.requested, attempt.provider.name)
  } catch {
    return undefined
  }
  const p = attempt?.provider
  if (!attempt || !p || p.dialect !== entry.name || p.vertex || p.passthrough) return undefined
  try {
    const wire = entry.pathRoutes!.countUpstream(attempt.model, body)
    const init = buildUpstreamRequest({ provider: p, model: attempt.model, path: wire.path, body: JSON.stringify(wire.body), key: ctx.upstreamKey(p), auth: entry.auth })
    const sent = await sendUpstream(init, { fetch: ctx.fetch, firstByteTimeoutMs: Math.min(p.first_byte_timeout, 15_000), clientSignal: request.signal, providerName: p.name })
    if (!sent.response.ok) {
      await sent.response.body?.cancel()
      return undefined
    }
    // bounded like every upstream body read: size, silence and the same 15 s the answer had
    const text = await readUpstreamText(sent.response, { providerName: p.name, idleMs: p.idle_timeout, deadline: performance.now() + 15_000, abort: sent.abort, maxBytes: MAX_COUNT_ANSWER })
    return new Response(text, { headers: proxyHeaders(JSON_HEADERS, { requestId: ctx.newId('req_'), provider: p.name, model: attempt.model, attempts: 1 }) })
  } catch {
    return undefined
  }
}
