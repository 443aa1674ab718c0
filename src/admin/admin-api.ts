// The admin HTTP API (/admin/…, JSON; docs/admin-api.md) and the dashboard it feeds (/ui). Only
// mounted when `admin:` is configured. Keys are written through the same operations as the
// `llm-proxy keys` CLI; after a write the key directory is refreshed, so this replica sees the
// change at once (the others within their 500 ms poll).
import { readBodyText } from '../proxy/read-body'
import { GatewayError } from '../errors'
import type { Services } from '../build-runtime'
import type { Config } from '../config/types'
import { createKey, KeyInputError, rotateKey, showKey, specToPatch, type KeySpec } from '../keys/key-operations'
import { KeyConflict, NoKeyStore, type KeyStore } from '../keys/key-store'
import { describeKey } from '../keys/virtual-key'
import { openUsageSeries, type Breakdown, type SeriesRange, type UsageSeries } from '../observe/usage-series'
import {
  adminKeyIndex,
  AdminAuthError,
  authenticateAdmin,
  clearedCookie,
  isHttps,
  sessionCookie,
  SessionStore,
  type AdminCaller,
} from './admin-auth'
import { providersView } from './providers-view'
import { serveUi } from './ui-assets'

export interface AdminApi {
  /** answers /admin/… and /ui…; never throws */
  fetch(request: Request, url: URL): Promise<Response>
  close(): Promise<void>
}

/** true for the paths the admin API and the dashboard own */
export const isAdminPath = (path: string): boolean => path === '/ui' || path.startsWith('/ui/') || path.startsWith('/admin/') || path === '/admin'

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

const MAX_BODY = 64 * 1024
/** how long an overview or usage table answer is reused */
const CACHE_MS = 5000
const SPEC_FIELDS = new Set(['name', 'group', 'models', 'rpm', 'tpm', 'max_concurrent', 'budget', 'expires', 'disabled'])
const RANGES = new Set(['hour', 'day', 'week'])
const BREAKDOWNS = new Set(['key', 'group', 'model', 'provider'])

const API_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { ...API_HEADERS, ...headers } })

const errorJson = (status: number, message: string, code: string) => json({ error: { message, code, status } }, status)

async function readJson(request: Request): Promise<Record<string, unknown>> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().includes('application/json'))
    throw new ApiError(415, 'send the body as JSON with content-type: application/json', 'unsupported_media_type')
  // the shared bounded reader: refuses by content-length and stops a chunked body at the limit
  // (login is reachable before any key is checked)
  let text: string
  try {
    text = await readBodyText(request, MAX_BODY)
  } catch (err) {
    if (err instanceof GatewayError) throw new ApiError(err.status, err.status === 413 ? `the body is larger than ${MAX_BODY} bytes` : err.message, err.code ?? 'invalid_request')
    throw err
  }
  let body: unknown
  try {
    body = text.trim() === '' ? {} : JSON.parse(text)
  } catch {
    throw new ApiError(400, 'the body is not valid JSON', 'invalid_json')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'the body must be a JSON object', 'invalid_request')
  return body as Record<string, unknown>
}

/** The body as a KeySpec: known fields only, each of the type the operations expect. */
export function toSpec(body: Record<string, unknown>): KeySpec {
  for (const k of Object.keys(body)) if (!SPEC_FIELDS.has(k)) throw new KeyInputError(`unknown field ${JSON.stringify(k.slice(0, 40))} (allowed: ${[...SPEC_FIELDS].join(', ')})`)
  const str = (f: string, nullable: boolean) => {
    const v = body[f]
    if (v === undefined || (nullable && v === null)) return
    if (typeof v !== 'string' || v.length > 200) throw new KeyInputError(`${f} must be a string${nullable ? ' or null' : ''}`)
  }
  str('name', false)
  str('group', false)
  str('budget', true)
  str('expires', true)
  return body as KeySpec
}

function decodeName(s: string): string {
  let name: string
  try {
    name = decodeURIComponent(s)
  } catch {
    throw new ApiError(404, 'no database key has that name', 'key_not_found')
  }
  if (name.length === 0 || name.length > 64) throw new ApiError(404, 'no database key has that name', 'key_not_found')
  return name
}

export interface AdminDeps {
  config: () => Config
  services: Services
  now?: () => number
}

