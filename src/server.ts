// The router: one table of "METHOD path" → handler, rebuilt on every config reload (base paths and
// model base_paths can change without a restart), and dispatch, which turns any error into an
// answer in the client's dialect. The gateway (gateway.ts) owns the table; this file holds no state.
import { apiDialectFor, frontDoors, frontFor } from './dialects'
import type { Dialect } from './dialects/dialect'
import { requestUrl } from './proxy/request-url'
import { GatewayError, toGatewayError } from './errors'
import { handleApiPassthrough } from './proxy/api-passthrough'
import { handleCountTokens } from './proxy/count-tokens'
import { handlePathCall } from './proxy/path-call'
import { errorResponse } from './proxy/errors-reply'
import { handleGenerate } from './proxy/handle'
import { listAliases } from './proxy/aliases-list'
import { expandWildcards, listModels } from './proxy/models-list'
import { handleStoredRoute } from './proxy/stored'
import type { RuntimeHolder } from './runtime'
import { VERSION } from './version'
import { mayShowDetails, requireMetricsKey } from './proxy/metrics-access'

type Handler = (request: Request, url: URL, basePath: string) => Promise<Response> | Response

export interface RouteEntry {
  method: string
  handler: Handler
  basePath: string
  /** dialect whose error shape this route answers in; none: the client's (frontFor), per request */
  errors?: Dialect
  /** a generation request: turned away with a 503 while draining (holder.active counts request lifecycles) */
  tracked?: boolean
}

/** The error dialect for endpoints that belong to no dialect (models list, unknown paths). */
const errorDialectFor = (request: Request, url?: URL): Dialect => frontFor(request.headers, url)

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

function normalizeBase(p: string): string {
  if (!p || p === '/') return ''
  return ('/' + p.replace(/^\/+|\/+$/g, '')).replace(/\/+/g, '/')
}

export function buildRouteTable(holder: RuntimeHolder): Map<string, RouteEntry> {
  const cfg = holder.current.config
  const table = new Map<string, RouteEntry>()
  const bases = new Set(cfg.server.base_paths.map(normalizeBase))
  for (const e of cfg.models) if (e.base_path) bases.add(normalizeBase(e.base_path))
  for (const base of bases) {
    const add = (method: string, path: string, errors: Dialect | undefined, handler: Handler, tracked = false) =>
      table.set(`${method} ${base}${path}`, { method, handler, basePath: base || '/', errors, tracked })
    for (const entry of frontDoors()) {
      for (const path of entry.routes) add('POST', path, entry, (request, url, basePath) => handleGenerate(entry, { request, url, basePath }, holder.current.ctx), true)
      // `{prefix}*`: the model and method follow the prefix (dispatch finds these by prefix)
      for (const prefix of entry.pathRoutes?.prefixes ?? [])
        add('POST', `${prefix}*`, entry, (request, url, basePath) => handlePathCall(entry, { request, url, basePath }, `${base}${prefix}`, holder.current.ctx), true)
      const countTokens: Handler = (request, url, basePath) => handleCountTokens(entry, { request, url, basePath }, holder.current.ctx)
      for (const path of entry.countTokens?.routes ?? []) add('POST', path, entry, countTokens)
      // stored responses by id: `{path}/*` is matched by prefix in dispatch
      for (const path of entry.stored?.routes ?? []) {
        const handler: Handler = (request, url, basePath) => handleStoredRoute(entry, `${base}${path}`, { request, url, basePath }, holder.current.ctx)
        add('GET', `${path}/*`, entry, handler)
        add('DELETE', `${path}/*`, entry, handler)
      }
      for (const path of entry.sinkRoutes ?? [])
        add('POST', path, entry, async (req) => {
          await req.body?.cancel().catch(() => {})
          return json({})
        })
    }
    add('GET', '/v1/models', undefined, (req, url, bp) => modelsHandler(holder, req, url, bp))
    add('GET', '/models', undefined, (req, url, bp) => modelsHandler(holder, req, url, bp))
    // a path-routed front door's own models list (`GET /v1beta/models`); a path shared with the
    // lists above (`/v1/models`) stays shared and answers in the shape its client claims
    for (const entry of frontDoors())
      for (const prefix of (entry.modelList && entry.pathRoutes?.prefixes) || [])
        if (!table.has(`GET ${base}${prefix.slice(0, -1)}`)) add('GET', prefix.slice(0, -1), entry, (req, url, bp) => modelsHandler(holder, req, url, bp, entry))
    add('GET', '/v1/aliases', undefined, (req, url, bp) => aliasesHandler(holder, req, url, bp))
    // the rest of each dialect's vendor API (embeddings, files, batches…): matched by apiRoute
    table.set(`API ${base}`, { method: '*', basePath: base || '/', handler: () => new Response(null, { status: 404 }), tracked: true })
  }
  table.set('GET /health', {
    method: 'GET',
    basePath: '/',
    handler: async (request) => json((await mayShowDetails(holder.current.ctx, request)) ? health(holder) : { status: health(holder).status }),
  })
  table.set('GET /healthz', { method: 'GET', basePath: '/', handler: () => new Response('ok') })
  table.set('GET /readyz', {
    method: 'GET',
    basePath: '/',
    handler: () => (holder.draining ? new Response('draining', { status: 503 }) : new Response('ready')),
  })
  table.set('GET /metrics/running-totals', { method: 'GET', basePath: '/', handler: (req, url) => runningTotalsHandler(holder, req, url) })
  table.set('GET /metrics', {
    method: 'GET',
    basePath: '/',
    handler: async (request) => {
      await requireMetricsKey(holder.current.ctx, request)
      return new Response(holder.current.metricsText(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } })
    },
  })
  return table
}

