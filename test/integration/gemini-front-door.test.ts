// The Gemini front door end to end: @google/genai and raw HTTP against the proxy, with Gemini
// (pass-through, recorded chunks) and Anthropic upstreams behind it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GoogleGenAI } from '@google/genai'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic as anthropicWire, gemini as geminiWire } from '../helpers/wire'

const FIX = join(import.meta.dir, '../fixtures/gemini')
const recorded = (name: string) =>
  readFileSync(join(FIX, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())

let mock: Mock
let proxy: TestProxy
let reply: (r: Received) => Reply = () => ({ kind: 'json', status: 500, body: {} })

beforeAll(async () => {
  mock = startMock((r) => reply(r))
  proxy = await startProxy({
    providers: {
      gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem-upstream', max_retries: 0 },
      ant: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
      local: { dialect: 'echo' },
    },
    models: { 'gemini-*': 'gem/*', 'claude-*': 'ant/*', 'echo-*': 'local/echo' },
    auth: { keys: [{ key: 'client-key' }] },
  })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const ai = (key = 'client-key') => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: proxy.url, retryOptions: { attempts: 1 } } as any })

test('Gemini on Gemini is pass-through: recorded chunks reach the SDK byte for byte, thought signature included', async () => {
  const lines = recorded('text-thought-signature.chunks.txt')
  reply = () => ({ kind: 'sse', frames: lines.map((l) => `data: ${l}\r\n\r\n`) })
  const chunks: any[] = []
  for await (const c of await ai().models.generateContentStream({ model: 'gemini-3-pro-preview', contents: 'How many r in strawberry?' })) chunks.push(c)
  const r = mock.received.at(-1)!
  expect(r.path).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent')
  expect(r.query.getAll('alt')).toEqual(['sse'])
  expect(r.headers.get('x-goog-api-key')).toBe('sk-gem-upstream')
  expect(r.body.model).toBeUndefined()
  expect(r.body.stream).toBeUndefined()
  const sigs = chunks.flatMap((c) => c.candidates[0].content.parts).filter((p: any) => p.thoughtSignature)
  expect(sigs[0].thoughtSignature).toBe(JSON.parse(lines.at(-1)!).candidates[0].content.parts[0].thoughtSignature)
})

