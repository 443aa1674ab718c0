// Redaction covers every byte the proxy writes to a client (issue 11): a mid-stream upstream
// error event quoting the upstream key, translated or passed through, whole or split across
// network reads, and the masked forms providers echo back (`sk-…3456`, `sk-proj-****3456`).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'

const KEY = 'sk-proj-Zq8vN2mXr5TtY7uW1pK4aB9cD3456'
const LAST4 = KEY.slice(-4)
const LEAKS = [KEY, KEY.slice(8, -4), `sk-…${LAST4}`, `sk-proj-****${LAST4}`, `sk-proj-************************${LAST4}`, `sk-proj-...${LAST4}`]
const quote = `Incorrect API key provided: ${KEY}. Also sk-…${LAST4} and sk-proj-****${LAST4} and sk-proj-************************${LAST4} and sk-proj-...${LAST4}`

let mock: Mock
let proxy: TestProxy

beforeAll(async () => {
  mock = startMock((r) => {
    const chunkBytes = r.path.startsWith('/split') ? 7 : undefined
    if (r.path.endsWith('/chat/completions')) {
      if (!r.body?.stream) return { kind: 'json', body: { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: quote }, finish_reason: 'stop' }] } }
      return {
        kind: 'sse',
        chunkBytes,
        frames: [
          { data: { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }] } },
          { data: { error: { message: quote, type: 'invalid_request_error', code: 'invalid_api_key' } } },
        ],
      }
    }
    return {
      kind: 'sse',
      chunkBytes,
      frames: [
        { event: 'message_start', data: { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'c', content: [], usage: { input_tokens: 1, output_tokens: 1 } } } },
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
        { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } } },
        { event: 'error', data: { type: 'error', error: { type: 'authentication_error', message: quote } } },
      ],
    }
  })
  proxy = await startProxy({
    logging: { level: 'error' },
    providers: {
      oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: KEY, max_retries: 0 },
      an: { dialect: 'anthropic', base_url: mock.url, api_key: KEY, max_retries: 0 },
      ocsplit: { dialect: 'openai-chat', base_url: `${mock.url}/split/v1`, api_key: KEY, max_retries: 0 },
      ansplit: { dialect: 'anthropic', base_url: `${mock.url}/split`, api_key: KEY, max_retries: 0 },
    },
    models: {},
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const leaked = (text: string) => LEAKS.filter((l) => text.includes(l))

test('mid-stream upstream error events quoting the key are redacted, pass-through and translated, whole and split across reads', async () => {
  for (const provider of ['oc', 'an', 'ocsplit', 'ansplit'])
    for (const [path, body] of [
      ['/v1/chat/completions', { messages: [{ role: 'user', content: 'hi' }] }],
      ['/v1/messages', { max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }],
      ['/v1/responses', { input: 'hi' }],
    ] as const) {
      const res = await fetch(`${proxy.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: `${provider}/m`, stream: true, ...body }),
      })
      const text = await res.text()
      expect([provider, path, leaked(text)]).toEqual([provider, path, []])
      expect(text).toContain('[REDACTED]')
    }
})

test('non-streamed answers are redacted too, and the log never holds the key', async () => {
  for (const path of ['/v1/chat/completions', '/v1/messages']) {
    const res = await fetch(`${proxy.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'oc/m', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    })
    const text = await res.text()
    expect([path, leaked(text)]).toEqual([path, []])
  }
  expect(leaked(proxy.logs.join('\n'))).toEqual([])
})
