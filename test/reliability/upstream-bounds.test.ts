// Upstream bodies and events are bounded (issue 11): a huge JSON answer is a clean 502, an SSE
// line or event without end past max_event_size ends the stream with the client dialect's error
// event and the upstream is aborted; pass-through keeps no full copy of a large body for its usage.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { Server } from 'bun'
import { startProxy, type TestProxy } from '../helpers/proxy'

let upstream: Server<undefined>
let aborted = 0
let proxy: TestProxy
const MiB = 1024 * 1024
const enc = new TextEncoder()

/** an endless-ish body: `head`, then `fill` bytes of filler, then `tail`, in 64 KB chunks; counts aborts */
function streamed(head: string, fillBytes: number, tail: string, filler = 'x'): ReadableStream<Uint8Array> {
  const chunk = enc.encode(filler.repeat(64 * 1024))
  let sent = 0
  let phase = 0
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (phase === 0) {
        phase = 1
        return c.enqueue(enc.encode(head))
      }
      if (phase === 1 && sent < fillBytes) {
        sent += chunk.byteLength
        return c.enqueue(chunk)
      }
      if (phase === 1) {
        phase = 2
        return c.enqueue(enc.encode(tail))
      }
      c.close()
    },
    cancel() {
      aborted++
    },
  })
}

const chatBody = (content: string) => JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 22, total_tokens: 33 } })

beforeAll(async () => {
  upstream = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const u = new URL(req.url)
      await req.text()
      const scenario = u.pathname.split('/')[1]
      if (scenario === 'bigjson') return new Response(chatBody('y'.repeat(40 * MiB)), { headers: { 'content-type': 'application/json' } })
      if (scenario === 'bigchunked')
        return new Response(streamed('{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"', 300 * MiB, '"},"finish_reason":"stop"}]}'), { headers: { 'content-type': 'application/json' } })
      if (scenario === 'okchunked') {
        const body = chatBody('z'.repeat(5 * MiB))
        const cut = body.length - 40
        return new Response(streamed(body.slice(0, cut), 0, body.slice(cut)), { headers: { 'content-type': 'application/json' } })
      }
      if (scenario === 'endlessline') return new Response(streamed('data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"', 300 * MiB, ''), { headers: { 'content-type': 'text/event-stream' } })
      if (scenario === 'endlessevent')
        return new Response(streamed('data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"hi"}}]}\n\n', 300 * MiB, '', 'data: more\n'), { headers: { 'content-type': 'text/event-stream' } })
      return new Response('not found', { status: 404 })
    },
  })
  const base = (s: string) => `http://127.0.0.1:${upstream.port}/${s}/v1`
  proxy = await startProxy({
    logging: { level: 'info', requests: true },
    server: { max_response_size: '4MiB', max_event_size: '1MiB' },
    providers: {
      bigjson: { dialect: 'openai-chat', base_url: base('bigjson'), api_key: 'k', max_retries: 0 },
      bigchunked: { dialect: 'openai-chat', base_url: base('bigchunked'), api_key: 'k', max_retries: 0 },
      okchunked: { dialect: 'openai-chat', base_url: base('okchunked'), api_key: 'k', max_retries: 0, max_response_size: '16MiB' },
      endlessline: { dialect: 'openai-chat', base_url: base('endlessline'), api_key: 'k', max_retries: 0 },
      endlessevent: { dialect: 'openai-chat', base_url: base('endlessevent'), api_key: 'k', max_retries: 0 },
    },
    models: {},
  })
})
afterAll(() => {
  proxy?.stop()
  upstream?.stop(true)
})

const post = (path: string, body: unknown) => fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) })

test('a JSON answer over max_response_size is a clean 502 in the client dialect (translated and pass-through)', async () => {
  for (const [path, model] of [
    ['/v1/chat/completions', 'bigjson/m'],
    ['/v1/messages', 'bigjson/m'],
    ['/v1/responses', 'bigjson/m'],
    ['/v1/messages', 'bigchunked/m'],
  ] as const) {
    const t0 = performance.now()
    const res = await post(path, { model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], input: 'hi' })
    const j = (await res.json()) as any
    expect([path, model, res.status]).toEqual([path, model, 502])
    expect(j.error.message).toContain('max_response_size')
    if (path === '/v1/messages') expect(j.type).toBe('error')
    expect(performance.now() - t0).toBeLessThan(5000)
  }
})

test('pass-through of a chunked answer over max_response_size is cut and its upstream aborted', async () => {
  const before = aborted
  const res = await post('/v1/chat/completions', { model: 'bigchunked/m', messages: [{ role: 'user', content: 'hi' }] })
  const read = await res.arrayBuffer().then(
    (b) => b.byteLength,
    () => -1,
  )
  expect(read).toBeLessThan(8 * MiB)
  for (let i = 0; i < 100 && aborted === before; i++) await Bun.sleep(10)
  expect(aborted).toBeGreaterThan(before)
})

test('pass-through reads the usage of a large chunked answer from its tail', async () => {
  const res = await post('/v1/chat/completions', { model: 'okchunked/m', messages: [{ role: 'user', content: 'hi' }] })
  expect(res.status).toBe(200)
  const j = (await res.json()) as any
  expect(j.choices[0].message.content.length).toBe(5 * MiB)
  await Bun.sleep(20)
  const line = proxy.logs.filter((l) => l.includes('"okchunked"')).at(-1)!
  expect(JSON.parse(line)).toMatchObject({ input_tokens: 11, output_tokens: 22 })
})

test('an SSE line or event without end past max_event_size ends the stream with an error event in the client dialect, upstream aborted', async () => {
  for (const [path, provider, errorMark] of [
    ['/v1/chat/completions', 'endlessline', '"error"'],
    ['/v1/messages', 'endlessline', 'event: error'],
    ['/v1/responses', 'endlessline', 'response.failed'],
    ['/v1/chat/completions', 'endlessevent', '"error"'],
    ['/v1/messages', 'endlessevent', 'event: error'],
  ] as const) {
    const before = aborted
    const t0 = performance.now()
    const res = await post(path, { model: `${provider}/m`, stream: true, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], input: 'hi' })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect([path, provider, text.length < 4 * MiB]).toEqual([path, provider, true])
    expect(text).toContain(errorMark)
    expect(text).toContain('max_event_size')
    expect(performance.now() - t0).toBeLessThan(5000)
    for (let i = 0; i < 100 && aborted === before; i++) await Bun.sleep(10)
    expect(aborted).toBeGreaterThan(before)
  }
})
