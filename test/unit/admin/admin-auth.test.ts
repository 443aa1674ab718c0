// Admin authentication in isolation: the key index (hashed entries, nothing else), sessions that
// expire, the CSRF header on changes, cookie parsing.
import { describe, expect, test } from 'bun:test'
import { adminKeyIndex, AdminAuthError, authenticateAdmin, cookieValue, SessionStore } from '../../../src/admin/admin-auth'
import { sha256Hex } from '../../../src/auth/hash-key'

const lookup = adminKeyIndex({ keys: [{ key: 'plain-admin-key-0123456789', name: 'a' }, { key_sha256: sha256Hex('hashed-admin-key-0123456789'), name: 'b' }] })
const req = (method: string, headers: Record<string, string>) => new Request('http://x/admin/keys', { method, headers })

describe('admin authentication', () => {
  test('the key index knows admin keys by hash and nothing else', () => {
    expect(lookup('plain-admin-key-0123456789')).toBe('a')
    expect(lookup('hashed-admin-key-0123456789')).toBe('b')
    expect(lookup('')).toBeUndefined()
    expect(lookup('plain-admin-key-012345678')).toBeUndefined()
    expect(lookup('x'.repeat(10_000))).toBeUndefined()
  })

  test('sessions expire after their TTL and can be ended', () => {
    const store = new SessionStore(1000)
    const s = store.create('a', 0)
    expect(s.id).not.toBe(s.csrf)
    expect(s.id).toMatch(/^[\w-]{43}$/)
    expect(store.get(s.id, 999)).toBe(s)
    expect(store.get(s.id, 1000)).toBeUndefined()
    const t = store.create('a', 0)
    store.delete(t.id)
    expect(store.get(t.id, 1)).toBeUndefined()
    expect(store.get(undefined, 1)).toBeUndefined()
  })

  test('a session reads freely; a change needs its CSRF token; a bearer key needs none', () => {
    const store = new SessionStore()
    const s = store.create('a', Date.now())
    const cookie = `other=1; llm_proxy_session=${s.id}`
    expect(authenticateAdmin(req('GET', { cookie }), lookup, store, Date.now())).toMatchObject({ admin: 'a', via: 'session' })
    const refused = (r: Request) => {
      try {
        authenticateAdmin(r, lookup, store, Date.now())
      } catch (err) {
        return (err as AdminAuthError).status
      }
      return 0
    }
    expect(refused(req('POST', { cookie }))).toBe(403)
    expect(refused(req('DELETE', { cookie, 'x-llm-proxy-csrf': s.csrf.slice(1) }))).toBe(403)
    expect(refused(req('PATCH', { cookie, 'x-llm-proxy-csrf': s.csrf }))).toBe(0)
    expect(refused(req('POST', { authorization: 'Bearer plain-admin-key-0123456789' }))).toBe(0)
    // a wrong bearer is refused even with a good session beside it
    expect(refused(req('GET', { cookie, authorization: 'Bearer nope' }))).toBe(401)
    expect(refused(req('GET', { cookie: 'llm_proxy_session=forged' }))).toBe(401)
    expect(refused(req('GET', {}))).toBe(401)
  })

  test('cookie parsing', () => {
    expect(cookieValue('a=1; b=2', 'b')).toBe('2')
    expect(cookieValue('ab=1', 'b')).toBeUndefined()
    expect(cookieValue(null, 'b')).toBeUndefined()
  })
})