export function createAdminApi(d: AdminDeps): AdminApi {
  const now = d.now ?? (() => d.services.clock.now())
  const sessions = new SessionStore()
  const s = d.services
  let lookup = adminKeyIndex(d.config().admin ?? { keys: [] })
  let lookupFor = d.config().admin
  let series: Promise<UsageSeries> | undefined
  const usage = () => (series ??= openUsageSeries(d.config().usage.store, (m) => s.log.warn(m)))
  // a week of a busy ledger takes seconds to aggregate: day and week answers (15 min and 1 h
  // buckets) are reused for a few seconds, and tabs asking at once share one query; the hour
  // (1 min buckets, what just happened) is always read afresh
  const recent = new Map<string, { at: number; answer: Promise<unknown> }>()
  function cached(key: string, r: SeriesRange, compute: () => Promise<unknown>): Promise<unknown> {
    if (r === 'hour') return compute()
    const t = Date.now()
    const hit = recent.get(key)
    if (hit && t - hit.at < CACHE_MS) return hit.answer
    const answer = compute()
    recent.set(key, { at: t, answer })
    answer.catch(() => recent.delete(key))
    return answer
  }

  /** the admin keys of the config in force (a reload may change them) */
  function adminLookup(): (k: string) => string | undefined {
    const admin = d.config().admin
    if (admin !== lookupFor) {
      lookupFor = admin
      lookup = adminKeyIndex(admin ?? { keys: [] })
    }
    return lookup
  }

  function keyStore(): KeyStore {
    if (!s.keyStore) throw new ApiError(501, new NoKeyStore(d.config().usage.store).message, 'no_key_store')
    return s.keyStore
  }

  /** this replica sees the write now; a poll already under way may have read before it, so twice */
  async function written(): Promise<void> {
    await s.directory?.refresh()
    await s.directory?.refresh()
  }

  function audit(caller: AdminCaller, action: string, name: string): void {
    s.log.info('admin', { action, key_name: name, admin: caller.admin, via: caller.via })
  }

  const range = (url: URL): SeriesRange => {
    const r = url.searchParams.get('range') ?? 'day'
    if (!RANGES.has(r)) throw new ApiError(400, `range must be hour, day or week (got ${JSON.stringify(r.slice(0, 20))})`, 'invalid_request')
    return r as SeriesRange
  }

  async function login(request: Request, url: URL): Promise<Response> {
    const body = await readJson(request)
    const key = typeof body.key === 'string' ? body.key : ''
    const admin = adminLookup()(key)
    if (!admin) {
      s.log.warn('admin login refused', { reason: 'not an admin key' })
      throw new AdminAuthError('that is not an admin key')
    }
    const session = sessions.create(admin, Date.now())
    s.log.info('admin login', { admin })
    return json({ admin, csrf: session.csrf, expires_at: new Date(session.expires).toISOString() }, 200, { 'set-cookie': sessionCookie(session, isHttps(request, url)) })
  }

  async function keys(request: Request, caller: AdminCaller, rest: string[]): Promise<Response> {
    const store = keyStore()
    const cfg = d.config()
    const t = now()
    const method = request.method
    if (rest.length === 0) {
      if (method === 'GET') return json({ keys: (await store.list()).map((k) => describeKey(k, t)) })
      if (method === 'POST') {
        const { key, record } = await createKey(store, cfg, toSpec(await readJson(request)), t)
        await written()
        audit(caller, 'create', record.name)
        return json({ key, ...describeKey(record, t) }, 201)
      }
      throw new ApiError(405, `method ${method} is not allowed on /admin/keys (GET, POST)`, 'method_not_allowed')
    }
    const name = decodeName(rest[0])
    const missing = () => new ApiError(404, `no database key named ${name}`, 'key_not_found')
    if (rest.length === 2 && rest[1] === 'rotate') {
      if (method !== 'POST') throw new ApiError(405, 'rotate with POST', 'method_not_allowed')
      const r = await rotateKey(store, name, t)
      if (!r) throw missing()
      await written()
      audit(caller, 'rotate', name)
      return json({ key: r.key, ...describeKey(r.record, t) })
    }
    if (rest.length !== 1) throw new ApiError(404, `no endpoint at ${method} /admin/keys/${rest.join('/').slice(0, 80)}`, 'not_found')
    if (method === 'GET') {
      const k = await store.get(name)
      if (!k) throw missing()
      return json(await showKey(store, k, t))
    }
    if (method === 'PATCH') {
      const spec = toSpec(await readJson(request))
      if (spec.name !== undefined && spec.name !== name) throw new KeyInputError('a key cannot be renamed: create a new one and delete this one')
      const k = await store.update(name, specToPatch(cfg, { ...spec, name: undefined }, t), t)
      if (!k) throw missing()
      await written()
      audit(caller, 'update', name)
      return json(describeKey(k, t))
    }
    if (method === 'DELETE') {
      if (!(await store.delete(name))) throw missing()
      await written()
      audit(caller, 'delete', name)
      return json({ name, deleted: true })
    }
    throw new ApiError(405, `method ${method} is not allowed on /admin/keys/{name} (GET, PATCH, DELETE)`, 'method_not_allowed')
  }

  async function route(request: Request, url: URL): Promise<Response> {
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname
    if (path === '/ui' || path.startsWith('/ui/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') throw new ApiError(405, 'the dashboard answers GET only', 'method_not_allowed')
      return serveUi(path)
    }
    if (path === '/admin/login') {
      if (request.method !== 'POST') throw new ApiError(405, 'log in with POST', 'method_not_allowed')
      return login(request, url)
    }
    const caller = authenticateAdmin(request, adminLookup(), sessions, Date.now())
    const parts = path.split('/').slice(2) // ['', 'admin', …]
    const [head, ...rest] = parts
    const get = (f: () => Promise<unknown> | unknown) => {
      if (request.method !== 'GET') throw new ApiError(405, `use GET on ${path}`, 'method_not_allowed')
      return Promise.resolve(f()).then((b) => json(b))
    }
    switch (head) {
      case 'keys':
        return keys(request, caller, rest)
      case 'session':
        return get(() => ({ admin: caller.admin, via: caller.via, ...(caller.via === 'session' && { csrf: caller.session.csrf }) }))
      case 'logout': {
        if (request.method !== 'POST') throw new ApiError(405, 'log out with POST', 'method_not_allowed')
        if (caller.via === 'session') sessions.delete(caller.session.id)
        return json({ logged_out: true }, 200, { 'set-cookie': clearedCookie(isHttps(request, url)) })
      }
      case 'overview':
        return get(() =>
          cached(`overview:${range(url)}`, range(url), async () => {
            const u = await usage()
            return { range: range(url), store: u.enabled, ...(await u.overview(range(url), now())) }
          }),
        )
      case 'usage': {
        const by = rest[0] ?? ''
        if (rest.length !== 1 || !BREAKDOWNS.has(by)) throw new ApiError(404, 'usage tables are /admin/usage/key, /group, /model and /provider', 'not_found')
        return get(() =>
          cached(`usage:${by}:${range(url)}`, range(url), async () => {
            const u = await usage()
            return { by, range: range(url), store: u.enabled, ...(await u.breakdown(by as Breakdown, range(url), now())) }
          }),
        )
      }
      case 'live': {
        const limit = Math.min(200, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50))
        return get(() => ({ now: now(), active: s.live.active(), recent: s.live.recent(limit) }))
      }
      case 'providers':
        return get(() => providersView(d.config(), s, now()))
    }
    throw new ApiError(404, `no endpoint at ${request.method} ${path.slice(0, 100)}; see docs/admin-api.md`, 'not_found')
  }

  return {
    async fetch(request, url) {
      try {
        return await route(request, url)
      } catch (err) {
        if (err instanceof ApiError) return errorJson(err.status, err.message, err.code)
        if (err instanceof AdminAuthError) return errorJson(err.status, err.message, err.status === 401 ? 'invalid_admin_key' : 'csrf_token_missing')
        if (err instanceof KeyInputError) return errorJson(400, err.message, 'invalid_request')
        if (err instanceof KeyConflict) return errorJson(409, err.message, 'conflict')
        s.log.error('admin API error', { path: url.pathname.slice(0, 100), error: String(err) })
        return errorJson(500, 'the admin API failed; see the proxy log', 'internal_error')
      }
    },
    async close() {
      if (series) await (await series.catch(() => undefined))?.close()
    },
  }
}
