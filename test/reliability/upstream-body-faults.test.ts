// Faults in an upstream's BODY (its headers were fine): a body that stalls part-way, a stream that
// never goes idle but never ends, corrupt gzip, a body shorter than its content-length. Every
// read of an upstream body is bounded by idle_timeout and the request deadline; a body that cannot
// be read is a 502 bad_upstream_response that fails over when nothing reached the client yet.
// The upstream here is a raw TCP server, so it can break HTTP in ways Bun.serve would not.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { TCPSocketListener } from 'bun'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const IDLE_MS = 400
const REQUEST_MS = 1500
const SLACK_MS = 1200
const GOOD = 'fallback answered'

const CHAT_JSON = JSON.stringify({
  id: 'chatcmpl-raw',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hello there' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
})

const head = (status: number, headers: Record<string, string | number>) =>
  `HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n'

type Sock = { write(d: string | Uint8Array): number; end(): void; data: { buf: string; done: boolean; timer?: ReturnType<typeof setInterval> } }

/** what the raw upstream does, by the suffix of the model it was asked for */
function answer(s: Sock, model: string) {
  const fault = model.slice(model.lastIndexOf('-') + 1)
  switch (fault) {
    case 'stalljson': // headers and part of a known-length body, then nothing
      s.write(head(200, { 'content-type': 'application/json', 'content-length': CHAT_JSON.length }) + CHAT_JSON.slice(0, 40))
      return
    case 'stallchunked': // a chunked body: one chunk, then nothing
      s.write(head(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }) + `28\r\n${CHAT_JSON.slice(0, 40)}\r\n`)
      return
    case 'stallerror': // an error answer whose body stalls
      s.write(head(500, { 'content-type': 'application/json', 'content-length': 200 }) + '{"error":{"message":"bro')
      return
    case 'short': // fewer bytes than content-length, then the connection closes
      s.write(head(200, { 'content-type': 'application/json', 'content-length': CHAT_JSON.length + 50 }) + CHAT_JSON.slice(0, 60))
      s.end()
      return
    case 'gzip': {
      const junk = 'this is not gzip at all, not even close'
      s.write(head(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': junk.length }) + junk)
      return
    }
    case 'gzipstream': {
      const junk = 'data: not gzip either\n\n'
      s.write(head(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip', 'content-length': junk.length }) + junk)
      return
    }
    case 'forever': {
      // an SSE stream that is never idle and never ends
      s.write(head(200, { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }))
      let i = 0
      const frame = (d: unknown) => {
        const text = `data: ${JSON.stringify(d)}\n\n`
        return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
      }
      s.write(frame({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }))
      s.data.timer = setInterval(() => {
        s.write(frame({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: `tick ${i++} ` }, finish_reason: null }] }))
      }, 150)
      return
    }
  }
}

let raw: TCPSocketListener<Sock['data']>
let good: Mock
let proxy: TestProxy

beforeAll(async () => {
  raw = Bun.listen<Sock['data']>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(s) {
        s.data = { buf: '', done: false }
      },
      data(s, d) {
        if (s.data.done) return
        s.data.buf += d.toString()
        const end = s.data.buf.indexOf('\r\n\r\n')
        if (end < 0) return
        const len = Number(/content-length: *(\d+)/i.exec(s.data.buf.slice(0, end))?.[1] ?? 0)
        if (s.data.buf.length < end + 4 + len) return
        s.data.done = true
        answer(s as unknown as Sock, /"model":"([^"]+)"/.exec(s.data.buf)?.[1] ?? '')
      },
      close(s) {
        if (s.data?.timer) clearInterval(s.data.timer)
      },
    },
  })
  good = startMock((r) => openaiChat(r, { text: GOOD }))
  const provider = (url: string) => ({ dialect: 'openai-chat', base_url: `${url}/v1`, api_key: 'sk-body-faults-123456', max_retries: 0, first_byte_timeout: '2s', idle_timeout: `${IDLE_MS}ms` })
  proxy = await startProxy({
    server: { request_timeout: `${REQUEST_MS}ms` },
    providers: { raw: provider(`http://127.0.0.1:${raw.port}`), good: provider(good.url) },
    models: { 'fb-*': { targets: ['raw/*'], fallbacks: ['good/gpt-good'] }, 'x-*': 'raw/*' },
  })
})
afterAll(() => {
  proxy.stop()
  good.stop()
  raw.stop(true)
})

