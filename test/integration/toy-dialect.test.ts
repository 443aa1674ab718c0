// A dialect is a folder plus one registry line: the toy dialect in test/helpers/toy-dialect is
// registered from here (nothing else in src/ changes) and requests run through it end to end, as
// a front door (to the echo provider and to itself) and as an upstream (for an OpenAI Chat client).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { resolveConfig } from '../../src/config/resolve'
import { ConfigError } from '../../src/config/config-error'
import { registerDialect } from '../../src/dialects'
import { parseSseText } from '../../src/framing/sse'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { TOY, toyDialect } from '../helpers/toy-dialect'

let unregister: () => void
let mock: Mock
let proxy: TestProxy
let reply: (r: Received) => Reply = () => ({ kind: 'json', status: 500, body: {} })

beforeAll(async () => {
  unregister = registerDialect(toyDialect) // the one registry line
  mock = startMock((r) => reply(r))
  proxy = await startProxy({
    providers: {
      demo: { dialect: 'echo' },
      toys: { dialect: TOY, base_url: mock.url, api_key: 'toy-key', max_retries: 0 },
    },
    models: { 'toy-*': 'toys/*' },
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
  unregister?.()
})

const post = (path: string, body: unknown) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('toy dialect as a front door', () => {
  test('answers in its own shape from the echo provider', async () => {
    const res = await post('/v1/toy', { model: 'demo/m', prompt: 'hello toy', system: 'be brief' })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { model: string; text: string; usage: { in: number; out: number } }
    expect(body.model).toBe('demo/m')
    expect(body.text).toContain('hello toy')
    expect(body.usage.out).toBeGreaterThan(0)
  })

  test('streams in its own frames', async () => {
    const res = await post('/v1/toy', { model: 'demo/m', prompt: 'hello stream', stream: true })
    expect(res.status).toBe(200)
    const frames = parseSseText(await res.text()).filter((f) => !f.comment).map((f) => JSON.parse(f.data))
    expect(frames.map((f) => f.text ?? '').join('')).toContain('hello stream')
    expect(frames.at(-1)).toMatchObject({ done: true })
  })

  test('its required fields are checked, errors come back in its shape', async () => {
    const res = await post('/v1/toy', { model: 'demo/m', system: 'no prompt' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { problem: string }).problem).toContain('prompt')
  })

  test('toy → toy is a pass-through: the body goes up as sent, the model replaced', async () => {
    reply = () => ({ kind: 'json', body: { id: 't1', model: 'x', text: 'from upstream', usage: { in: 3, out: 2 } } })
    const res = await post('/v1/toy', { model: 'toy-small', prompt: 'as is', extra_field: 7 })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { text: string }).text).toBe('from upstream')
    const got = mock.received.at(-1)!
    expect(got.path).toBe('/toy/generate')
    expect(got.body).toEqual({ model: 'toy-small', prompt: 'as is', extra_field: 7 })
  })
})

describe('toy dialect as an upstream', () => {
  const client = () => new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused', maxRetries: 0 })

  test('an OpenAI Chat client is translated to the toy wire and back', async () => {
    reply = () => ({ kind: 'json', body: { id: 't2', model: 'small', text: 'toy says hi', usage: { in: 5, out: 3 } } })
    const out = await client().chat.completions.create({
      model: 'toy-small',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi there' },
      ],
      max_completion_tokens: 40,
    })
    expect(out.choices[0].message.content).toBe('toy says hi')
    expect(out.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 })
    const got = mock.received.at(-1)!
    expect(got.path).toBe('/toy/generate')
    expect(got.headers.get('x-toy-key')).toBe('toy-key')
    expect(got.body).toEqual({ model: 'toy-small', prompt: 'hi there', system: 'sys', max_words: 40, stream: false })
  })

  test('a toy stream reaches a Chat client as chunks', async () => {
    reply = () => ({ kind: 'sse', frames: [{ data: { text: 'one ' } }, { data: { text: 'two' } }, { data: { done: true, usage: { in: 4, out: 2 } } }] })
    const stream = await client().chat.completions.create({ model: 'toy-small', messages: [{ role: 'user', content: 'count' }], stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? ''
    expect(text).toBe('one two')
  })
})

describe('toy dialect in config', () => {
  test('accepted while registered, refused with the known names once gone', () => {
    expect(resolveConfig({ providers: { t: { dialect: TOY } } }, {}).providers[0].base_url).toBe('https://toy.invalid')
    const again = registerDialect({ ...toyDialect, name: 'toy-2' })
    again()
    try {
      resolveConfig({ providers: { t: { dialect: 'toy-2' } } }, {})
      throw new Error('expected a ConfigError')
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).problems[0]).toStartWith('providers.t.dialect: expected one of openai-chat | openai-responses | anthropic | gemini')
    }
  })
})
