// No way around the rules (issue 11): model names that escape their URL segment or are not header
// values, upstream redirects, client headers and query that reach the upstream beside the proxy's
// key. Each test is the attack as it was reproduced, then its class.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'

let mock: Mock
let proxy: TestProxy
const UPSTREAM_KEY = 'upstream-key-0123456789'

const wireFor = (path: string) =>
  path.includes('/v1beta/') ? WIRE_WITH_GEMINI.gemini : path.endsWith('/messages') ? WIRE_WITH_GEMINI.anthropic : path.endsWith('/responses') ? WIRE_WITH_GEMINI['openai-responses'] : WIRE_WITH_GEMINI['openai-chat']

beforeAll(async () => {
  mock = startMock((r) => wireFor(r.path)(r, { text: 'ok', usage: { input: 5, output: 3 } }))
  proxy = await startProxy({
    logging: { level: 'error' },
    providers: {
      gm: { dialect: 'gemini', base_url: mock.url, api_key: UPSTREAM_KEY, max_retries: 0 },
      az: { dialect: 'openai-chat', base_url: `${mock.url}/openai/deployments/{model}`, api_key: UPSTREAM_KEY, query: { 'api-version': '2024-10-21' }, max_retries: 0 },
      oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: UPSTREAM_KEY, max_retries: 0 },
      an: { dialect: 'anthropic', base_url: mock.url, api_key: UPSTREAM_KEY, max_retries: 0 },
    },
    models: { 'gemini-*': 'gm/*', 'azure-*': 'az/*', 'gpt-*': 'oc/*', 'claude-*': 'an/*' },
    auth: {
      keys: [
        { key: 'client-flash-key-1', name: 'flash', group: 'flash' },
        { key: 'client-all-key-12', name: 'all', group: 'all' },
      ],
      groups: { flash: { models: ['gemini-flash*', 'azure-small*'] }, all: { models: ['*'] } },
    },
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const chat = (model: string, key = 'client-all-key-12', extra: Record<string, string> = {}, query = '') =>
  fetch(`${proxy.url}/v1/chat/completions${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...extra },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  })

test('a model name cannot escape its URL segment: Gemini models/{model}, Azure {model}; refused with a 400 before any call', async () => {
  const attacks = [
    ['gemini-flash/../gemini-2.5-pro', 'client-flash-key-1'],
    ['gemini-flash/..%2fgemini-2.5-pro', 'client-flash-key-1'],
    ['gemini-flash%2F..%2Fpro', 'client-flash-key-1'],
    ['azure-small/../azure-big', 'client-flash-key-1'],
    ['gm/../../../../etc?', 'client-all-key-12'],
    ['gemini-/../../../../etc?', 'client-all-key-12'],
    ['gm/..', 'client-all-key-12'],
    ['gm/.', 'client-all-key-12'],
    ['gemini-x?key=steal', 'client-all-key-12'],
    ['gemini-x#frag', 'client-all-key-12'],
    ['azure-x\\..\\y', 'client-all-key-12'],
    ['gemini-x:streamGenerateContent', 'client-all-key-12'],
  ] as const
  for (const [model, key] of attacks) {
    const before = mock.received.length
    const res = await chat(model, key)
    const j = (await res.json()) as any
    expect([model, res.status]).toEqual([model, 400])
    expect(j.error.message).toContain('model')
    expect(mock.received.length).toBe(before)
  }
  // ordinary names still reach their segment, encoded
  const ok = await chat('gemini-flash-2.0', 'client-flash-key-1')
  expect(ok.status).toBe(200)
  expect(mock.received.at(-1)!.path).toBe('/v1beta/models/gemini-flash-2.0:generateContent')
  const az = await chat('azure-small-4o', 'client-flash-key-1')
  expect(az.status).toBe(200)
  expect(mock.received.at(-1)!.path).toBe('/openai/deployments/azure-small-4o/chat/completions')
})

test('names that are not valid header values: control characters are a 400 before any call; unicode names get a safely encoded header', async () => {
  for (const model of ['gpt-\u0000x', 'gpt-x\r\nx-injected: 1', 'gpt-\u0007', 'gpt-\u007f', 'gpt-\u0085x', 'claude-\t']) {
    const before = mock.received.length
    const res = await chat(model)
    expect([JSON.stringify(model), res.status]).toEqual([JSON.stringify(model), 400])
    expect(mock.received.length).toBe(before)
  }
  const long = await chat('gpt-' + 'x'.repeat(5000))
  expect(long.status).toBe(400)
  for (const model of ['gpt-日本語', 'claude-ü', 'gpt-🎉']) {
    const res = await chat(model)
    expect([model, res.status]).toEqual([model, 200])
    const h = res.headers.get('x-llm-proxy-model')!
    expect(decodeURIComponent(h)).toBe(model)
    expect(/^[\x20-\x7e]*$/.test(h)).toBe(true)
  }
})

test('upstream redirects are never followed: a 3xx is a 502 and nothing reaches the other origin', async () => {
  const elsewhere = startMock(() => ({ kind: 'json', body: { stolen: true } }))
  const redirecting = startMock(() => ({ kind: 'text', status: 307, body: '', headers: { location: `${elsewhere.url}/v1/chat/completions` } }))
  const p = await startProxy({
    logging: { level: 'error' },
    providers: {
      oc: { dialect: 'openai-chat', base_url: `${redirecting.url}/v1`, api_key: UPSTREAM_KEY, max_retries: 0 },
      an: { dialect: 'anthropic', base_url: redirecting.url, api_key: UPSTREAM_KEY, max_retries: 0 },
    },
    models: { 'gpt-*': 'oc/*', 'claude-*': 'an/*' },
  })
  try {
    for (const [path, model, stream] of [
      ['/v1/chat/completions', 'gpt-4o', false],
      ['/v1/chat/completions', 'gpt-4o', true],
      ['/v1/messages', 'claude-x', false],
      ['/v1/chat/completions', 'claude-x', true],
    ] as const) {
      const res = await fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model, max_tokens: 5, stream, messages: [{ role: 'user', content: 'hi' }] }),
      })
      const text = await res.text()
      expect([path, model, stream, res.status]).toEqual([path, model, stream, 502])
      expect(text).toContain('redirect')
    }
    expect(redirecting.received.length).toBe(4)
    expect(elsewhere.received.length).toBe(0)
  } finally {
    p.stop()
    elsewhere.stop()
    redirecting.stop()
  }
})

test('pass-through forwards only allow-listed client headers; the config query wins over the client query', async () => {
  const res = await chat(
    'azure-x',
    'client-all-key-12',
    {
      'openai-organization': 'org-attacker',
      'openai-project': 'proj-attacker',
      forwarded: 'for=1.2.3.4',
      'x-http-method-override': 'DELETE',
      'x-custom-anything': 'x',
      'openai-beta': 'assistants=v2',
      'idempotency-key': 'idem-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      'user-agent': 'OpenAI/JS 5.0',
      'x-stainless-lang': 'js',
    },
    '?api-version=1999-01-01&foo=bar',
  )
  expect(res.status).toBe(200)
  const got = mock.received.at(-1)!
  for (const h of ['openai-organization', 'openai-project', 'forwarded', 'x-http-method-override', 'x-custom-anything']) expect([h, got.headers.get(h)]).toEqual([h, null])
  expect(got.headers.get('openai-beta')).toBe('assistants=v2')
  expect(got.headers.get('idempotency-key')).toBe('idem-1')
  expect(got.headers.get('traceparent')).toStartWith('00-')
  expect(got.headers.get('user-agent')).toBe('OpenAI/JS 5.0')
  expect(got.headers.get('x-stainless-lang')).toBe('js')
  expect(got.query.getAll('api-version')).toEqual(['2024-10-21'])
  expect(got.query.get('foo')).toBeNull()
  // Anthropic clients keep their version, betas and ?beta=true
  const an = await fetch(`${proxy.url}/v1/messages?beta=true&api-version=x`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': 'client-all-key-12',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'prompt-caching-2024-07-31',
      'openai-organization': 'org-attacker',
      'x-http-method-override': 'DELETE',
    },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
  })
  expect(an.status).toBe(200)
  const g2 = mock.received.at(-1)!
  expect(g2.headers.get('anthropic-version')).toBe('2023-06-01')
  expect(g2.headers.get('anthropic-beta')).toBe('prompt-caching-2024-07-31')
  expect(g2.headers.get('openai-organization')).toBeNull()
  expect(g2.headers.get('x-http-method-override')).toBeNull()
  expect(g2.query.get('beta')).toBe('true')
  expect(g2.query.get('api-version')).toBeNull()
})

test('forward_headers per provider adds and removes names from the allow-list', async () => {
  const m = startMock((r) => wireFor(r.path)(r, { text: 'ok' }))
  const p = await startProxy({
    logging: { level: 'error' },
    providers: { oc: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: UPSTREAM_KEY, forward_headers: { add: ['OpenAI-Organization'], remove: ['user-agent'] } } },
    models: { '*': 'oc/*' },
  })
  try {
    const res = await fetch(`${p.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'openai-organization': 'org-mine', 'user-agent': 'ua', 'openai-project': 'p' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    const got = m.received.at(-1)!
    expect(got.headers.get('openai-organization')).toBe('org-mine')
    expect(got.headers.get('openai-project')).toBeNull()
    expect(got.headers.get('user-agent')).not.toBe('ua')
  } finally {
    p.stop()
    m.stop()
  }
})

test('/metrics stays bounded under unique unknown model names: label values are configured or answered names, the rest is "other"', async () => {
  const m = startMock((r) => (r.body?.model?.startsWith('gpt-real') ? wireFor(r.path)(r, { text: 'ok' }) : { kind: 'json', status: 404, body: { error: { message: 'no such model', type: 'invalid_request_error' } } }))
  const p = await startProxy({
    logging: { level: 'error' },
    providers: { oc: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: UPSTREAM_KEY, max_retries: 0 } },
    models: { 'gpt-*': 'oc/*', fixed: 'oc/gpt-configured' },
  })
  try {
    const send = (model: string) => fetch(`${p.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) }).then((r) => r.text())
    for (let i = 0; i < 400; i += 20) await Promise.all(Array.from({ length: 20 }, (_, j) => send(`gpt-unknown-${i + j}-${'x'.repeat(100)}`)))
    await send('gpt-real-1')
    await send('fixed')
    const text = await (await fetch(`${p.url}/metrics`)).text()
    expect(text).not.toContain('gpt-unknown')
    expect(text).toContain('model="other"')
    expect(text).toContain('model="gpt-real-1"')
    expect(text).toContain('model="gpt-configured"')
    expect(text.length).toBeLessThan(64 * 1024)
  } finally {
    p.stop()
    m.stop()
  }
})

test('server.metrics_auth: key makes /metrics need a client key and /health hide its details', async () => {
  const p = await startProxy({
    logging: { level: 'error' },
    server: { metrics_auth: 'key' },
    providers: { demo: { dialect: 'echo' } },
    models: { '*': 'demo/echo' },
    auth: { keys: [{ key: 'client-metrics-key-1', name: 'ops' }] },
  })
  try {
    expect((await fetch(`${p.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${p.url}/metrics`, { headers: { authorization: 'Bearer wrong-key-123456' } })).status).toBe(401)
    const ok = await fetch(`${p.url}/metrics`, { headers: { authorization: 'Bearer client-metrics-key-1' } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toContain('llm_proxy_uptime_seconds')
    const bare = (await (await fetch(`${p.url}/health`)).json()) as any
    expect(bare.status).toBe('ok')
    expect(bare.providers).toBeUndefined()
    const full = (await (await fetch(`${p.url}/health`, { headers: { authorization: 'Bearer client-metrics-key-1' } })).json()) as any
    expect(full.providers).toEqual([{ name: 'demo', dialect: 'echo', keys: 0 }])
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200)
  } finally {
    p.stop()
  }
})

test('Bedrock model ids (with : and /) are one encoded segment; "." and ".." are refused before any call', async () => {
  const m = startMock(() => ({ kind: 'json', status: 500, body: { message: 'should not be called for these' } }))
  const p = await startProxy({
    logging: { level: 'error' },
    providers: {
      br: { dialect: 'bedrock', region: 'us-east-1', base_url: m.url, aws_access_key_id: 'AKIAEXAMPLEEXAMPLE12', aws_secret_access_key: 'secret-example-key-0123456789', max_retries: 0 },
    },
    models: {},
  })
  try {
    for (const model of ['br/..', 'br/.']) {
      const res = await fetch(`${p.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) })
      expect([model, res.status]).toEqual([model, 400])
    }
    expect(m.received.length).toBe(0)
    // an ARN keeps its ':' and '/' inside one segment
    await fetch(`${p.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'br/arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3', messages: [{ role: 'user', content: 'hi' }] }),
    }).then((r) => r.text())
    expect(m.received.at(-1)!.url).toContain('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.meta.llama3/converse')
  } finally {
    p.stop()
    m.stop()
  }
})
