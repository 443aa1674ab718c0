// Who may use the admin API: a caller presenting an admin key (`Authorization: Bearer`, for
// scripts), or a dashboard session (a random id in an HttpOnly, SameSite=Strict cookie, made by
// logging in with an admin key). State-changing requests on a session must also carry the
// session's CSRF token in `x-llm-proxy-csrf`: a header no cross-site page can set.
// Client keys are never admin keys: only the hashes in `admin.keys` are looked at.
import crypto from 'node:crypto'
import { adminKeyHash } from '../config/normalize-admin'
import type { AdminConfig } from '../config/types'

export const SESSION_COOKIE = 'llm_proxy_session'
export const CSRF_HEADER = 'x-llm-proxy-csrf'
export const SESSION_TTL_MS = 12 * 3_600_000
const MAX_SESSIONS = 1000

export interface Session {
  id: string
  csrf: string
  /** the admin key's name, for the dashboard's header and the log */
  admin: string
  expires: number
}

export type AdminCaller = { admin: string; via: 'key' } | { admin: string; via: 'session'; session: Session }

/** 401 (no or a wrong key / session) or 403 (a session change without its CSRF token) */
export class AdminAuthError extends Error {
  constructor(message: string, readonly status: 401 | 403 = 401) {
    super(message)
  }
}

/** The admin keys by SHA-256: a presented key is hashed and compared in constant time. */
export function adminKeyIndex(admin: AdminConfig): (presented: string) => string | undefined {
  const digests = admin.keys.map((k) => ({ digest: Buffer.from(adminKeyHash(k), 'hex'), name: k.name }))
  return (presented) => {
    if (!presented || presented.length > 512) return undefined
    const d = crypto.createHash('sha256').update(presented).digest()
    let found: string | undefined
    // every entry compared: the time taken does not say which one matched
    for (const k of digests) if (crypto.timingSafeEqual(d, k.digest)) found ??= k.name
    return found
  }
}

const randomToken = () => crypto.randomBytes(32).toString('base64url')

/** Sessions in memory: lost on restart (log in again), never shared between replicas. */
export class SessionStore {
  private sessions = new Map<string, Session>()
  constructor(private ttlMs = SESSION_TTL_MS) {}

  create(admin: string, now: number): Session {
    this.sweep(now)
    // bounded: the oldest session goes first (Map keeps insertion order)
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!)
    const s: Session = { id: randomToken(), csrf: randomToken(), admin, expires: now + this.ttlMs }
    this.sessions.set(s.id, s)
    return s
  }

  get(id: string | undefined, now: number): Session | undefined {
    if (!id) return undefined
    const s = this.sessions.get(id)
    if (!s) return undefined
    if (s.expires <= now) {
      this.sessions.delete(id)
      return undefined
    }
    return s
  }

  delete(id: string): void {
    this.sessions.delete(id)
  }

  get size(): number {
    return this.sessions.size
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (s.expires <= now) this.sessions.delete(id)
  }
}

export function cookieValue(header: string | null, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return undefined
}

/** Secure when the browser is on https: directly, or behind a proxy that says so. */
export function isHttps(request: Request, url: URL): boolean {
  return url.protocol === 'https:' || request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}

export function sessionCookie(s: Session, secure: boolean): string {
  return `${SESSION_COOKIE}=${s.id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor((s.expires - Date.now()) / 1000)}${secure ? '; Secure' : ''}`
}

export const clearedCookie = (secure: boolean) => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/** The caller of an admin request, or an AdminAuthError saying why not (a 401). */
export function authenticateAdmin(request: Request, lookup: (k: string) => string | undefined, sessions: SessionStore, now: number): AdminCaller {
  const auth = request.headers.get('authorization')
  if (auth !== null) {
    const m = /^bearer\s+(.+)$/i.exec(auth.trim())
    const name = m ? lookup(m[1].trim()) : undefined
    if (!name) throw new AdminAuthError('the key sent is not an admin key (admin.keys in the config); client keys do not open the admin API')
    return { admin: name, via: 'key' }
  }
  const session = sessions.get(cookieValue(request.headers.get('cookie'), SESSION_COOKIE), now)
  if (!session) throw new AdminAuthError('missing admin key: send Authorization: Bearer <admin key>, or log in at /ui')
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers.get(CSRF_HEADER) ?? ''
    const ok = sent.length === session.csrf.length && crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(session.csrf))
    if (!ok) throw new AdminAuthError(`a change made with a dashboard session needs the ${CSRF_HEADER} header given at login`, 403)
  }
  return { admin: session.admin, via: 'session', session }
}
