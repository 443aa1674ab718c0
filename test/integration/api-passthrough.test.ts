// The rest of the OpenAI and Anthropic APIs through the proxy, as their own SDKs call them:
// embeddings, moderations, file uploads (multipart), message batches, audio. The provider comes
// from the body's model (routed like generation) or, for model-less calls, default_provider or
// the only provider of that API; bodies and answers stream through without being buffered.
import Anthropic from '@anthropic-ai/sdk'
import { Database } from 'bun:sqlite'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI, { toFile } from 'openai'
import { startProxy, type TestProxy } from '../helpers/proxy'

interface Seen {
  method: string
  path: string
  headers: Headers
  text: string
}

const OPENAI_KEY = 'sk-upstream-openai-1a2b3c4d5e'
const ANTHROPIC_KEY = 'sk-ant-upstream-6f7e8d9c0b'
const CLIENT = 'sk-client-alice-0f1e2d3c4b'
const INTERN = 'sk-client-intern-9a8b7c6d5e'

/** a mock of both vendors' APIs: records every call, answers by path */
function startVendor() {
  const seen: Seen[] = []
  let gate: { firstBytes: () => void } | undefined
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const path = url.pathname + url.search
      let text = ''
      if (req.body) {
        const reader = req.body.getReader()
        const dec = new TextDecoder()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          if (!text) gate?.firstBytes()
          text += dec.decode(value, { stream: true })
        }
      }
      seen.push({ method: req.method, path, headers: req.headers, text })
      const json = (body: unknown, status = 200) => Response.json(body, { status })
      if (path === '/v1/embeddings') {
        const model = JSON.parse(text).model
        if (model === 'broken') return json({ error: { message: 'no such model', type: 'invalid_request_error' } }, 404)
        return json({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2, 0.3] }], model, usage: { prompt_tokens: 7, total_tokens: 7 } })
      }
      if (path === '/v1/completions') {
        const frames = ['{"id":"c1","choices":[{"text":"Hel","index":0}],"usage":null}', '{"id":"c1","choices":[{"text":"lo","index":0}],"usage":null}', '{"id":"c1","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}', '[DONE]']
        return new Response(frames.map((f) => `data: ${f}\n\n`).join(''), { headers: { 'content-type': 'text/event-stream' } })
      }
      if (path === '/v1/moderations') return json({ id: 'modr-1', model: JSON.parse(text).model, results: [{ flagged: false, categories: {}, category_scores: {} }] })
      if (path === '/v1/files' && req.method === 'POST')
        return json({ id: 'file-abc', object: 'file', bytes: text.length, created_at: 1, filename: 'batch.jsonl', purpose: 'batch', status: 'uploaded' })
      if (url.pathname === '/v1/files' && req.method === 'GET') return json({ object: 'list', data: [], has_more: false })
      if (path === '/v1/audio/transcriptions') return json({ text: `heard ${text.length} bytes` })
      if (path === '/v1/audio/speech') {
        // the answer streams: the second half waits until the test says the client read the first
        let release: () => void = () => {}
        const later = new Promise<void>((r) => (release = r))
        vendor.releaseSpeech = release
        const body = new ReadableStream<Uint8Array>({
          async start(c) {
            c.enqueue(new Uint8Array([1, 2, 3]))
            await later
            c.enqueue(new Uint8Array([4, 5]))
            c.close()
          },
        })
        return new Response(body, { headers: { 'content-type': 'audio/mpeg' } })
      }
      if (path === '/v1/images/generations') {
        // one chunk, then silence
        const body = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode('{"created":1,')) })
        return new Response(body, { headers: { 'content-type': 'application/json' } })
      }
      if (path === '/v1/messages/batches' && req.method === 'POST')
        return json({ id: 'msgbatch_01', type: 'message_batch', processing_status: 'in_progress', request_counts: { processing: 1, succeeded: 0, errored: 0, canceled: 0, expired: 0 }, created_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00Z', ended_at: null, archived_at: null, cancel_initiated_at: null, results_url: null })
      if (path.startsWith('/v1/messages/batches/msgbatch_01'))
        return json({ id: 'msgbatch_01', type: 'message_batch', processing_status: 'ended', request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 }, created_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00Z', ended_at: '2026-01-01T00:01:00Z', archived_at: null, cancel_initiated_at: null, results_url: null })
      if (path.startsWith('/v1/files/file-anthropic')) return json({ id: 'file-anthropic', type: 'file', filename: 'a.pdf', mime_type: 'application/pdf', size_bytes: 3, created_at: '2026-01-01T00:00:00Z' })
      return json({ error: { message: `mock has no ${req.method} ${path}` } }, 404)
    },
  })
  const vendor = {
    url: `http://127.0.0.1:${server.port}`,
    seen,
    releaseSpeech: () => {},
    /** resolves when the next request body's first bytes arrive */
    onFirstBytes: () => new Promise<void>((r) => (gate = { firstBytes: r })),
    stop: () => server.stop(true),
  }
  return vendor
}

