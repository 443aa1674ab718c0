// The one pipeline for generation endpoints: Request → Response. Orchestration only: decoding,
// routing, encoding and framing live in their own modules.
import type { Dialect } from '../dialects/dialect'
import { GatewayError, toGatewayError } from '../errors'
import { runAttempt } from './attempt'
import type { ErrorOutcome, RequestState } from './request-state'
import type { Attempt, Call, Plan, ProxyContext, RequestRecord } from './context'
import { RequestLifecycle } from './lifecycle'
import { sessionIdOf } from '../sessions/session-id'
import { entryWithProgress, historyFacts, progressBlock, type SessionProgress } from '../sessions/session-progress'
import { clientInfo } from './client-info'
import { pluginBeforeRequest as beforeRequestHooks } from '../plugins/run-hooks'
import type { CanonRequest } from '../canonical/request'
import { RuleFacts } from '../routing/rule-conditions'
import { estimateRequest } from '../limits/estimate'
import { errorResponse } from './errors-reply'
import { readJsonObject } from './read-body'
import { requireField, requireModelField } from './validate-shape'
import { logAttemptDecision } from '../observe/attempt-log'
import { checkUnknownPrevious, continueStored } from './stored'
import { restoreCarry } from './carry'
import { answerFromCache } from './cache'

const MAX_RETRY_AFTER_MS = 30_000

/** what a front door's URL says instead of the body (Gemini: model and stream are in the path) */
export interface UrlCall {
  model: string
  stream: boolean
  /** the client reads a streamed JSON array, not SSE */
  jsonArray?: boolean
}

export async function handleGenerate(entry: Dialect, { request, url, basePath }: Call, ctx: ProxyContext, call?: UrlCall): Promise<Response> {
  const started = performance.now()
  const front = entry
  const rec: RequestRecord = {
    requestId: ctx.newId('req_'),
    method: request.method,
    path: url.pathname,
    front: front.name,
    attempts: 0,
    status: 0,
    stream: false,
    durationMs: 0,
  }
  if (ctx.tracer) {
    rec.trace = ctx.tracer.start(request.headers.get('traceparent'))
    rec.startedAtMs = Date.now()
  }
  const life = new RequestLifecycle(ctx, rec, started)
  try {
    const principal = await ctx.authenticate(request, url)
    rec.principal = principal
    const read = await readJsonObject(request, ctx.config.server.max_body_size)
    // the URL's model and stream go on a copy of the body, where decoders read them
    const asked = call ? { ...read.body, model: call.model, stream: call.stream } : read.body
    rec.requestBytes = read.size
    rec.remoteAddr = clientInfo(request)?.remoteAddr
    for (const [field, kinds] of entry.required) requireField(asked, field, kinds)
    // a request continuing a stored response gets the whole conversation before anything reads it
    const stored = await continueStored(front, asked, principal, ctx)
    const { body } = stored
    const size = stored.body === asked ? read.size : JSON.stringify(body).length
    if (ctx.plugins?.length) await beforeRequestHooks(ctx.plugins, { requestId: rec.requestId, front: front.name, model: String(body.model ?? ''), body, headers: request.headers, remoteAddr: rec.remoteAddr, principal: { name: principal.name, group: principal.group } })
    const requested = requireModelField(body)
    rec.stream = body.stream === true
    // routing rules may look at the decoded request: decoded at most once, and only if they do
    let canonical: CanonRequest | undefined
    let decodeDropped: string[] | undefined
    const facts = new RuleFacts({
      model: requested ?? '',
      front: front.name,
      headers: request.headers,
      keyName: principal.name,
      group: principal.group,
      request: () => (canonical ??= front.decodeRequest(body, { dropped: (decodeDropped = []) })),
      inputTokens: () => Math.ceil(size / 4),
    })
    let plan = await ctx.resolve(requested, basePath, facts)
    if (plan.entry?.inject_progress && ctx.sessions) plan = withSessionProgress(plan, ctx.sessions, rec, request.headers, body, facts)
    rec.modelRequested = plan.requested
    if (plan.rule) rec.rule = plan.rule.name
    ctx.authorize(principal, plan.requested)
    checkUnknownPrevious(front, stored.unknownPrevious, plan.attempts)
    // the client's text still says exactly `body` unless the URL, a stored conversation or a plugin changed it
    const raw = !call && stored.body === asked && !ctx.plugins?.length ? read.raw : undefined
    const state: RequestState = { entry, request, url, body, raw, plan, principal, life, bodySize: size, canonical, decodeDropped, jsonArray: call?.jsonArray, keep: stored.keep }
    const est = estimateRequest(body, size, ctx.config.pricing, plan.attempts.map((a) => a.model))
    life.admission = await ctx.admit(principal, est.tokens, est.costUsd)
    const cached = await answerFromCache(state, ctx)
    if (cached) return cached
    await restoreCarry(state, ctx)
    return await runPlan(state, ctx)
  } catch (err) {
    const g = toGatewayError(err)
    if (g.status >= 500 && !(err instanceof GatewayError)) ctx.log.error('request failed', { request_id: rec.requestId, error: String(err) })
    // a failure after the response went out was already recorded: finish() is then a no-op
    const gone = g.status === 499
    life.finish({ status: g.status, error: g.message, clientDisconnected: gone || undefined, errorClass: gone ? 'client_disconnected' : undefined })
    return errorResponse(front, g, { requestId: rec.requestId, attempts: rec.attempts, limitHeaders: life.admission?.headers })
  }
}

