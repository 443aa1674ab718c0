// Same dialect on both sides: the official SDKs through the proxy to mock upstreams of their own
// dialect. Bodies are forwarded untouched but for the model; keys are swapped; streams unbuffered.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat, responses } from '../helpers/wire'

let oai: Mock
let ant: Mock
let proxy: TestProxy

beforeAll(async () => {
  oai = startMock((r) => (r.path.endsWith('/responses') ? responses(r, { text: 'Hello from responses' }) : openaiChat(r, { text: 'Hello from upstream' })))
  ant = startMock((r) => anthropic(r, { text: 'Hello from claude' }))
  proxy = await startProxy({
    providers: {
      oai: { dialect: 'openai-chat', base_url: `${oai.url}/v1`, api_key: 'sk-upstream-openai-1234' },
      oair: { dialect: 'openai-responses', base_url: `${oai.url}/v1`, api_key: 'sk-upstream-openai-1234' },
      ant: { dialect: 'anthropic', base_url: ant.url, api_key: 'sk-ant-upstream-5678' },
    },
    models: { 'gpt-4o': 'oai/gpt-4o-2024-08-06', 'resp-*': 'oair/*', 'claude-*': 'ant/*' },
    auth: { keys: [{ key: 'proxy-key-alice-0001', name: 'alice', group: 'default' }] },
  })
})
afterAll(() => {
  proxy?.stop()
  oai?.stop()
  ant?.stop()
})

const openai = () => new OpenAI({ apiKey: 'proxy-key-alice-0001', baseURL: `${proxy.url}/v1`, maxRetries: 0 })
const claude = () => new Anthropic({ apiKey: 'proxy-key-alice-0001', baseURL: proxy.url, maxRetries: 0 })

describe('OpenAI Chat pass-through', () => {
  test('non-streaming: model rewritten, keys swapped, unknown fields kept', async () => {
    const before = oai.received.length
    const res = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      // a field the proxy knows nothing about must reach the upstream
      ...({ some_future_field: { nested: [1, 2] } } as object),
    })
    expect(res.choices[0].message.content).toBe('Hello from upstream')
    const got = oai.received[before]
    expect(got.path).toBe('/v1/chat/completions')
    expect(got.body.model).toBe('gpt-4o-2024-08-06')
    expect(got.body.some_future_field).toEqual({ nested: [1, 2] })
    expect(got.headers.get('authorization')).toBe('Bearer sk-upstream-openai-1234')
    expect(JSON.stringify([...got.headers])).not.toContain('proxy-key-alice-0001')
  })

  test('streaming through the SDK', async () => {
    const stream = openai().chat.completions.stream({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true })
    const final = await stream.finalChatCompletion()
    expect(final.choices[0].message.content).toBe('Hello from upstream')
  })

  test('response headers say where the request went', async () => {
    const res = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer proxy-key-alice-0001', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-llm-proxy-provider')).toBe('oai')
    expect(res.headers.get('x-llm-proxy-model')).toBe('gpt-4o-2024-08-06')
    expect(res.headers.get('x-llm-proxy-attempts')).toBe('1')
  })
})

describe('Anthropic pass-through', () => {
  test('non-streaming with cache_control and anthropic-beta forwarded', async () => {
    const before = ant.received.length
    const msg = await claude().beta.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'hi' }],
      betas: ['interleaved-thinking-2025-05-14'],
    })
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Hello from claude' })
    const got = ant.received[before]
    expect(got.path).toBe('/v1/messages')
    expect(got.headers.get('anthropic-beta')).toContain('interleaved-thinking-2025-05-14')
    expect(got.headers.get('x-api-key')).toBe('sk-ant-upstream-5678')
    expect(got.body.system[0].cache_control).toEqual({ type: 'ephemeral' })
  })

  test('Claude Code style ?beta=true reaches the upstream; the client key does not', async () => {
    const res = await fetch(`${proxy.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': 'proxy-key-alice-0001', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(res.status).toBe(200)
    const got = ant.received.at(-1)!
    expect(got.query.get('beta')).toBe('true')
    expect(got.headers.get('anthropic-version')).toBe('2023-06-01')
    expect(JSON.stringify([...got.headers])).not.toContain('proxy-key-alice-0001')
  })

  test('messages.stream().finalMessage()', async () => {
    const msg = await claude().messages.stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage()
    expect(msg.content[0]).toMatchObject({ type: 'text', text: 'Hello from claude' })
    expect(msg.stop_reason).toBe('end_turn')
    expect(msg.usage.output_tokens).toBe(7)
  })
})

describe('Responses pass-through', () => {
  test('responses.stream() and non-streaming create', async () => {
    const r = await openai().responses.create({ model: 'resp-mini', input: 'hi' })
    expect(r.output_text).toBe('Hello from responses')
    const final = await openai().responses.stream({ model: 'resp-mini', input: 'hi' }).finalResponse()
    expect(final.output_text).toBe('Hello from responses')
    expect(oai.received.at(-1)!.body.model).toBe('resp-mini')
  })
})

describe('upstream errors reach the client as they were', () => {
  test('429 with retry-after, body unchanged', async () => {
    const m = startMock(() => ({ kind: 'json', status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null } } }))
    const p = await startProxy({ providers: { o: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: 'k', max_retries: 0 } }, models: { '*': 'o/*' } })
    try {
      const res = await fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'x', messages: [] }) })
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')
      expect(await res.json()).toEqual({ error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null } })
    } finally {
      p.stop()
      m.stop()
    }
  })
})

describe('the body goes up as the client wrote it, only the model replaced (model-splice.ts)', () => {
  test('the Anthropic SDK: the upstream receives the very bytes the SDK sent, but for the model', async () => {
    const before = ant.received.length
    const sdk = new Anthropic({
      apiKey: 'proxy-key-alice-0001',
      baseURL: proxy.url,
      maxRetries: 0,
      // what the SDK put on the wire, to compare with what the upstream got
      fetch: (async (url: string, init: RequestInit) => {
        sentBodies.push(String(init.body))
        return fetch(url, init)
      }) as never,
    })
    const sentBodies: string[] = []
    await sdk.messages.create({ model: 'claude-x', max_tokens: 10, system: 'ü "q" \\', messages: [{ role: 'user', content: 'hi' }] })
    const got = ant.received[before]
    expect(got.body.model).toBe('claude-x')
    expect(got.raw).toBe(sentBodies[0])
  })

  test('an alias renames: the same bytes as parse + JSON.stringify would give', async () => {
    const before = oai.received.length
    const text = JSON.stringify({ messages: [{ role: 'user', content: 'hi "there" ü' }], model: 'gpt-4o', metadata: { model: 'inner' }, temperature: 1 })
    const res = await fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer proxy-key-alice-0001', 'content-type': 'application/json' }, body: text })
    expect(res.status).toBe(200)
    expect(oai.received[before].raw).toBe(JSON.stringify({ ...JSON.parse(text), model: 'gpt-4o-2024-08-06' }))
  })

  test('a key sent twice reaches the upstream once, with the value the proxy routed and billed on', async () => {
    const before = oai.received.length
    const text = '{"model":"gpt-4o","max_tokens":1,"messages":[{"role":"user","content":"hi"}],"max_tokens":7}'
    const res = await fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer proxy-key-alice-0001', 'content-type': 'application/json' }, body: text })
    expect(res.status).toBe(200)
    const raw = oai.received[before].raw
    expect(raw.match(/max_tokens/g)).toHaveLength(1)
    expect(JSON.parse(raw).max_tokens).toBe(7)
  })
})