async function call(front: 'chat' | 'messages', model: string, stream = false) {
  const t0 = performance.now()
  const res =
    front === 'chat'
      ? await fetch(`${proxy.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
        })
      : await fetch(`${proxy.url}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: JSON.stringify({ model, stream, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
        })
  const body = await res.text().catch((e) => `<body failed: ${e}>`)
  return { status: res.status, body, ms: performance.now() - t0 }
}

describe('a body that stalls after its headers is bounded by idle_timeout', () => {
  for (const front of ['chat', 'messages'] as const)
    for (const fault of ['stalljson', 'stallerror'])
      test(`${front} (${front === 'chat' ? 'pass-through' : 'translated'}), ${fault}: an error within idle_timeout`, async () => {
        const r = await call(front, `x-${fault}`)
        expect(r.ms).toBeLessThan(IDLE_MS + SLACK_MS)
        expect(r.status).toBeGreaterThanOrEqual(500)
        expect(r.body).toContain('idle_timeout')
      })

  test('chunked pass-through: the body the client is reading ends within idle_timeout', async () => {
    const r = await call('chat', 'x-stallchunked')
    expect(r.ms).toBeLessThan(IDLE_MS + SLACK_MS)
  })

  test('with a fallback, a stalled body fails over (nothing reached the client yet)', async () => {
    const r = await call('messages', 'fb-stalljson')
    expect(r.status).toBe(200)
    expect(r.body).toContain(GOOD)
  })
})

describe('a stream that is never idle still ends at request_timeout', () => {
  for (const front of ['chat', 'messages'] as const)
    test(`${front}: cut with an in-stream error near ${REQUEST_MS} ms`, async () => {
      const r = await call(front, 'x-forever', true)
      expect(r.status).toBe(200)
      expect(r.ms).toBeGreaterThan(REQUEST_MS - 200)
      expect(r.ms).toBeLessThan(REQUEST_MS + SLACK_MS)
      expect(r.body).toContain('request_timeout')
    })
})

describe('a body that cannot be read is a 502 bad_upstream_response', () => {
  for (const front of ['chat', 'messages'] as const)
    for (const fault of ['short', 'gzip'])
      test(`${front}, ${fault}: 502 bad_upstream_response, cause logged`, async () => {
        const before = proxy.logs.length
        const r = await call(front, `x-${fault}`)
        expect(r.status).toBe(502)
        // the Anthropic error shape has no code field: its message says it
        expect(r.body).toContain(front === 'chat' ? 'bad_upstream_response' : 'could not be read')
        const line = proxy.logs.slice(before).find((l) => l.includes('"request"') && l.includes(`x-${fault}`))
        expect(line).toBeDefined()
        expect(JSON.parse(line!).error).toContain('body')
      })

  test('a stream with corrupt gzip: 502 bad_upstream_response before any byte, and fails over', async () => {
    const r = await call('chat', 'x-gzipstream', true)
    expect(r.status).toBe(502)
    expect(r.body).toContain('bad_upstream_response')
    const fb = await call('messages', 'fb-gzipstream', true)
    expect(fb.status).toBe(200)
    // the fallback's stream, whole (its text arrives in pieces)
    expect(fb.body).toContain('"text":"fallba"')
    expect(fb.body).toContain('message_stop')
  })

  for (const fault of ['short', 'gzip'])
    test(`${fault} with a fallback: fails over`, async () => {
      const r = await call('messages', `fb-${fault}`)
      expect(r.status).toBe(200)
      expect(r.body).toContain(GOOD)
    })
})
