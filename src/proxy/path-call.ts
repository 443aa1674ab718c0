// Front doors whose URL names the model and the method (Gemini's `models/{model}:{method}`): the
// dialect's pure parser reads the path, then the call goes to the generation pipeline or to a
// local token count.
import type { Dialect } from '../dialects/dialect'
import { GatewayError, toGatewayError } from '../errors'
import { countRequestTokens } from '../tokens/count-tokens'
import type { Call, ProxyContext } from './context'
import { errorResponse } from './errors-reply'
import { handleGenerate } from './handle'
import { readJsonObject } from './read-body'
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
  try {
    const principal = await ctx.authenticate(request, url)
    ctx.authorize(principal, call.model)
    const { body } = await readJsonObject(request, ctx.config.server.max_body_size)
    const forwarded = await forwardCount(entry, body, call.model, request, basePath, ctx)
    if (forwarded) return forwarded
    const canon = entry.decodeRequest({ ...routes.countRequest(body), model: call.model, stream: false })
    return new Response(JSON.stringify(routes.countReply(countRequestTokens(canon))), { headers: proxyHeaders(JSON_HEADERS, info) })
  } catch (err) {
    return errorResponse(entry, toGatewayError(err), info)
  }
}

/** A count the model's own upstream can make exactly (same dialect, not Vertex); undefined: count locally. */
async function forwardCount(entry: Dialect, body: Record<string, unknown>, model: string, request: Request, basePath: string, ctx: ProxyContext): Promise<Response | undefined> {
  let attempt
  try {
    attempt = (await ctx.resolve(model, basePath)).attempts[0]
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
    const text = await sent.response.text()
    return new Response(text, { headers: proxyHeaders(JSON_HEADERS, { requestId: ctx.newId('req_'), provider: p.name, model: attempt.model, attempts: 1 }) })
  } catch {
    return undefined
  }
}
