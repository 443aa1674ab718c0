// Vertex AI upstreams: Gemini (publishers/google) and Claude (publishers/anthropic) behind OAuth
// tokens minted from a service-account key, against mocks that check the URL, body and bearer.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { resolveConfig } from '../../src/config/load'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic as anthropicWire, gemini as geminiWire } from '../helpers/wire'

let tokenServer: ReturnType<typeof Bun.serve>
let mock: Mock
let proxy: TestProxy
let keyPath: string
let minted = 0
let override: ((r: any) => any) | undefined

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  tokenServer = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const [h, c, s] = (new URLSearchParams(await req.text()).get('assertion') ?? '').split('.')
      const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', pair.publicKey, Buffer.from(s, 'base64url'), new TextEncoder().encode(`${h}.${c}`))
      if (!ok) return Response.json({ error: 'invalid_grant' }, { status: 400 })
      minted++
      return Response.json({ access_token: 'ya29.vertex-token', expires_in: 3600 })
    },
  })
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey)).toString('base64')
  keyPath = join(mkdtempSync(join(tmpdir(), 'vertex-')), 'sa.json')
  writeFileSync(
    keyPath,
    JSON.stringify({
      type: 'service_account',
      client_email: 'proxy@my-proj.iam.gserviceaccount.com',
      private_key: `-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----\n`,
      token_uri: `http://127.0.0.1:${tokenServer.port}/token`,
    }),
  )
  mock = startMock((r) => override?.(r) ?? (r.path.includes('/publishers/anthropic/') ? anthropicWire({ ...r, body: { ...r.body, model: 'claude-x' } }, { text: 'Claude on Vertex' }) : geminiWire(r, { text: 'Gemini on Vertex', usage: { input: 9, output: 3 } })))
  proxy = await startProxy(
    {
      providers: {
        vgem: { dialect: 'gemini', base_url: mock.url, vertex: { project: 'my-proj', location: 'us-central1' }, max_retries: 0 },
        vclaude: { dialect: 'anthropic', base_url: mock.url, vertex: { project: 'my-proj', location: 'global', credentials_file: keyPath }, max_retries: 0 },
      },
      models: { 'g-*': 'vgem/gemini-2.5-flash', 'c-*': 'vclaude/claude-sonnet-4@20250514' },
    },
    { GOOGLE_APPLICATION_CREDENTIALS: keyPath },
  )
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
  tokenServer?.stop(true)
})

const openai = () => new OpenAI({ apiKey: 'k', baseURL: `${proxy.url}/v1`, maxRetries: 0 })

test('Gemini on Vertex: project/location URL, bearer token, no model in the body (stream and not)', async () => {
  const res = await openai().chat.completions.create({ model: 'g-1', messages: [{ role: 'user', content: 'hi' }] })
  expect(res.choices[0].message.content).toBe('Gemini on Vertex')
  let r = mock.received.at(-1)!
  expect(r.path).toBe('/v1/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent')
  expect(r.headers.get('authorization')).toBe('Bearer ya29.vertex-token')
  expect(r.headers.get('x-goog-api-key')).toBeNull()
  expect(r.body.model).toBeUndefined()
  let text = ''
  for await (const c of await openai().chat.completions.create({ model: 'g-1', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += c.choices[0]?.delta?.content ?? ''
  expect(text).toBe('Gemini on Vertex')
  r = mock.received.at(-1)!
  expect(r.path).toBe('/v1/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent')
  expect(r.query.get('alt')).toBe('sse')
})

test('Claude on Vertex: rawPredict / streamRawPredict, anthropic_version in the body, @version kept in the URL', async () => {
  const res = await openai().chat.completions.create({ model: 'c-1', messages: [{ role: 'user', content: 'hi' }] })
  expect(res.choices[0].message.content).toBe('Claude on Vertex')
  let r = mock.received.at(-1)!
  expect(r.path).toBe('/v1/projects/my-proj/locations/global/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict')
  expect(r.body.anthropic_version).toBe('vertex-2023-10-16')
  expect(r.body.model).toBeUndefined()
  expect(r.headers.get('authorization')).toBe('Bearer ya29.vertex-token')
  expect(r.headers.get('x-api-key')).toBeNull()
  let text = ''
  for await (const c of await openai().chat.completions.create({ model: 'c-1', messages: [{ role: 'user', content: 'hi' }], stream: true })) text += c.choices[0]?.delta?.content ?? ''
  expect(text).toBe('Claude on Vertex')
  r = mock.received.at(-1)!
  expect(r.path.endsWith(':streamRawPredict')).toBe(true)
  expect(r.body.stream).toBe(true)
  // one token per credential, reused across requests
  expect(minted).toBeLessThanOrEqual(2)
})

test('config: vertex is refused where it cannot work, with a reason', () => {
  const load = (p: Record<string, unknown>, env: Record<string, string> = {}) => () => resolveConfig({ providers: { v: p } }, env)
  expect(load({ dialect: 'openai-chat', vertex: { project: 'p', access_token: 't' } })).toThrow(/Vertex AI serves dialect anthropic and gemini, not openai-chat/)
  expect(load({ dialect: 'gemini', vertex: { project: 'p' } })).toThrow(/no credentials/)
  expect(load({ dialect: 'gemini', api_key: 'k', vertex: { project: 'p', access_token: 't' } })).toThrow(/not api_key/)
  expect(load({ dialect: 'gemini', vertex: { project: 'p', access_token: 't', credentials_file: '/x' } })).toThrow(/not both/)
  const cfg = resolveConfig({ providers: { v: { dialect: 'gemini', vertex: { project: 'p' } } } }, { GOOGLE_APPLICATION_CREDENTIALS: '/k.json' })
  expect(cfg.providers[0].vertex).toEqual({ project: 'p', location: 'global', credentials_file: '/k.json' })
  expect(cfg.providers[0].base_url).toBe('https://aiplatform.googleapis.com')
  const eu = resolveConfig({ providers: { v: { dialect: 'anthropic', vertex: { project: 'p', location: 'europe-west1', access_token: 't' } } } }, {})
  expect(eu.providers[0].base_url).toBe('https://europe-west1-aiplatform.googleapis.com')
})

test('load (and so `check`) reads each credentials file: missing or incomplete is refused, without quoting secrets', async () => {
  const { loadConfig } = await import('../../src/config/load')
  const dir = mkdtempSync(join(tmpdir(), 'vertex-cfg-'))
  const userCred = join(dir, 'adc.json')
  writeFileSync(userCred, JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 'secret-value', refresh_token: 'r' }))
  const write = (file: string) => {
    const p = join(dir, 'llm-proxy.yaml')
    writeFileSync(p, `providers:\n  v:\n    dialect: gemini\n    vertex: { project: p, location: us-east5, credentials_file: ${file} }\n`)
    return p
  }
  const load = (file: string) => loadConfig({ flags: { config: write(file), env: '' }, env: {}, cwd: dir })
  await expect(load(join(dir, 'missing.json'))).rejects.toThrow(/credentials file .*missing\.json not found/)
  // application-default user credentials are taken
  expect((await load(userCred)).providers[0].vertex?.credentials_file).toBe(userCred)
  const broken = join(dir, 'broken.json')
  writeFileSync(broken, JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 'secret-value' }))
  const err = await load(broken).catch((e) => e)
  expect(String(err.problems ?? err.message)).toContain('have no refresh_token')
  expect(String(err.problems ?? err.message)).not.toContain('secret-value')
  const ok = await load(keyPath)
  expect(ok.providers[0].vertex?.credentials_file).toBe(keyPath)
})