let vendor: ReturnType<typeof startVendor>
let proxy: TestProxy

const config = () => ({
  providers: {
    oai: { dialect: 'openai-chat', base_url: `${vendor.url}/v1`, api_key: OPENAI_KEY },
    claude: { dialect: 'anthropic', base_url: vendor.url, api_key: ANTHROPIC_KEY },
  },
  models: { emb: 'oai/text-embedding-3-small', 'claude-*': 'claude/*', broken: 'oai/broken', 'gpt-*': 'oai/*' },
  auth: {
    keys: [
      { key: CLIENT, name: 'alice', group: 'eng' },
      { key: INTERN, name: 'intern', group: 'interns', rpm: 1 },
    ],
    groups: { eng: { models: ['*'], providers: ['*'] }, interns: { models: ['emb'], providers: ['oai'] } },
  },
  logging: { level: 'info' },
})

beforeAll(async () => {
  vendor = startVendor()
  proxy = await startProxy(config())
})
afterAll(() => {
  proxy.stop()
  vendor.stop()
})
afterEach(() => {
  vendor.seen.length = 0
})

const openai = (key = CLIENT) => new OpenAI({ apiKey: key, baseURL: `${proxy.url}/v1`, maxRetries: 0 })
const requestLines = () => proxy.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')

describe('OpenAI API endpoints', () => {
  test('embeddings: routed by model, model replaced, provider key, usage on the log line', async () => {
    const res = await openai().embeddings.create({ model: 'emb', input: 'hello', encoding_format: 'float' })
    expect(res.data[0].embedding).toEqual([0.1, 0.2, 0.3])
    expect(res.usage.prompt_tokens).toBe(7)
    const call = vendor.seen[0]
    expect(call.path).toBe('/v1/embeddings')
    expect(JSON.parse(call.text)).toEqual({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' })
    expect(call.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`)
    const line = requestLines().find((l) => l.path === '/v1/embeddings')
    expect(line).toMatchObject({ key: 'alice', model: 'emb', provider: 'oai', upstream_model: 'text-embedding-3-small', status: 200, input_tokens: 7, output_tokens: 0 })
  })

  test('a streamed legacy completion: SSE passes through, its final usage reaches the log line', async () => {
    const stream = await openai().completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello', stream: true, stream_options: { include_usage: true } })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? ''
    expect(text).toBe('Hello')
    await Bun.sleep(10)
    const line = requestLines().find((l) => l.path === '/v1/completions')
    expect(line).toMatchObject({ stream: true, input_tokens: 4, output_tokens: 2, upstream_model: 'gpt-3.5-turbo-instruct' })
  })

  test('the usage ledger gets a row with the tokens and cost the answer reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-ledger-'))
    const db = join(dir, 'usage.db')
    const p2 = await startProxy({ ...config(), usage: { store: `sqlite:${db}` }, pricing: { 'text-embedding-*': { input: 0.02, output: 0 } } })
    try {
      await new OpenAI({ apiKey: CLIENT, baseURL: `${p2.url}/v1`, maxRetries: 0 }).embeddings.create({ model: 'emb', input: 'hello' })
      await Bun.sleep(10)
    } finally {
      p2.stop()
    }
    await p2.gateway.close()
    const d = new Database(db, { readonly: true })
    const rows = d.query('SELECT * FROM usage_ledger').all() as Array<Record<string, any>>
    d.close()
    rmSync(dir, { recursive: true, force: true })
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ key_name: 'alice', model_requested: 'emb', provider: 'oai', model_upstream: 'text-embedding-3-small', status: 200, input_tokens: 7, output_tokens: 0 })
    expect(rows[0].cost_usd).toBeCloseTo((7 * 0.02) / 1e6, 12)
  })

  test('moderations', async () => {
    const res = await openai().moderations.create({ model: 'gpt-moderation', input: 'fine words' } as any)
    expect(res.results[0].flagged).toBe(false)
    expect(vendor.seen[0].path).toBe('/v1/moderations')
    expect(JSON.parse(vendor.seen[0].text).model).toBe('gpt-moderation')
  })

  test('file upload (multipart, model-less): the only OpenAI provider takes it, the form arrives whole', async () => {
    const content = '{"custom_id":"1","method":"POST","url":"/v1/chat/completions","body":{}}\n'
    const file = await openai().files.create({ file: await toFile(Buffer.from(content), 'batch.jsonl'), purpose: 'batch' })
    expect(file.id).toBe('file-abc')
    const call = vendor.seen[0]
    expect(call.method).toBe('POST')
    expect(call.headers.get('content-type')).toStartWith('multipart/form-data; boundary=')
    expect(call.text).toContain(content)
    expect(call.text).toContain('name="purpose"')
    expect(call.headers.get('content-length')).toBe(String(Buffer.byteLength(call.text)))
    expect(call.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`)
  })

  test('GET /v1/files (no body) and the query string go through', async () => {
    const list = await openai().files.list({ purpose: 'batch' })
    expect(list.data).toEqual([])
    expect(vendor.seen[0]).toMatchObject({ method: 'GET', path: '/v1/files?purpose=batch' })
  })

  test('headers follow the pass-through allow-list; a ?key= never goes up', async () => {
    const res = await fetch(`${proxy.url}/v1/files?limit=2&key=${CLIENT}`, { headers: { 'openai-organization': 'org-someone-else', 'user-agent': 'OpenAI/JS 7', 'x-api-key': CLIENT } })
    expect(res.status).toBe(200)
    const call = vendor.seen[0]
    expect(call.path).toBe('/v1/files?limit=2')
    expect(call.headers.get('openai-organization')).toBeNull()
    expect(call.headers.get('user-agent')).toBe('OpenAI/JS 7')
    expect(call.headers.get('x-api-key')).toBeNull()
    expect(call.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`)
  })

  test('an upstream refusal comes back as the upstream wrote it', async () => {
    const err = await openai()
      .embeddings.create({ model: 'broken', input: 'x' })
      .catch((e) => e)
    expect(err.status).toBe(404)
    expect(err.message).toContain('no such model')
  })

  test('GET /v1/models/{id} stays the proxy’s own', async () => {
    const m = await openai().models.retrieve('emb')
    expect(m.id).toBe('emb')
    expect(vendor.seen).toHaveLength(0)
  })

  test('auth, group and rpm limits apply', async () => {
    const noKey = await fetch(`${proxy.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'emb', input: 'x' }) })
    expect(noKey.status).toBe(401)
    const denied = await openai(INTERN)
      .moderations.create({ model: 'gpt-moderation', input: 'x' } as any)
      .catch((e) => e)
    expect(denied.status).toBe(403)
    const ok = await openai(INTERN).embeddings.create({ model: 'emb', input: 'x' })
    expect(ok.data).toHaveLength(1)
    const limited = await openai(INTERN)
      .embeddings.create({ model: 'emb', input: 'x' })
      .catch((e) => e)
    expect(limited.status).toBe(429)
    expect(vendor.seen).toHaveLength(1)
  })
})

