// The admin API in-process (createGateway, no socket), on SQLite and, when LLM_PROXY_TEST_POSTGRES
// names a server, on Postgres: the key lifecycle as a script drives it (each change seen by the
// very next model request), bad input as 400/404/409 with reasons, admin keys and client keys
// kept apart both ways, dashboard sessions with their CSRF header, the read endpoints fed by real
// traffic, and no admin or client key in any log line.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { SQL } from 'bun'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Gateway } from '../../src/gateway'
import { startMock } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'

const ADMIN = 'admin-secret-0123456789abcdef'
const CLIENT = 'sk-config-client-key-42'
const BASE = 'http://proxy.test'

const config = (store: string) => ({
  usage: { store },
  logging: { level: 'info' },
  providers: { demo: { dialect: 'echo' } },
  models: { '*': 'demo/echo' },
  auth: { keys: [{ key: CLIENT, name: 'ops' }], groups: { dev: { models: ['echo*'] } } },
  admin: { keys: [{ key: ADMIN, name: 'root' }] },
})

function adminSuite(name: string, store: () => Promise<string>) {
  describe(`admin API on ${name}`, () => {
    let gateway: Gateway
    let logs: string[]
    const secrets: string[] = [ADMIN, CLIENT]

    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) =>
      gateway.fetch(
        new Request(BASE + path, {
          method,
          headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
    const chat = (key: string, stream = false) =>
      gateway.fetch(
        new Request(`${BASE}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'echo-1', stream, messages: [{ role: 'user', content: 'hello there' }] }),
        }),
      ).then(async (r) => (await r.text(), r.status))

    beforeAll(async () => {
      ;({ gateway, logs } = await startGateway(config(await store())))
    })
    afterAll(async () => {
      await gateway?.close()
    })

    test('create, use, disable, enable, rotate, delete: each seen by the next request', async () => {
      const created = await call('POST', '/admin/keys', { name: 'alice', group: 'dev', rpm: 100, budget: '5/month', expires: '30d' })
      expect(created.status).toBe(201)
      const c = await created.json()
      expect(c.key).toMatch(/^sk-llmp-/)
      expect(c).toMatchObject({ name: 'alice', group: 'dev', rpm: 100, budget: '5/month', status: 'active' })
      secrets.push(c.key)
      expect(await chat(c.key)).toBe(200)

      const listed = await (await call('GET', '/admin/keys')).json()
      expect(listed.keys.map((k: any) => k.name)).toEqual(['alice'])
      expect(JSON.stringify(listed)).not.toContain(c.key)

      const shown = await (await call('GET', '/admin/keys/alice')).json()
      expect(shown.spent_usd).toBe(0)
      expect(shown.key).toBeUndefined()

      const disabled = await call('PATCH', '/admin/keys/alice', { disabled: true })
      expect(disabled.status).toBe(200)
      expect((await disabled.json()).status).toBe('disabled')
      expect(await chat(c.key)).toBe(401)

      expect((await call('PATCH', '/admin/keys/alice', { disabled: false, rpm: null, models: ['echo-*'] })).status).toBe(200)
      expect(await chat(c.key)).toBe(200)

      const rotated = await call('POST', '/admin/keys/alice/rotate')
      expect(rotated.status).toBe(200)
      const r = await rotated.json()
      secrets.push(r.key)
      expect(r.key).not.toBe(c.key)
      expect(await chat(c.key)).toBe(401)
      expect(await chat(r.key)).toBe(200)

      const deleted = await call('DELETE', '/admin/keys/alice')
      expect(await deleted.json()).toEqual({ name: 'alice', deleted: true })
      expect(await chat(r.key)).toBe(401)
      expect((await call('GET', '/admin/keys/alice')).status).toBe(404)
    })

    test('bad input is a 400 with a reason; unknown names 404; a taken name 409', async () => {
      const bad = async (method: string, path: string, body: unknown, reason: string) => {
        const res = await call(method, path, body)
        expect(res.status).toBe(400)
        expect((await res.json()).error.message).toContain(reason)
      }
      await bad('POST', '/admin/keys', { name: 'x1', budget: 'lots' }, 'budget must look like 50/month')
      await bad('POST', '/admin/keys', { name: 'x1', group: 'nope' }, 'group "nope" is not defined')
      await bad('POST', '/admin/keys', { name: 'x1', rpm: 0 }, 'rpm must be a whole number')
      await bad('POST', '/admin/keys', { name: 'x1', colour: 'red' }, 'unknown field "colour"')
      await bad('POST', '/admin/keys', { name: 'bad name!' }, 'name must be 1-64 characters')
      await bad('POST', '/admin/keys', { name: 'ops' }, 'already used by a key in the config file')
      await bad('POST', '/admin/keys', { name: 7 }, 'name must be a string')
      const notJson = await gateway.fetch(new Request(`${BASE}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: '{nope' }))
      expect(notJson.status).toBe(400)
      expect((await notJson.json()).error.message).toBe('the body is not valid JSON')

      expect((await call('POST', '/admin/keys', { name: 'bob' })).status).toBe(201)
      const dup = await call('POST', '/admin/keys', { name: 'bob' })
      expect(dup.status).toBe(409)
      expect((await dup.json()).error.message).toContain('already exists')
      await bad('PATCH', '/admin/keys/bob', { name: 'robert' }, 'cannot be renamed')
      await bad('PATCH', '/admin/keys/bob', { disabled: 'yes' }, 'disabled must be true or false')

      for (const [m, p] of [['GET', '/admin/keys/nobody'], ['PATCH', '/admin/keys/nobody'], ['DELETE', '/admin/keys/nobody'], ['POST', '/admin/keys/nobody/rotate']] as const) {
        const res = await call(m, p, m === 'PATCH' ? { rpm: 5 } : undefined)
        expect(res.status).toBe(404)
        expect((await res.json()).error.message).toBe('no database key named nobody')
      }
      expect((await call('GET', '/admin/nothing-here')).status).toBe(404)
      expect((await call('PUT', '/admin/keys')).status).toBe(405)
      expect((await call('GET', '/admin/overview?range=year')).status).toBe(400)
      await call('DELETE', '/admin/keys/bob')
    })

    test('the admin API refuses no key, a wrong key and every client key; an admin key is no client key', async () => {
      const bob = await (await call('POST', '/admin/keys', { name: 'dbclient' })).json()
      secrets.push(bob.key)
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer not-the-admin-key-at-all' }, { authorization: `Bearer ${CLIENT}` }, { authorization: `Bearer ${bob.key}` }, { 'x-api-key': ADMIN }]) {
        const res = await call('GET', '/admin/keys', undefined, headers)
        expect(res.status).toBe(401)
        expect((await res.json()).error.code).toBe('invalid_admin_key')
      }
      // and the other way round: the admin key opens no model endpoint
      expect(await chat(ADMIN)).toBe(401)
      const login = await call('POST', '/admin/login', { key: CLIENT }, {})
      expect(login.status).toBe(401)
      expect(login.headers.get('set-cookie')).toBeNull()
      await call('DELETE', '/admin/keys/dbclient')
    })

    test('a dashboard session: HttpOnly SameSite=Strict cookie, changes need the CSRF header, logout ends it', async () => {
      const login = await call('POST', '/admin/login', { key: ADMIN }, {})
      expect(login.status).toBe(200)
      const { csrf, admin } = await login.json()
      expect(admin).toBe('root')
      const cookie = login.headers.get('set-cookie')!
      expect(cookie).toMatch(/^llm_proxy_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/)
      const session = { cookie: cookie.split(';')[0] }
      expect((await call('GET', '/admin/keys', undefined, session)).status).toBe(200)
      expect((await (await call('GET', '/admin/session', undefined, session)).json()).csrf).toBe(csrf)
      // a state change without the header (what a cross-site form could send) is refused
      const forged = await call('POST', '/admin/keys', { name: 'forged' }, session)
      expect(forged.status).toBe(403)
      expect((await call('POST', '/admin/keys', { name: 'forged' }, { ...session, 'x-llm-proxy-csrf': 'wrong' })).status).toBe(403)
      const made = await call('POST', '/admin/keys', { name: 'viaui' }, { ...session, 'x-llm-proxy-csrf': csrf })
      expect(made.status).toBe(201)
      secrets.push((await made.json()).key)
      expect((await call('DELETE', '/admin/keys/viaui', undefined, { ...session, 'x-llm-proxy-csrf': csrf })).status).toBe(200)
      // behind an https terminator the cookie is Secure
      const https = await gateway.fetch(new Request(`${BASE}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ key: ADMIN }) }))
      expect(https.headers.get('set-cookie')).toContain('; Secure')
      // a login form posted cross-site cannot be JSON
      const form = await gateway.fetch(new Request(`${BASE}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${ADMIN}` }))
      expect(form.status).toBe(415)

      const out = await call('POST', '/admin/logout', undefined, { ...session, 'x-llm-proxy-csrf': csrf })
      expect(out.headers.get('set-cookie')).toContain('Max-Age=0')
      expect((await call('GET', '/admin/keys', undefined, session)).status).toBe(401)
    })

    test('overview, usage tables, live view and providers come from the traffic sent', async () => {
      // the earlier tests' requests reach the ledger within a second (its batch interval)
      await Bun.sleep(1100)
      const before = (await (await call('GET', '/admin/overview?range=hour')).json()).points.reduce((n: number, p: any) => n + p.requests, 0)
      for (let i = 0; i < 4; i++) expect(await chat(CLIENT, i % 2 === 0)).toBe(200)
      expect(await chat('sk-wrong-key-123456')).toBe(401)
      // the ledger writes its batch within a second
      await Bun.sleep(1200)
      const o = await (await call('GET', '/admin/overview?range=hour')).json()
      expect(o.points).toHaveLength(60)
      expect(o.step_ms).toBe(60_000)
      const total = o.points.reduce((n: number, p: any) => n + p.requests, 0)
      expect(total - before).toBe(5)
      const last = o.points.filter((p: any) => p.requests > 0).at(-1)
      expect(last.errors).toBeGreaterThanOrEqual(1)
      expect(last.output_tokens).toBeGreaterThan(0)
      expect(last.p95_ms).toBeGreaterThanOrEqual(last.p50_ms)
      expect(o.points.some((p: any) => p.ttft_p50_ms !== null)).toBe(true)

      for (const by of ['key', 'group', 'model', 'provider']) {
        const u = await (await call('GET', `/admin/usage/${by}?range=day`)).json()
        expect(u.rows.length).toBeGreaterThan(0)
        for (const r of u.rows) expect(r.spark).toHaveLength(24)
      }
      const byKey = await (await call('GET', '/admin/usage/key?range=week')).json()
      const ops = byKey.rows.find((r: any) => r.name === 'ops')
      expect(ops.requests).toBeGreaterThanOrEqual(4)
      expect(ops.spark.reduce((a: number, b: number) => a + b, 0)).toBe(ops.requests)

      const live = await (await call('GET', '/admin/live?limit=5')).json()
      expect(live.recent).toHaveLength(5)
      expect(live.recent[0]).toMatchObject({ status: 401, attempts: 0 })
      expect(live.recent[1]).toMatchObject({ status: 200, key: 'ops', model: 'echo-1', provider: 'demo', attempts: 1 })
      expect(live.active).toEqual([])

      const p = await (await call('GET', '/admin/providers')).json()
      expect(p.providers[0]).toMatchObject({ name: 'demo', dialect: 'echo', benched: [], circuits: [] })
    })

    test('no admin key and no client key in any log line', () => {
      const text = logs.join('\n')
      expect(text).toContain('"admin"')
      for (const s of secrets) expect(text).not.toContain(s)
    })
  })
}

adminSuite('SQLite', async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'llm-proxy-admin-')), 'ledger.db')}`)

const pg = process.env.LLM_PROXY_TEST_POSTGRES
if (!pg) {
  console.warn('admin-api: LLM_PROXY_TEST_POSTGRES is not set; skipping the Postgres admin API tests')
  describe('admin API on Postgres', () => test.skip('needs LLM_PROXY_TEST_POSTGRES=postgres://…', () => {}))
} else {
  const scratch = `llm_proxy_admin_${process.pid}_${Date.now()}`
  const server = new SQL(pg, { max: 1 })
  afterAll(async () => {
    await server.unsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`)
    await server.close()
  })
  adminSuite('Postgres', async () => {
    await server.unsafe(`CREATE DATABASE ${scratch}`)
    const u = new URL(pg)
    u.pathname = `/${scratch}`
    return u.toString()
  })
}

describe('without admin: or without a database', () => {
  test('no admin: section, no /admin and no /ui (404 like any unknown path), even for the client key', async () => {
    const { gateway } = await startGateway({ providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' }, auth: { keys: [{ key: CLIENT }] } })
    try {
      for (const path of ['/ui', '/ui/app.js', '/admin/keys', '/admin/login'])
        expect((await gateway.fetch(new Request(BASE + path, { headers: { authorization: `Bearer ${CLIENT}` } }))).status).toBe(404)
    } finally {
      await gateway.close()
    }
  })

  test('usage.store none: key endpoints say why they cannot work (501); the numbers are empty', async () => {
    const { gateway } = await startGateway({ ...config('none'), auth: { keys: [{ key: CLIENT }] } })
    try {
      const h = { authorization: `Bearer ${ADMIN}` }
      const keys = await gateway.fetch(new Request(`${BASE}/admin/keys`, { headers: h }))
      expect(keys.status).toBe(501)
      expect((await keys.json()).error.message).toContain('keys in the database need usage.store')
      const o = await (await gateway.fetch(new Request(`${BASE}/admin/overview`, { headers: h }))).json()
      expect(o).toMatchObject({ store: false, points: [] })
      const ui = await gateway.fetch(new Request(`${BASE}/ui/`))
      expect(ui.status).toBe(200)
      expect(ui.headers.get('content-security-policy')).toContain("script-src 'self'")
      expect(ui.headers.get('x-frame-options')).toBe('DENY')
      expect(ui.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await ui.text()).toContain('<script type="module" src="/ui/app.js">')
      expect((await gateway.fetch(new Request(`${BASE}/ui/nothing`))).status).toBe(404)
      expect((await gateway.fetch(new Request(`${BASE}/ui`, { method: 'POST' }))).status).toBe(405)
    } finally {
      await gateway.close()
    }
  })
})

describe('live view', () => {
  test('a stream going out is listed as active until it ends, then among the recent requests', async () => {
    const upstream = startMock(() => ({
      kind: 'sse',
      delayMs: 150,
      frames: [
        { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta: { content: 'one ' }, finish_reason: null }] } },
        { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta: { content: 'two' }, finish_reason: 'stop' }] } },
        'data: [DONE]\n\n',
      ],
    }))
    const { gateway } = await startGateway({ ...config('none'), providers: { up: { dialect: 'openai-chat', base_url: `${upstream.url}/v1`, api_key: 'sk-up-live', max_retries: 0 } }, models: { '*': 'up/gpt-x' } })
    const live = async () => (await gateway.fetch(new Request(`${BASE}/admin/live`, { headers: { authorization: `Bearer ${ADMIN}` } }))).json()
    try {
      const res = await gateway.fetch(
        new Request(`${BASE}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        }),
      )
      const reader = res.body!.getReader()
      await reader.read()
      const during = await live()
      expect(during.active).toHaveLength(1)
      expect(during.active[0]).toMatchObject({ key: 'ops', model: 'fast', provider: 'up', upstream_model: 'gpt-x', attempts: 1 })
      while (!(await reader.read()).done) {}
      await Bun.sleep(0)
      const after = await live()
      expect(after.active).toEqual([])
      expect(after.recent[0]).toMatchObject({ status: 200, stream: true, model: 'fast', provider: 'up' })
      expect(after.recent[0].ttft_ms).toBeGreaterThanOrEqual(0)
    } finally {
      await gateway.close()
      upstream.stop()
    }
  })
})