/** An agent session's progress, appended to the system prompt of the attempts its entry routes. */
function withSessionProgress(plan: Plan, sessions: SessionProgress, rec: RequestRecord, headers: Headers, body: Record<string, unknown>, facts: RuleFacts): Plan {
  const id = sessionIdOf(headers, body)
  if (!id) return plan
  rec.sessionId = id
  const now = Date.now()
  sessions.start(id, now)
  const block = progressBlock(historyFacts(facts.input.request()), sessions.get(id, now), now)
  const entry = entryWithProgress(plan.entry!, block)
  return { ...plan, entry, attempts: plan.attempts.map((a) => (a.entry === plan.entry ? { ...a, entry } : a)) }
}

async function runPlan(state: RequestState, ctx: ProxyContext): Promise<Response> {
  const { rec } = state.life
  const deadline = state.life.started + ctx.config.server.request_timeout
  const attempts = allowedAttempts(state, ctx)
  // on the record from the start: a success after failed attempts reports them too (metrics)
  const tried: string[] = (rec.tried = [])
  let last: GatewayError | undefined
  let lastOutcome: ErrorOutcome | undefined
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i]
    const hasNext = i + 1 < attempts.length
    const keys = attempt.provider.passthrough ? 1 : Math.max(1, attempt.provider.api_keys.length)
    let keysTried = 0
    let retry = 0
    for (;;) {
      rec.attempts++
      const outcome = await runAttempt(state, attempt, ctx)
      if (outcome.kind === 'response') return outcome.response
      last = outcome.error
      lastOutcome = outcome
      tried.push(`${attempt.target} (${outcome.verdict.clientStatus})`)
      const decided = (decision: string) =>
        logAttemptDecision(ctx.log, { requestId: rec.requestId, attempt: rec.attempts, target: attempt.target, status: outcome.error.status, error: outcome.error.message, decision, elapsedMs: performance.now() - state.life.started })
      const onward = hasNext ? 'fail over to the next target' : 'give up: no target left'
      if (!outcome.verdict.retryable) {
        decided('give up: not retryable')
        return finalError(state, outcome, tried)
      }
      if (outcome.verdict.keyBound) {
        // our key was refused: every other key of this provider once, at once (not a retry);
        // the pool skips the keys benched by the refusals
        if (++keysTried < keys) {
          decided('next key of this provider')
          continue
        }
        // a refused key stays refused; only a rate limit is worth waiting out
        if (outcome.verdict.bench !== 'rate') {
          decided(onward)
          break
        }
      }
      // fail over without waiting; back off only on the last target
      if (hasNext || retry >= attempt.provider.max_retries) {
        decided(hasNext ? onward : `give up: ${attempt.provider.max_retries} retries used`)
        break
      }
      const wait = Math.max(ctx.backoffMs(retry), Math.min(outcome.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS))
      if (performance.now() + wait >= deadline) {
        decided('give up: the retry would pass request_timeout')
        break
      }
      decided(`retry in ${Math.round(wait)} ms`)
      await pause(ctx, wait, state.request.signal)
      if (state.request.signal.aborted) break
      retry++
    }
    if (performance.now() >= deadline) break
  }
  rec.tried = tried
  const summary = tried.length ? `; tried ${tried.join(', ')}` : ''
  const err = last
    ? new GatewayError(last.status, `${last.message}${tried.length > 1 ? summary : ''}`, {
        code: last.code,
        kind: last.kind,
        retryAfter: last.retryAfter,
        retryable: false,
      })
    : new GatewayError(502, `no provider could be tried for model ${state.plan.requested}`, { code: 'no_route' })
  return finalError(state, lastOutcome ? { ...lastOutcome, error: err } : undefined, tried, err)
}

/** ctx.sleep, cut short when the client goes away (a request waiting out a Retry-After holds its limiter slot) */
function pause(ctx: ProxyContext, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
    ctx.sleep(ms).then(done, done)
  })
}

function allowedAttempts(state: RequestState, ctx: ProxyContext): Attempt[] {
  const out: Attempt[] = []
  let denied: GatewayError | undefined
  for (const a of ctx.orderAttempts(state.plan.attempts)) {
    try {
      ctx.authorize(state.principal, state.plan.requested, a.provider.name)
      out.push(a)
    } catch (err) {
      denied = toGatewayError(err)
    }
  }
  if (out.length === 0 && denied) throw denied
  return out
}

/** The error the client gets once no attempt is left: pass-through errors keep the upstream's own body. */
function finalError(state: RequestState, outcome: ErrorOutcome | undefined, tried: string[], err?: GatewayError): Response {
  const { life } = state
  const { rec } = life
  const g = err ?? outcome!.error
  rec.tried = tried
  if (outcome) {
    rec.provider = outcome.attempt.provider.name
    rec.modelUpstream = outcome.attempt.model
  }
  life.finish({ status: g.status, error: g.message })
  const info = { requestId: rec.requestId, provider: rec.provider, model: rec.modelUpstream, attempts: rec.attempts, limitHeaders: life.admission?.headers, rule: rec.rule }
  // the upstream's own answer when it is the whole story: one try, or an error the client caused
  if (outcome?.kind === 'error' && outcome.raw && (tried.length === 1 || !err)) return outcome.raw(info)
  return errorResponse(state.entry, g, info)
}