describe('Anthropic API endpoints', () => {
  const anthropic = () => new Anthropic({ apiKey: CLIENT, baseURL: proxy.url, maxRetries: 0 })

  test('message batches: create and retrieve go to the only Anthropic provider with its key', async () => {
    const batch = await anthropic().messages.batches.create({
      requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] } }],
    })
    expect(batch.id).toBe('msgbatch_01')
    const again = await anthropic().messages.batches.retrieve('msgbatch_01')
    expect(again.processing_status).toBe('ended')
    expect(vendor.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /v1/messages/batches', 'GET /v1/messages/batches/msgbatch_01'])
    for (const s of vendor.seen) {
      expect(s.headers.get('x-api-key')).toBe(ANTHROPIC_KEY)
      expect(s.headers.get('anthropic-version')).toBeTruthy()
      expect(s.headers.get('authorization')).toBeNull()
    }
  })

  test('/v1/files with anthropic-version is the Anthropic API’s', async () => {
    const f = await anthropic().beta.files.retrieveMetadata('file-anthropic')
    expect(f.id).toBe('file-anthropic')
    expect(vendor.seen[0].headers.get('x-api-key')).toBe(ANTHROPIC_KEY)
  })
})

describe('model-less calls need one provider', () => {
  test('two OpenAI providers and no default_provider: a 400 that says to set it; with it: there', async () => {
    const cfg = config()
    const p2 = await startProxy({ ...cfg, providers: { ...cfg.providers, other: { dialect: 'openai-responses', base_url: `${vendor.url}/v1`, api_key: 'sk-other-upstream-000111' } } })
    try {
      const err = await new OpenAI({ apiKey: CLIENT, baseURL: `${p2.url}/v1`, maxRetries: 0 }).files.list().catch((e) => e)
      expect(err.status).toBe(400)
      expect(err.message).toContain('policy.default_provider')
      expect(err.message).toContain('oai, other')
      p2.reload({ ...cfg, providers: { ...cfg.providers, other: { dialect: 'openai-responses', base_url: `${vendor.url}/v1`, api_key: 'sk-other-upstream-000111' } }, policy: { default_provider: 'other' } })
      await new OpenAI({ apiKey: CLIENT, baseURL: `${p2.url}/v1`, maxRetries: 0 }).files.list()
      expect(vendor.seen[0].headers.get('authorization')).toBe('Bearer sk-other-upstream-000111')
    } finally {
      p2.stop()
    }
  })

  test("a passthrough provider gets the client's own key", async () => {
    const p2 = await startProxy({ providers: { oai: { dialect: 'openai-chat', base_url: `${vendor.url}/v1`, api_key: 'passthrough' } } })
    try {
      await new OpenAI({ apiKey: 'sk-users-own-key-123456', baseURL: `${p2.url}/v1`, maxRetries: 0 }).embeddings.create({ model: 'oai/text-embedding-3-large', input: 'x' })
      expect(vendor.seen[0].headers.get('authorization')).toBe('Bearer sk-users-own-key-123456')
      expect(JSON.parse(vendor.seen[0].text).model).toBe('text-embedding-3-large')
    } finally {
      p2.stop()
    }
  })

  test('a model whose providers do not serve the API: a clear 400', async () => {
    const err = await openai()
      .embeddings.create({ model: 'claude-sonnet-4-5', input: 'x' })
      .catch((e) => e)
    expect(err.status).toBe(400)
    expect(err.message).toContain('none of which serves /v1/embeddings')
  })
})