test('an Anthropic client on Claude on Vertex is pass-through (fields kept, model moved to the URL); count_tokens stays local', async () => {
  const { default: Anthropic } = await import('@anthropic-ai/sdk')
  const claude = new Anthropic({ apiKey: 'k', baseURL: proxy.url, maxRetries: 0 })
  const before = mock.received.length
  const msg = await claude.messages.create({
    model: 'c-1',
    max_tokens: 50,
    system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    messages: [{ role: 'user', content: 'hi' }],
  })
  expect((msg.content[0] as any).text).toBe('Claude on Vertex')
  const r = mock.received.at(-1)!
  expect(r.path.endsWith('/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict')).toBe(true)
  expect(r.body).toMatchObject({ anthropic_version: 'vertex-2023-10-16', max_tokens: 50, system: [{ cache_control: { type: 'ephemeral' } }] })
  expect(r.body.model).toBeUndefined()
  const n = await claude.messages.countTokens({ model: 'c-1', messages: [{ role: 'user', content: 'hello there' }] })
  expect(n.input_tokens).toBeGreaterThan(0)
  expect(mock.received.length).toBe(before + 1)
}, 30_000) // the local count loads the tokenizer

test('a minted token never reaches the client or a log line, even when the upstream quotes it', async () => {
  override = (r) => ({ kind: 'json', status: 403, body: { error: { code: 403, message: `token ${r.headers.get('authorization')} lacks aiplatform.endpoints.predict`, status: 'PERMISSION_DENIED' } } })
  try {
    const err: any = await openai().chat.completions.create({ model: 'g-1', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e)
    expect(err.status).toBe(403)
    expect(String(err.message)).toContain('lacks aiplatform')
    expect(String(err.message)).not.toContain('ya29.vertex-token')
    expect(proxy.logs.join('\n')).not.toContain('ya29.vertex-token')
  } finally {
    override = undefined
  }
})

test('a Gemini client on Gemini on Vertex is pass-through to the Vertex URL, streamed and not', async () => {
  const { GoogleGenAI } = await import('@google/genai')
  const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: proxy.url, retryOptions: { attempts: 1 } } as any })
  let text = ''
  for await (const c of await ai.models.generateContentStream({ model: 'g-1', contents: 'hi' })) text += c.text ?? ''
  expect(text).toBe('Gemini on Vertex')
  let r = mock.received.at(-1)!
  expect(r.path).toBe('/v1/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent')
  expect(r.query.getAll('alt')).toEqual(['sse'])
  expect(r.query.get('key')).toBeNull()
  expect(r.headers.get('authorization')).toBe('Bearer ya29.vertex-token')
  expect(r.body.model).toBeUndefined()
  expect(r.body.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }])
  const res = await ai.models.generateContent({ model: 'g-1', contents: 'hi' })
  expect(res.text).toBe('Gemini on Vertex')
  r = mock.received.at(-1)!
  expect(r.path.endsWith(':generateContent')).toBe(true)
})
