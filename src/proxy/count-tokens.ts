// POST /v1/messages/count_tokens: forwarded when the model routes to an Anthropic provider, asked
// of the upstream's own counter when its dialect has one (Bedrock CountTokens), otherwise counted
// locally with a real tokenizer. A routing or upstream failure falls back to the local count:
// Claude Code calls this constantly and must never see it fail. It is guarded like every endpoint:
// the caller's key, its group's models and providers, its rpm and concurrency. The local count
// yields to the event loop as it goes and estimates beyond a size (tokens/token-budget.ts).
import type { Dialect } from '../dialects/dialect'
import { dialectEntry } from '../dialects'
import { toGatewayError } from '../errors'
import { countTokensOffThread } from '../tokens/token-thread'
import { buildUpstreamRequest } from '../upstream/build-request'
import { sendUpstream } from '../upstream/send'
import { signContext } from '../upstream/sign-context'
import type { Admission, Attempt, Call, Plan, Principal, ProxyContext } from './context'
import { errorResponse } from './errors-reply'
import { readJsonObject } from './read-body'
import { JSON_HEADERS, proxyHeaders } from './response-headers'
import { requireField, requireModelField } from './validate-shape'

export async function handleCountTokens(entry: Dialect, { request, url, basePath }: Call, ctx: ProxyContext): Promise<Response> {
  const requestId = ctx.newId('req_')
  const info = { requestId, attempts: 0 }
  let admission: Admission | undefined
  try {
    const principal = await ctx.authenticate(request, url)
    const { body } = await readJsonObject(request, ctx.config.server.max_body_size)
    for (const [field, kinds] of entry.required) requireField(body, field, kinds)
    const requested = requireModelField(body)
    // a name no route knows is still counted locally; a known one must be allowed to this caller
    const plan = await Promise.resolve(ctx.resolve(requested, basePath)).catch(() => undefined)
    ctx.authorize(principal, plan?.requested ?? requested ?? '')
    // a count spends no tokens, but it is a request: rpm and max_concurrent apply
    admission = await ctx.admit(principal, 0)
    const forwarded = await tryForward({ entry, body, plan, principal, request, url, ctx })
    if (forwarded) return forwarded
    const canon = entry.decodeRequest({ ...body, model: requested ?? 'unknown', max_tokens: 1 })
    const { tokens } = await countTokensOffThread(canon)
    return new Response(JSON.stringify({ input_tokens: tokens }), { headers: proxyHeaders(JSON_HEADERS, { ...info, limitHeaders: admission.headers }) })
  } catch (err) {
    return errorResponse(entry, toGatewayError(err), { ...info, limitHeaders: admission?.headers })
  } finally {
    admission?.release({ tokens: 0, costUsd: 0 })
  }
}

interface CountRequest {
  entry: Dialect
  body: Record<string, unknown>
  plan: Plan | undefined
  principal: Principal
  request: Request
  url: URL
  ctx: ProxyContext
}

async function tryForward({ entry, body, plan, principal, request, url, ctx }: CountRequest): Promise<Response | undefined> {
  const attempt = plan?.attempts[0]
  if (!attempt) return undefined
  // a provider this group may not use is never called; the local count answers instead
  try {
    ctx.authorize(principal, plan.requested, attempt.provider.name)
  } catch {
    return undefined
  }
  // Vertex serves count_tokens elsewhere (not forwarded: counted locally)
  if (attempt.provider.vertex) return undefined
  const up = dialectEntry(attempt.provider.dialect)
  if (up && attempt.provider.dialect !== entry.name) return countUpstream(entry, up, body, attempt, request, ctx)
  if (!up?.countTokens) return undefined
  try {
    const key = attempt.provider.passthrough ? undefined : ctx.upstreamKey(attempt.provider)
    const init = buildUpstreamRequest({
      provider: attempt.provider,
      model: attempt.model,
      path: `${up.upstreamPath}${up.countTokens.upstreamSuffix}`,
      body: JSON.stringify({ ...body, model: attempt.model }),
      key,
      auth: up.auth,
      clientHeaders: request.headers,
      clientQuery: url.searchParams,
    })
    const sent = await sendUpstream(init, {
      fetch: ctx.fetch,
      firstByteTimeoutMs: Math.min(attempt.provider.first_byte_timeout, 15_000),
      clientSignal: request.signal,
      providerName: attempt.provider.name,
    })
    if (!sent.response.ok) {
      await sent.response.body?.cancel()
      return undefined
    }
    const text = await sent.response.text()
    return new Response(text, { headers: proxyHeaders(JSON_HEADERS, { requestId: ctx.newId('req_'), provider: attempt.provider.name, model: attempt.model, attempts: 1 }) })
  } catch {
    return undefined
  }
}

/** the upstream dialect's own token counter (Bedrock CountTokens); undefined: count locally */
async function countUpstream(front: Dialect, up: Dialect, body: Record<string, unknown>, attempt: Attempt, request: Request, ctx: ProxyContext): Promise<Response | undefined> {
  if (!up.upstreamTokenCount || attempt.provider.passthrough) return undefined
  try {
    const canon = front.decodeRequest({ ...body, model: attempt.model, max_tokens: 1 })
    const wire = up.upstreamTokenCount.request(canon, attempt.model)
    if (!wire) return undefined
    const key = ctx.upstreamKey(attempt.provider)
    const init = buildUpstreamRequest({ provider: attempt.provider, model: attempt.model, path: wire.path, body: JSON.stringify(wire.body), key, auth: up.auth, extraHeaders: wire.headers })
    up.sign?.(init, attempt.provider, key, signContext())
    const sent = await sendUpstream(init, {
      fetch: ctx.fetch,
      firstByteTimeoutMs: Math.min(attempt.provider.first_byte_timeout, 15_000),
      clientSignal: request.signal,
      providerName: attempt.provider.name,
    })
    if (!sent.response.ok) {
      await sent.response.body?.cancel()
      return undefined
    }
    const n = up.upstreamTokenCount.read(await sent.response.json())
    if (n === undefined) return undefined
    return new Response(JSON.stringify({ input_tokens: n }), { headers: proxyHeaders(JSON_HEADERS, { requestId: ctx.newId('req_'), provider: attempt.provider.name, model: attempt.model, attempts: 1 }) })
  } catch {
    return undefined
  }
}