describe('streams through without buffering', () => {
  test('an upload reaches the upstream before the client has finished sending it', async () => {
    const firstBytes = vendor.onFirstBytes()
    const enc = new TextEncoder()
    const boundary = 'xyzzy'
    let sawFirstBytesBeforeEnd = false
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`))
        c.enqueue(new Uint8Array(64 * 1024))
        // the rest is sent only once the upstream has the start: a buffering proxy would hang here
        sawFirstBytesBeforeEnd = await Promise.race([firstBytes.then(() => true), Bun.sleep(5000).then(() => false)])
        c.enqueue(new Uint8Array(64 * 1024))
        c.enqueue(enc.encode(`\r\n--${boundary}--\r\n`))
        c.close()
      },
    })
    const res = await fetch(`${proxy.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(200)
    expect(sawFirstBytesBeforeEnd).toBe(true)
    expect(((await res.json()) as { text: string }).text).toMatch(/^heard \d+ bytes$/)
    expect(vendor.seen[0].text.length).toBeGreaterThan(128 * 1024)
  })

  test('an answer reaches the client before the upstream has finished it', async () => {
    const res = await fetch(`${proxy.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini-tts', input: 'hi', voice: 'alloy' }),
    })
    expect(res.headers.get('content-type')).toBe('audio/mpeg')
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect([...first.value!]).toEqual([1, 2, 3])
    vendor.releaseSpeech()
    const rest: number[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest.push(...value)
    }
    expect(rest).toEqual([4, 5])
    expect(JSON.parse(vendor.seen[0].text).model).toBe('gpt-4o-mini-tts')
  })

  test('a chunked upload that passes max_body_size is a 413, not an upstream failure', async () => {
    const p2 = await startProxy({ ...config(), server: { max_body_size: '1KiB' } })
    try {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(512))
          c.close()
        },
      })
      const res = await fetch(`${p2.url}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'multipart/form-data; boundary=b' },
        body,
        duplex: 'half',
      } as RequestInit)
      expect(res.status).toBe(413)
      expect(await res.text()).toContain('max_body_size')
    } finally {
      p2.stop()
    }
  })

  test('an answer that goes silent past idle_timeout is cut and logged', async () => {
    const cfg = config()
    const p2 = await startProxy({ ...cfg, providers: { ...cfg.providers, oai: { ...cfg.providers.oai, idle_timeout: '150ms' } } })
    try {
      const res = await fetch(`${p2.url}/v1/images/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-image-1', prompt: 'a cat' }),
      })
      expect(res.status).toBe(200)
      const read = await res.text().then(
        () => 'ended',
        () => 'failed',
      )
      expect(read).toBe('failed')
      await Bun.sleep(20)
      const line = p2.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.path === '/v1/images/generations')
      expect(line.error).toContain('idle_timeout')
    } finally {
      p2.stop()
    }
  })

  test('a streamed body over max_body_size is cut off', async () => {
    const p2 = await startProxy({ ...config(), server: { max_body_size: '1KiB' } })
    try {
      const res = await fetch(`${p2.url}/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT}`, 'content-type': 'multipart/form-data; boundary=b', 'content-length': '4096' },
        body: new Uint8Array(4096),
      })
      expect(res.status).toBe(413)
      expect(vendor.seen).toHaveLength(0)
    } finally {
      p2.stop()
    }
  })
})