test('without alt=sse, streamGenerateContent answers one streamed JSON array (translated route)', async () => {
  reply = (r) => anthropicWire(r, { text: 'Hello array' })
  const res = await fetch(`${proxy.url}/v1beta/models/claude-x:streamGenerateContent?key=client-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('application/json')
  const arr = JSON.parse(await res.text())
  expect(Array.isArray(arr)).toBe(true)
  expect(arr.map((c: any) => c.candidates[0].content.parts.map((p: any) => p.text).join('')).join('')).toBe('Hello array')
  expect(arr.at(-1).candidates[0].finishReason).toBe('STOP')
})

test('without alt=sse on a pass-through route the SSE upstream is re-framed as an array', async () => {
  reply = (r) => geminiWire(r, { text: 'abc def' })
  const res = await fetch(`${proxy.url}/v1/models/gemini-2.5-flash:streamGenerateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': 'client-key' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  })
  const arr = JSON.parse(await res.text())
  expect(arr.length).toBeGreaterThan(1)
  expect(mock.received.at(-1)!.query.get('alt')).toBe('sse')
})

test('a tool call from a Claude upstream keeps its id out and back; Gemini CLI\'s placeholder signature is accepted', async () => {
  reply = (r) => anthropicWire(r, { tools: [{ id: 'toolu_01', name: 'get_weather', args: { city: 'Paris' } }] })
  const tools = [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }]
  const res = await ai().models.generateContent({ model: 'claude-x', contents: 'Weather?', config: { tools } })
  const call = res.functionCalls![0]
  expect(call).toEqual({ id: 'toolu_01', name: 'get_weather', args: { city: 'Paris' } })
  reply = (r) => anthropicWire(r, { text: 'Sunny.' })
  const next = await ai().models.generateContent({
    model: 'claude-x',
    config: { tools },
    contents: [
      { role: 'user', parts: [{ text: 'Weather?' }] },
      { role: 'model', parts: [{ functionCall: call, thoughtSignature: 'skip_thought_signature_validator' }] },
      { role: 'user', parts: [{ functionResponse: { id: call.id, name: 'get_weather', response: { output: 'sunny' } } }] },
    ],
  })
  expect(next.text).toBe('Sunny.')
  const sent = mock.received.at(-1)!.body
  expect(sent.messages[1].content).toEqual([{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }])
  expect(sent.messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_01' })
  expect(JSON.stringify(sent)).not.toContain('skip_thought_signature_validator')
})

test('countTokens, models list and get, in Gemini shapes', async () => {
  const n = await ai().models.countTokens({ model: 'claude-x', contents: 'Hello there, how are you?' })
  expect(n.totalTokens).toBeGreaterThan(5)
  const list = await fetch(`${proxy.url}/v1beta/models`, { headers: { 'x-goog-api-key': 'client-key' } }).then((r) => r.json())
  expect(list.models.map((m: any) => m.name)).toContain('models/gemini-*')
  const shared = await fetch(`${proxy.url}/v1/models?key=client-key`).then((r) => r.json())
  expect(shared.models).toBeDefined()
  const one = await ai().models.get({ model: 'claude-*' })
  expect(one.name).toBe('models/claude-*')
}, 30_000) // the first local count loads the tokenizer (~0.7 s, several on a busy machine)

test('errors come in Gemini\'s shape: bad key, unknown model, bad body, unknown method', async () => {
  const bad = await ai('wrong').models.generateContent({ model: 'gemini-x', contents: 'hi' }).catch((e) => e)
  expect(bad.status).toBe(401)
  const res = await fetch(`${proxy.url}/v1beta/models/nope:generateContent`, {
    method: 'POST',
    headers: { 'x-goog-api-key': 'client-key' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
  })
  const body = await res.json()
  expect(body.error.code).toBe(res.status)
  expect(typeof body.error.status).toBe('string')
  const noContents = await fetch(`${proxy.url}/v1beta/models/claude-x:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': 'client-key' }, body: '{}' })
  expect(noContents.status).toBe(400)
  expect((await noContents.json()).error.status).toBe('INVALID_ARGUMENT')
  const unknown = await fetch(`${proxy.url}/v1beta/models/claude-x:embedContent`, { method: 'POST', headers: { 'x-goog-api-key': 'client-key' }, body: '{}' })
  expect(unknown.status).toBe(404)
  expect((await unknown.json()).error.status).toBe('NOT_FOUND')
})

test('countTokens on a Gemini route is forwarded (its own model inside generateContentRequest); elsewhere counted locally', async () => {
  reply = () => ({ kind: 'json', body: { totalTokens: 42, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 42 }] } })
  const n = await ai().models.countTokens({ model: 'gemini-2.5-flash', contents: 'Hello' })
  expect(n.totalTokens).toBe(42)
  const r = mock.received.at(-1)!
  expect(r.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens')
  expect(r.headers.get('x-goog-api-key')).toBe('sk-gem-upstream')
  reply = () => ({ kind: 'json', status: 500, body: { error: { code: 500, message: 'x', status: 'INTERNAL' } } })
  const local = await ai().models.countTokens({ model: 'gemini-2.5-flash', contents: 'Hello' })
  expect(local.totalTokens).toBeGreaterThan(0)
})

test('the echo provider answers a Gemini client too, as SSE and as a JSON array', async () => {
  let text = ''
  for await (const c of await ai().models.generateContentStream({ model: 'echo-1', contents: 'ping pong' })) text += c.text ?? ''
  expect(text).toContain('ping pong')
  const res = await fetch(`${proxy.url}/v1beta/models/echo-1:streamGenerateContent?key=client-key`, {
    method: 'POST',
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'ping pong' }] }] }),
  })
  const arr = JSON.parse(await res.text())
  expect(arr.map((c: any) => c.candidates[0].content.parts.map((p: any) => p.text ?? '').join('')).join('')).toContain('ping pong')
})

test('a chat session keeps a translated streamed turn in its history', async () => {
  reply = (r) => anthropicWire(r, { text: 'First answer.' })
  const chat = ai().chats.create({ model: 'claude-x' })
  for await (const _ of await chat.sendMessageStream({ message: 'one' })) void _
  reply = (r) => anthropicWire(r, { text: 'Second answer.' })
  for await (const _ of await chat.sendMessageStream({ message: 'two' })) void _
  const sent = mock.received.at(-1)!.body
  expect(sent.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user'])
  expect(sent.messages[1].content).toEqual([{ type: 'text', text: 'First answer.' }])
})

test('a Gemini client on an alias with transforms to a Gemini target is translated, so the transforms apply', async () => {
  proxy.reload({
    providers: { gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem-upstream', max_retries: 0 } },
    models: { briefly: { targets: ['gem/gemini-2.5-flash'], system: { prepend: 'Answer briefly.' }, params: { temperature: 0.1 } }, 'gemini-*': 'gem/*' },
    auth: { keys: [{ key: 'client-key' }] },
  })
  try {
    reply = (r) => geminiWire(r, { text: 'Short.' })
    const res = await ai().models.generateContent({ model: 'briefly', contents: 'Tell me everything.', config: { systemInstruction: 'Be kind.' } })
    expect(res.text).toBe('Short.')
    const sent = mock.received.at(-1)!
    expect(sent.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent')
    expect(JSON.stringify(sent.body.systemInstruction)).toContain('Answer briefly.')
    expect(sent.body.generationConfig.temperature).toBe(0.1)
  } finally {
    proxy.reload({
      providers: {
        gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem-upstream', max_retries: 0 },
        ant: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
        local: { dialect: 'echo' },
      },
      models: { 'gemini-*': 'gem/*', 'claude-*': 'ant/*', 'echo-*': 'local/echo' },
      auth: { keys: [{ key: 'client-key' }] },
    })
  }
})

test('a translated Gemini-to-Gemini stream (an alias with transforms) returns the call\'s thought signature verbatim', async () => {
  proxy.reload({
    providers: { gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem-upstream', max_retries: 0 } },
    models: { tuned: { targets: ['gem/gemini-3-pro'], params: { temperature: 0.2 } } },
    auth: { keys: [{ key: 'client-key' }] },
  })
  try {
    reply = (r) => geminiWire(r, { tools: [{ id: '', name: 'get_weather', args: { city: 'Paris' }, signature: 'CiQBSIGNATURE==' }] })
    for (const stream of [true, false]) {
      const chunks: any[] = []
      if (stream) for await (const c of await ai().models.generateContentStream({ model: 'tuned', contents: 'Weather?' })) chunks.push(c)
      else chunks.push(await ai().models.generateContent({ model: 'tuned', contents: 'Weather?' }))
      const call = chunks.flatMap((c) => c.candidates[0].content.parts).find((p: any) => p.functionCall)
      expect(call.thoughtSignature).toBe('CiQBSIGNATURE==')
      expect(mock.received.at(-1)!.body.generationConfig.temperature).toBe(0.2)
    }
  } finally {
    proxy.reload({
      providers: {
        gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-gem-upstream', max_retries: 0 },
        ant: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-ant', max_retries: 0 },
        local: { dialect: 'echo' },
      },
      models: { 'gemini-*': 'gem/*', 'claude-*': 'ant/*', 'echo-*': 'local/echo' },
      auth: { keys: [{ key: 'client-key' }] },
    })
  }
})

test('a routing rule may name the Gemini front door (config accepts front: gemini)', async () => {
  const { resolveConfig } = await import('../../src/config/load')
  const cfg = resolveConfig(
    {
      providers: { gem: { dialect: 'gemini', api_key: 'k' }, ant: { dialect: 'anthropic', api_key: 'k' } },
      models: { smart: { targets: ['ant/claude-x'], rules: [{ name: 'gemini-clients', when: { front: 'gemini' }, target: 'gem/gemini-2.5-flash' }] } },
    },
    {},
  )
  expect(cfg.models[0].rules?.[0].when).toEqual({ front: 'gemini' })
})
