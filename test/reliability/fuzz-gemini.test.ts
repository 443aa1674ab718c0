// The Gemini front door under hostile input: mutated, truncated, deep and non-JSON bodies, odd
// model names and methods in the URL, to echo and to an upstream of every dialect (Gemini is
// pass-through, the rest translate). Never a 500, never a hang, every 4xx in Google's error shape.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'
import { warmTokenizer } from '../../src/tokens/count-tokens'
import { deepText, mutate, pick, rawCase, rng, type Json, type Rand } from './gen-bodies'

const CASES = Number(process.env.FUZZ_GEMINI_CASES ?? 800)
const SEED = Number(process.env.FUZZ_SEED ?? 20251203)
const MODELS = ['echo', 'to-chat', 'to-anth', 'to-resp', 'to-gem'] as const
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
const SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }

let mock: Mock
let proxy: TestProxy
let reached = 0

beforeAll(async () => {
  // :countTokens counts locally: the tokenizer's one-time load is not what this test measures
  warmTokenizer()
  mock = startMock((r) => {
    if (r.path.endsWith(':countTokens')) return { kind: 'json', body: { totalTokens: 7 } }
    const wire = r.path.includes('/v1beta/') ? WIRE_WITH_GEMINI.gemini : r.path.endsWith('/messages') ? WIRE_WITH_GEMINI.anthropic : r.path.endsWith('/responses') ? WIRE_WITH_GEMINI['openai-responses'] : WIRE_WITH_GEMINI['openai-chat']
    return wire(r, { text: 'fine, thanks', usage: { input: 5, output: 3 } })
  })
  proxy = await startProxy({
    server: { max_body_size: '4MiB' },
    logging: { level: 'error' },
    providers: {
      demo: { dialect: 'echo' },
      oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k', max_retries: 0 },
      an: { dialect: 'anthropic', base_url: mock.url, api_key: 'k', max_retries: 0 },
      rs: { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'k', max_retries: 0 },
      gm: { dialect: 'gemini', base_url: mock.url, api_key: 'k', max_retries: 0 },
    },
    models: { 'to-chat': 'oc/gpt-x', 'to-anth': 'an/claude-x', 'to-resp': 'rs/gpt-x', 'to-gem': 'gm/gemini-x', '*': 'demo/echo' },
  })
}, 30_000)
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

function validBody(): { [k: string]: Json } {
  return {
    systemInstruction: { parts: [{ text: 'be brief' }] },
    contents: [
      { role: 'user', parts: [{ text: 'weather?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] },
      { role: 'model', parts: [{ text: 'hmm', thought: true }, { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'skip_thought_signature_validator' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { output: 'rain' } } }, { text: 'thanks' }] },
    ],
    tools: [{ functionDeclarations: [{ name: 'weather', description: 'get weather', parametersJsonSchema: SCHEMA }, { name: 'old', parameters: { type: 'OBJECT', properties: { q: { type: 'STRING' } } } }] }],
    toolConfig: { functionCallingConfig: { mode: 'AUTO' } },
    generationConfig: { temperature: 0.5, topP: 0.9, maxOutputTokens: 64, stopSequences: ['END'], responseMimeType: 'application/json', responseJsonSchema: SCHEMA, thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    safetySettings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' }],
  }
}

const METHODS = ['generateContent', 'streamGenerateContent?alt=sse', 'streamGenerateContent', 'countTokens']

interface Case {
  label: string
  path: string
  body: string | Uint8Array<ArrayBuffer>
  contentType?: string
}

function makeCase(r: Rand): Case {
  const model = pick(r, MODELS)
  const method = pick(r, METHODS)
  const version = pick(r, ['/v1beta', '/v1'])
  const path = `${version}/models/${model}:${method}`
  const x = r()
  if (x < 0.55) return { label: 'mutated', path, body: JSON.stringify(mutate(r, validBody())), contentType: 'application/json' }
  if (x < 0.65) return { label: 'valid', path, body: JSON.stringify(validBody()), contentType: 'application/json' }
  if (x < 0.7) return { label: 'deep', path, body: JSON.stringify({ contents: '__D__' }).replace('"__D__"', deepText(10_000, 'array')), contentType: 'application/json' }
  if (x < 0.8) {
    const odd = pick(r, [`${'m'.repeat(400)}:generateContent`, 'm%ZZ:generateContent', 'm%00:generateContent', 'm:embedContent', ':generateContent', 'm:', '%2e%2e%2f%2e%2e%2fx:generateContent', 'a/b/c:countTokens', 'models%2Fto-gem:generateContent'])
    return { label: 'odd path', path: `/v1beta/models/${odd}`, body: JSON.stringify(validBody()), contentType: 'application/json' }
  }
  const raw = rawCase(r, JSON.stringify(validBody()))
  return { label: raw.label, path, body: raw.body, contentType: raw.contentType || undefined }
}

async function run(c: Case): Promise<string | undefined> {
  const headers: Record<string, string> = { 'x-goog-api-key': 'any' }
  if (c.contentType !== undefined) headers['content-type'] = c.contentType
  const body = typeof c.body === 'string' && c.contentType === undefined ? new TextEncoder().encode(c.body) : c.body
  let res: Response
  let text: string
  try {
    res = await fetch(`${proxy.url}${c.path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
    text = await res.text()
  } catch (err) {
    return `no answer (${String(err)})`
  }
  if (res.status === 200) {
    if (/^data: \{"error"|^\[?\{"error"|\r\n,\{"error"/m.test(text)) return `200 with an error inside: ${text.slice(0, 200)}`
    if (c.path.includes(':streamGenerateContent') && !c.path.includes('alt=sse')) {
      try {
        if (!Array.isArray(JSON.parse(text))) return 'JSON-array stream is not an array'
      } catch {
        return `JSON-array stream does not parse: ${text.slice(0, 200)}`
      }
    }
    return undefined
  }
  if (c.label === 'valid') return `valid request refused: ${res.status} ${text.slice(0, 200)}`
  if (res.status >= 400 && res.status < 500) {
    try {
      const j = JSON.parse(text)
      if (j?.error?.code !== res.status || typeof j.error.status !== 'string' || !j.error.message) return `${res.status}: not Google's error shape: ${text.slice(0, 160)}`
      return undefined
    } catch {
      return `${res.status}: error body is not JSON: ${text.slice(0, 120)}`
    }
  }
  return `status ${res.status}: ${text.slice(0, 200)}`
}

test(`${CASES} hostile requests to the Gemini front door: never a 500 or a hang, errors in Google's shape`, async () => {
  const failures: string[] = []
  let next = 0
  const worker = async () => {
    while (next < CASES) {
      const i = next++
      const c = makeCase(rng(SEED + i))
      const t0 = performance.now()
      const bad = await run(c)
      reached += mock.received.length
      mock.received.length = 0
      if (bad) failures.push(`case ${SEED + i} [${c.label} ${c.path.slice(0, 80)}]: ${bad}`)
      else if (performance.now() - t0 > 3000) failures.push(`case ${SEED + i} [${c.label}]: slow`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  expect(failures.slice(0, 20)).toEqual([])
  expect(reached).toBeGreaterThan(CASES / 20)
}, 55_000)
