// Pass-through Chat streams are billed even when the client does not ask for usage: the proxy
// asks OpenAI for it (stream_options.include_usage) and hides the extra `choices: []` chunk from
// a client that did not ask, so what the client reads is what OpenAI would have sent it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { frameText, startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'
import { parsePrometheus } from '../unit/observe/prometheus-parser'

let up: Mock
let strict: Mock
let proxy: TestProxy

/** like OpenAI: the usage chunk (and `usage: null` on the others) only when asked for */
function likeOpenAI(r: Received): Reply {
  const reply = openaiChat(r, { text: 'billed answer', usage: { input: 120, output: 34 } })
  if (reply.kind !== 'sse' || r.body?.stream_options?.include_usage === true) return reply
  return { ...reply, frames: reply.frames.filter((f) => typeof f === 'string' || !(f.data as { usage?: unknown }).usage) }
}

beforeAll(async () => {
  up = startMock(likeOpenAI)
  // an older OpenAI-compatible server (Azure before 2024-09, early vLLM): stream_options is a 400
  strict = startMock((r) =>
    r.body?.stream_options !== undefined
      ? { kind: 'json', status: 400, body: { error: { message: 'Unrecognized request argument supplied: stream_options', type: 'invalid_request_error', param: null, code: null } } }
      : likeOpenAI(r),
  )
  proxy = await startProxy({
    providers: {
      up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-up' },
      strict: { dialect: 'openai-chat', base_url: `${strict.url}/v1`, api_key: 'sk-up' },
    },
    models: { 'gpt-*': 'up/*', 'old-*': 'strict/*' },
  })
})
afterAll(() => {
  proxy?.stop()
  up?.stop()
  strict?.stop()
})

const post = (body: Record<string, unknown>) =>
  fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function tokens(model: string): Promise<{ input: number; output: number }> {
  const fams = parsePrometheus(await (await fetch(`${proxy.url}/metrics`)).text())
  const samples = fams.get('llm_proxy_tokens_total')?.samples ?? []
  const sum = (kind: string) => samples.filter((s) => s.labels.model === model && s.labels.kind === kind).reduce((a, s) => a + s.value, 0)
  return { input: sum('input'), output: sum('output') }
}

/** the ledger is written when the response finishes: wait for the counters to move */
async function tokensAfter(model: string): Promise<{ input: number; output: number }> {
  for (let i = 0; i < 100; i++) {
    const t = await tokens(model)
    if (t.input > 0) return t
    await Bun.sleep(10)
  }
  return tokens(model)
}

describe('usage of pass-through Chat streams', () => {
  test('a client that did not ask: the proxy asks, bills it, and the client never sees the usage chunk', async () => {
    const res = await post({ model: 'gpt-a', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(200)
    const text = await res.text()
    const asked = up.received.at(-1)!.body
    expect(asked.stream_options).toEqual({ include_usage: true })
    const datas = text.split('\n\n').filter(Boolean).map((e) => e.slice(6))
    expect(datas.at(-1)).toBe('[DONE]')
    const chunks = datas.slice(0, -1).map((d) => JSON.parse(d))
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true)
    expect(chunks.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('billed answer')
    expect(await tokensAfter('gpt-a')).toEqual({ input: 120, output: 34 })
  })

  test('a client that asked gets the usage chunk as OpenAI sent it', async () => {
    const res = await post({ model: 'gpt-b', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] })
    const text = await res.text()
    expect(text).toContain('"choices":[],"usage":{"prompt_tokens":120')
    expect(up.received.at(-1)!.body.stream_options).toEqual({ include_usage: true })
    // untouched: exactly the mock's bytes
    const expected = openaiChat(up.received.at(-1)!, { text: 'billed answer', usage: { input: 120, output: 34 } })
    if (expected.kind !== 'sse') throw new Error('expected a stream')
    expect(text).toBe(expected.frames.map(frameText).join(''))
    expect(await tokensAfter('gpt-b')).toEqual({ input: 120, output: 34 })
  })

  test('other stream_options are kept, and the openai SDK reads the stream to the end', async () => {
    const client = new OpenAI({ apiKey: 'x', baseURL: `${proxy.url}/v1`, maxRetries: 0 })
    const stream = client.chat.completions.stream({ model: 'gpt-c', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_obfuscation: false } })
    expect(await stream.finalContent()).toBe('billed answer')
    expect(up.received.at(-1)!.body.stream_options).toEqual({ include_obfuscation: false, include_usage: true })
    expect(await tokensAfter('gpt-c')).toEqual({ input: 120, output: 34 })
  })

  test('a server that refuses stream_options gets the client\'s body as it was, once more', async () => {
    const before = strict.received.length
    const res = await post({ model: 'old-1', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('data: [DONE]')
    const sent = strict.received.slice(before).map((r) => r.body.stream_options)
    expect(sent).toEqual([{ include_usage: true }, undefined])
    // a client that asked for usage itself gets the server's refusal, unchanged
    const asked = await post({ model: 'old-2', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] })
    expect(asked.status).toBe(400)
    expect(strict.received.length).toBe(before + 3)
  })

  test('non-streaming bodies go up untouched', async () => {
    const res = await post({ model: 'gpt-d', messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(200)
    expect(up.received.at(-1)!.body.stream_options).toBeUndefined()
  })
})