function health(holder: RuntimeHolder) {
  const cfg = holder.current.config
  return {
    status: holder.draining ? 'draining' : 'ok',
    version: VERSION,
    uptime_s: Math.round((Date.now() - holder.startedAt) / 1000),
    providers: cfg.providers.map((p) => ({ name: p.name, dialect: p.dialect, keys: p.passthrough ? 'passthrough' : p.api_keys.length })),
    models: cfg.models.length,
    in_flight: holder.inflight - 1, // not this /health request itself
    ...holder.current.healthDetails?.(),
  }
}

/** a malformed %-escape is just a name no model has */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

async function modelsHandler(holder: RuntimeHolder, request: Request, url: URL, basePath: string, shape?: Dialect): Promise<Response> {
  const ctx = holder.current.ctx
  const front = shape ?? frontFor(request.headers, url)
  const principal = await ctx.authenticate(request, url)
  const cfg = holder.current.config
  let models = listModels(cfg, basePath)
  if (cfg.policy.list_wildcards === 'expand' && ctx.upstreamModels) models = models.concat(await expandWildcards(cfg, basePath, ctx.upstreamModels))
  models = models.filter((m) => holder.current.modelVisible(principal, m.id))
  // (Gemini names models `models/{id}`)
  const id = url.pathname.includes('/models/') ? safeDecode(url.pathname.slice(url.pathname.indexOf('/models/') + 8)).replace(/^models\//, '') : undefined
  if (id !== undefined) {
    const m = models.find((x) => x.id === id)
    if (!m) throw new GatewayError(404, `model ${id} is not available through this proxy`, { code: 'model_not_found' })
    models = [m]
    return json(front.modelEntry ? front.modelEntry(m, holder.startedAt) : (front.modelList!(models, holder.startedAt) as { data: unknown[] }).data[0])
  }
  return json(front.modelList!(models, holder.startedAt))
}

/** a `{prefix}/*` route for {prefix}/{id} or {prefix}/{id}/{sub} */
function prefixRoute(holder: RuntimeHolder, method: string, path: string): RouteEntry | undefined {
  let j = path.length
  for (let k = 0; k < 2; k++) {
    j = path.lastIndexOf('/', j - 1)
    if (j <= 0) return undefined
    const r = holder.routes.get(`${method} ${path.slice(0, j)}/*`)
    if (r) return r
  }
  return undefined
}

/** A path of a dialect's vendor API under a base path (longest base first), forwarded as it is. */
function apiRoute(holder: RuntimeHolder, path: string, headers: Headers): RouteEntry | undefined {
  let best: { base: string; entry: RouteEntry } | undefined
  for (const [key, entry] of holder.routes) {
    if (!key.startsWith('API ')) continue
    const base = key.slice(4)
    if ((base === '' || path.startsWith(base + '/')) && (!best || base.length > best.base.length)) best = { base, entry }
  }
  if (!best) return undefined
  const front = apiDialectFor(path.slice(best.base.length), headers)
  if (!front) return undefined
  return { ...best.entry, errors: front, handler: (request, url, basePath) => handleApiPassthrough(front, { request, url, basePath }, holder.current.ctx) }
}

/** the models: table's names and targets, as GET /v1/models filters them */
async function aliasesHandler(holder: RuntimeHolder, request: Request, url: URL, basePath: string): Promise<Response> {
  const rt = holder.current
  const principal = await rt.ctx.authenticate(request, url)
  return json({ object: 'list', data: listAliases(rt.config, basePath, (name) => rt.modelVisible(principal, name)) })
}

/** totals since start by provider, model and key; the same client auth as GET /v1/models */
async function runningTotalsHandler(holder: RuntimeHolder, request: Request, url: URL): Promise<Response> {
  await holder.current.ctx.authenticate(request, url)
  return json(holder.current.runningTotals())
}

export async function dispatch(holder: RuntimeHolder, request: Request): Promise<Response> {
  let url: URL
  try {
    url = requestUrl(request)
  } catch (err) {
    return errorResponse(errorDialectFor(request), toGatewayError(err), { requestId: holder.current.ctx.newId('req_'), attempts: 0 })
  }
  let path = url.pathname
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  let route = holder.routes.get(`${request.method} ${path}`)
  if (!route && request.method === 'POST') {
    // POST {base}/v1beta/models/{model}:{method}
    const i = path.indexOf('/models/')
    if (i >= 0) route = holder.routes.get(`POST ${path.slice(0, i + 8)}*`)
  }
  if (!route && request.method === 'GET') {
    // GET {base}/v1/models/{id}
    const i = path.lastIndexOf('/models/')
    if (i >= 0) route = holder.routes.get(`GET ${path.slice(0, i)}/models`)
  }
  route ??= prefixRoute(holder, request.method, path)
  route ??= apiRoute(holder, path, request.headers)
  if (!route) {
    const errors = errorDialectFor(request, url)
    const known = [...holder.routes.keys()].some((k) => k.endsWith(` ${path}`))
    const err = known
      ? new GatewayError(405, `method ${request.method} is not allowed on ${path}`, { code: 'method_not_allowed' })
      : new GatewayError(404, `no endpoint at ${request.method} ${path}; this proxy serves /v1/chat/completions, /v1/responses, /v1/messages, /v1beta/models/{model}:generateContent and /v1/models`, {
          code: 'not_found',
        })
    return errorResponse(errors, err, { requestId: holder.current.ctx.newId('req_'), attempts: 0 })
  }
  // draining: the listener stays open so /readyz can say 503 to the load balancer, and new
  // generation requests are turned away (retryable) so the in-flight ones can finish
  if (holder.draining && route.tracked)
    return errorResponse(route.errors ?? errorDialectFor(request, url), new GatewayError(503, 'this llm-proxy instance is shutting down; retry the request', { code: 'shutting_down', retryAfter: 1 }), {
      requestId: holder.current.ctx.newId('req_'),
      attempts: 0,
    })
  holder.inflight++
  try {
    return await route.handler(request, url, route.basePath)
  } catch (err) {
    const g = toGatewayError(err)
    if (!(err instanceof GatewayError)) holder.current.ctx.log.error('unhandled error', { path, error: String(err) })
    const errors = route.errors ?? errorDialectFor(request, url)
    return errorResponse(errors, g, { requestId: holder.current.ctx.newId('req_'), attempts: 0 })
  } finally {
    holder.inflight--
  }
}

