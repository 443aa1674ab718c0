import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Server } from 'bun'
import { createAuthenticator } from '../../../src/auth'
import { createExternalCheck, FAILURE_TTL_MS } from '../../../src/auth/external-check'
import type { AuthCheckConfig, AuthConfig, GroupConfig } from '../../../src/config/types'

// A mock validator: the presented key (from the Authorization header) picks the answer.
interface Seen {
  path: string
  token: string | null
  authorization: string | null
  method: string
}
const seen: Seen[] = []
let server: Server<undefined>
let base = ''

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const authorization = req.headers.get('authorization')
      seen.push({ path: url.pathname, token: url.searchParams.get('token'), authorization, method: req.method })
      const key = authorization?.replace(/^Bearer /, '') ?? ''
      if (key.startsWith('slow')) await Bun.sleep(2_000)
      if (key.startsWith('delay')) await Bun.sleep(50)
      if (key.startsWith('bad')) return new Response('{"error":"invalid token"}', { status: 401 })
      if (key.startsWith('forbidden')) return new Response('no', { status: 403 })
      if (key.startsWith('boom')) return new Response('oops', { status: 500 })
      if (key.startsWith('html')) return new Response('<html>', { headers: { 'content-type': 'text/html' } })
      if (key.startsWith('nogroup')) return Response.json({ email: 'n@example.com' })
      if (key.startsWith('stranger')) return Response.json({ sub: 'x', org: { group: 'unknown-team' } })
      return Response.json({ sub: `user-${key}`, profile: { login: `login-${key}` }, org: { group: 'batch' } })
    },
  })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))

const groups: Record<string, GroupConfig> = { batch: { models: ['fast'], providers: ['*'], rpm: 10 } }

const checkConfig = (over: Partial<AuthCheckConfig> = {}): AuthCheckConfig => ({
  url: `${base}/userinfo?token={api_key}`,
  method: 'GET',
  headers: { Authorization: 'Bearer {api_key}' },
  group_claim: 'org.group',
  cache_ttl: 60_000,
  timeout: 1_000,
  ...over,
})

const hitsFor = (key: string) => seen.filter((s) => s.authorization === `Bearer ${key}`).length

