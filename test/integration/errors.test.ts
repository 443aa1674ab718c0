// Errors the proxy raises itself: the client's dialect, a status it understands, a message a person can act on.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startProxy, type TestProxy } from '../helpers/proxy'

let proxy: TestProxy
beforeAll(async () => {
  proxy = await startProxy({
    server: { max_body_size: '2KiB' },
    providers: { demo: { dialect: 'echo' } },
    models: { echo: 'demo/echo' },
    auth: { keys: [{ key: 'proxy-key-0123456789', name: 'alice', group: 'default' }] },
  })
})
afterAll(() => proxy?.stop())

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer proxy-key-0123456789', 'content-type': 'application/json', ...headers }, body })

const openaiShape = (j: any) => {
  expect(typeof j.error.message).toBe('string')
  expect(j.error).toHaveProperty('type')
  expect(j.error).toHaveProperty('param')
  expect(j.error).toHaveProperty('code')
}
const anthropicShape = (j: any) => {
  expect(j.type).toBe('error')
  expect(typeof j.error.type).toBe('string')
  expect(typeof j.error.message).toBe('string')
}

describe.each([
  ['/v1/chat/completions', openaiShape],
  ['/v1/responses', openaiShape],
  ['/v1/messages', anthropicShape],
] as const)('%s', (path, shape) => {
  test('malformed JSON → 400', async () => {
    const r = await post(path, '{"model": "echo", ')
    expect(r.status).toBe(400)
    const j = await r.json()
    shape(j)
    expect(JSON.stringify(j)).toContain('not valid JSON')
  })
  test('non-object body → 400', async () => {
    const r = await post(path, '[1,2]')
    expect(r.status).toBe(400)
    shape(await r.json())
  })
  test('missing messages/input → 400 naming the field', async () => {
    const r = await post(path, '{"model":"echo"}')
    expect(r.status).toBe(400)
    const j = await r.json()
    shape(j)
    expect(JSON.stringify(j)).toMatch(/messages|input/)
  })
  test('unknown model → 404 naming it and what is available', async () => {
    const body = path.endsWith('responses') ? { model: 'nope-1', input: 'x' } : { model: 'nope-1', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }
    const r = await post(path, JSON.stringify(body))
    expect(r.status).toBe(404)
    const j = await r.json()
    shape(j)
    expect(JSON.stringify(j)).toContain('nope-1')
    expect(JSON.stringify(j)).toContain('echo')
  })
  test('body over max_body_size → 413', async () => {
    const r = await post(path, JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }))
    expect(r.status).toBe(413)
    shape(await r.json())
  })
  test('missing or wrong key → 401', async () => {
    const r = await fetch(`${proxy.url}${path}`, { method: 'POST', body: '{}' })
    expect(r.status).toBe(401)
    shape(await r.json())
    const r2 = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'x-api-key': 'wrong-key-999' }, body: '{}' })
    expect(r2.status).toBe(401)
    const text = await r2.text()
    expect(text).not.toContain('wrong-key-999')
  })
})

test('keys are accepted from every header form and ?key=', async () => {
  const body = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] })
  const forms: Array<Record<string, string>> = [{ authorization: 'Bearer proxy-key-0123456789' }, { 'x-api-key': 'proxy-key-0123456789' }, { 'x-goog-api-key': 'proxy-key-0123456789' }]
  for (const headers of forms) {
    const r = await fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers, body })
    expect(r.status).toBe(200)
  }
  const r = await fetch(`${proxy.url}/v1/chat/completions?key=proxy-key-0123456789`, { method: 'POST', body })
  expect(r.status).toBe(200)
})

test('unknown path → 404 in OpenAI shape; Anthropic shape when anthropic-version is sent', async () => {
  const r = await fetch(`${proxy.url}/v2/nothing`)
  expect(r.status).toBe(404)
  openaiShape(await r.json())
  const r2 = await fetch(`${proxy.url}/v2/nothing`, { headers: { 'anthropic-version': '2023-06-01' } })
  anthropicShape(await r2.json())
})

test('ops endpoints', async () => {
  expect(await (await fetch(`${proxy.url}/healthz`)).text()).toBe('ok')
  expect((await fetch(`${proxy.url}/readyz`)).status).toBe(200)
  const h = await (await fetch(`${proxy.url}/health`)).json()
  expect(h.status).toBe('ok')
  expect(h.providers).toEqual([{ name: 'demo', dialect: 'echo', keys: 0 }])
  expect(typeof h.uptime_s).toBe('number')
  expect(typeof h.version).toBe('string')
})

test('/v1/models in OpenAI and Anthropic shapes', async () => {
  const h = { authorization: 'Bearer proxy-key-0123456789' }
  const o = await (await fetch(`${proxy.url}/v1/models`, { headers: h })).json()
  expect(o.object).toBe('list')
  expect(o.data.map((m: any) => m.id)).toContain('echo')
  const a = await (await fetch(`${proxy.url}/v1/models`, { headers: { ...h, 'anthropic-version': '2023-06-01' } })).json()
  expect(a.data[0]).toMatchObject({ type: 'model', id: 'echo' })
  expect(a.has_more).toBe(false)
  const one = await (await fetch(`${proxy.url}/v1/models/echo`, { headers: h })).json()
  expect(one.id).toBe('echo')
})

test('event logging batches from Claude Code are accepted', async () => {
  const r = await post('/api/event_logging/batch', '{"events":[]}')
  expect(r.status).toBe(200)
})
