// Streams flow without buffering, and a client that hangs up stops the upstream.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'

let slow: Mock
let proxy: TestProxy

beforeAll(async () => {
  slow = startMock((r) =>
    r.path.endsWith('/messages') ? { ...anthropic(r, { text: 'abcdefghi' }), delayMs: 400 } : { ...openaiChat(r, { text: 'abcdefghi' }), delayMs: 400 },
  )
  proxy = await startProxy({
    providers: {
      o: { dialect: 'openai-chat', base_url: `${slow.url}/v1`, api_key: 'k' },
      a: { dialect: 'anthropic', base_url: slow.url, api_key: 'k' },
    },
    models: { 'gpt-*': 'o/*', 'claude-*': 'a/*' },
  })
})
afterAll(() => {
  proxy?.stop()
  slow?.stop()
})

async function firstEventDelay(path: string, model: string): Promise<{ first: number; total: number }> {
  const t0 = performance.now()
  const body = path.endsWith('messages') ? { model, max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'x' }] } : { model, stream: true, messages: [{ role: 'user', content: 'x' }] }
  const res = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  let first = -1
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += dec.decode(value, { stream: true })
    if (first < 0 && text.includes('data:')) first = performance.now() - t0
  }
  return { first, total: performance.now() - t0 }
}

for (const [name, path, model] of [
  ['pass-through', '/v1/chat/completions', 'gpt-4o'],
  ['translated (Anthropic client → OpenAI upstream)', '/v1/messages', 'gpt-4o'],
  ['translated (OpenAI client → Anthropic upstream)', '/v1/chat/completions', 'claude-x'],
] as const) {
  test(`zero buffering, ${name}: the first event arrives before the mock sends the second`, async () => {
    const { first, total } = await firstEventDelay(path, model)
    // the mock waits 400 ms between frames (7+ frames): a buffered stream would deliver everything
    // at the end; here the first event must arrive while the mock is still sending
    expect(total).toBeGreaterThan(2000)
    expect(first).toBeLessThan(900)
    expect(first).toBeLessThan(total - 1200)
  }, 20_000)
}

test('a client disconnect mid-stream aborts the upstream fetch', async () => {
  const m = startMock((r) => ({ ...openaiChat(r, { text: 'a b c d e f g h i j k l m n o p' }), delayMs: 300 }))
  const p = await startProxy({ providers: { o: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: 'k' } }, models: { '*': 'o/*' } })
  try {
    const ctl = new AbortController()
    const res = await fetch(`${p.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      signal: ctl.signal,
    })
    const reader = res.body!.getReader()
    await reader.read()
    ctl.abort()
    const seen = await Promise.race([m.abortSeen.then(() => true), Bun.sleep(3000).then(() => false)])
    expect(seen).toBe(true)
  } finally {
    p.stop()
    m.stop()
  }
})

test('a client disconnect while the upstream has not answered yet aborts it too', async () => {
  const m = startMock(() => ({ kind: 'hang' }))
  const p = await startProxy({ providers: { o: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: 'k' } }, models: { '*': 'o/*' } })
  try {
    const ctl = new AbortController()
    const pending = fetch(`${p.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] }),
      signal: ctl.signal,
    }).catch(() => undefined)
    await Bun.sleep(200)
    ctl.abort()
    await pending
    const seen = await Promise.race([m.abortSeen.then(() => true), Bun.sleep(3000).then(() => false)])
    expect(seen).toBe(true)
  } finally {
    p.stop()
    m.stop()
  }
})

test('an upstream that goes silent past idle_timeout ends the stream with an error event', async () => {
  const m = startMock((r) => ({ ...(openaiChat(r, { text: 'hello' }) as any), frames: (openaiChat(r, { text: 'hello' }) as any).frames.slice(0, 2), hangAfter: true }))
  const p = await startProxy({ providers: { o: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: 'k', idle_timeout: '300ms' } }, models: { '*': 'o/*' } })
  try {
    const t0 = performance.now()
    const res = await fetch(`${p.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', max_tokens: 5, stream: true, messages: [{ role: 'user', content: 'x' }] }),
    })
    const text = await res.text()
    expect(performance.now() - t0).toBeLessThan(3000)
    expect(text).toContain('event: error')
    expect(text).toContain('idle_timeout')
  } finally {
    p.stop()
    m.stop()
  }
})