describe('auth.check', () => {
  test('valid: group from a dotted claim, name from sub; {api_key} templated (URL-encoded in the URL)', async () => {
    const check = createExternalCheck(checkConfig(), groups)
    const key = 'ok a/b+c'
    const p = await check(key)
    expect(p).toEqual({ name: `user-${key}`, group: 'batch', groupConfig: groups.batch })
    const s = seen.findLast((x) => x.authorization === `Bearer ${key}`)!
    expect(s.token).toBe(key)
    expect(s.method).toBe('GET')
  })

  test('name_claim is read when configured; a missing group claim means default', async () => {
    const named = createExternalCheck(checkConfig({ name_claim: 'profile.login' }), groups)
    expect((await named('ok-named')).name).toBe('login-ok-named')
    const p = await createExternalCheck(checkConfig(), groups)('nogroup-1')
    expect(p).toMatchObject({ name: 'n@example.com', group: 'default', groupConfig: { models: ['*'] } })
  })

  test('401/403 from the validator → 401 invalid_api_key without the key in the message', async () => {
    const check = createExternalCheck(checkConfig(), groups)
    for (const key of ['bad-key-1', 'forbidden-1']) {
      let err: unknown
      await check(key).catch((e) => (err = e))
      expect(err).toMatchObject({ status: 401, code: 'invalid_api_key' })
      expect((err as Error).message).not.toContain(key)
    }
  })

  test('an unknown group is a 403', async () => {
    await expect(createExternalCheck(checkConfig(), groups)('stranger-1')).rejects.toMatchObject({ status: 403, code: 'unknown_group' })
  })

  test('answers are cached for cache_ttl, by key', async () => {
    let now = 1_000_000
    const check = createExternalCheck(checkConfig({ cache_ttl: 60_000 }), groups, { now: () => now })
    const a = await check('ok-cached')
    expect(await check('ok-cached')).toBe(a)
    expect(hitsFor('ok-cached')).toBe(1)
    await check('ok-other')
    expect(hitsFor('ok-other')).toBe(1)
    now += 60_001
    await check('ok-cached')
    expect(hitsFor('ok-cached')).toBe(2)
  })

  test('refusals are cached briefly (5 s)', async () => {
    let now = 5_000_000
    const check = createExternalCheck(checkConfig(), groups, { now: () => now })
    await expect(check('bad-cached')).rejects.toMatchObject({ status: 401 })
    now += FAILURE_TTL_MS - 1
    await expect(check('bad-cached')).rejects.toMatchObject({ status: 401 })
    expect(hitsFor('bad-cached')).toBe(1)
    now += 2
    await expect(check('bad-cached')).rejects.toMatchObject({ status: 401 })
    expect(hitsFor('bad-cached')).toBe(2)
  })

  test('concurrent checks of one key share one call', async () => {
    const check = createExternalCheck(checkConfig(), groups)
    const ps = await Promise.all(Array.from({ length: 5 }, () => check('delay-shared')))
    expect(new Set(ps).size).toBe(1)
    expect(hitsFor('delay-shared')).toBe(1)
  })

  test('a slow validator → 503 auth_unavailable within the timeout, not cached', async () => {
    const check = createExternalCheck(checkConfig({ timeout: 200 }), groups)
    const t0 = performance.now()
    await expect(check('slow-1')).rejects.toMatchObject({ status: 503, code: 'auth_unavailable' })
    expect(performance.now() - t0).toBeLessThan(1_000)
    await expect(check('slow-1')).rejects.toMatchObject({ status: 503 })
    expect(hitsFor('slow-1')).toBe(2)
  })

  test('a down validator, a 5xx or a non-JSON answer → 503 auth_unavailable', async () => {
    const probe = Bun.serve({ port: 0, fetch: () => new Response() })
    const closedPort = probe.port
    probe.stop(true)
    const down = createExternalCheck(checkConfig({ url: `http://127.0.0.1:${closedPort}/userinfo` }), groups)
    const t0 = performance.now()
    await expect(down('ok-down')).rejects.toMatchObject({ status: 503, code: 'auth_unavailable' })
    expect(performance.now() - t0).toBeLessThan(1_000)
    const check = createExternalCheck(checkConfig(), groups)
    await expect(check('boom-1')).rejects.toMatchObject({ status: 503, code: 'auth_unavailable' })
    await expect(check('html-1')).rejects.toMatchObject({ status: 503, code: 'auth_unavailable' })
  })

  test('the cache never holds the key itself', async () => {
    let fetched = 0
    const fakeFetch = async () => {
      fetched++
      return Response.json({ sub: 'u', org: { group: 'batch' } })
    }
    const check = createExternalCheck(checkConfig(), groups, { fetch: fakeFetch })
    await check('sk-visible-secret')
    await check('sk-visible-secret')
    expect(fetched).toBe(1)
    // the principal built from the answer carries no trace of the key
    expect(JSON.stringify(await check('sk-visible-secret'))).not.toContain('sk-visible-secret')
  })
})

describe('createAuthenticator with auth.check', () => {
  test('static keys are tried first, then the validator', async () => {
    const auth: AuthConfig = {
      keys: [{ key: 'static-key', name: 'alice', group: 'default' }],
      groups,
      check: checkConfig(),
    }
    const authn = createAuthenticator(auth)
    const url = new URL('http://proxy.local/v1/messages')
    expect((await authn(new Headers({ 'x-api-key': 'static-key' }), url)).name).toBe('alice')
    expect(hitsFor('static-key')).toBe(0)
    expect((await authn(new Headers({ 'x-api-key': 'ok-ext' }), url)).group).toBe('batch')
    await expect(authn(new Headers(), url)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' })
  })
})
