// Bad input never crashes the proxy or earns a 500: thousands of generated, mutated and damaged
// bodies to every endpoint, routed to the local echo provider, to a same-dialect upstream
// (pass-through) and to upstreams of the other dialects (so the translated path decodes them).
// Each answer is a 200 or a 4xx in the client's dialect with a message; memory stays flat; a body
// over max_body_size is refused after reading little of it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI } from '../helpers/wire'
import { deepFieldText, mutate, pick, rawCase, rng, validBody, type Front, type Rand } from './gen-bodies'

const PATHS: Record<Front, string> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
  count_tokens: '/v1/messages/count_tokens',
}
const FRONTS: Front[] = ['chat', 'responses', 'messages', 'count_tokens']
/** echo (local), and one upstream per dialect: for each front, one is pass-through, the rest translate */
const MODELS = ['echo', 'to-chat', 'to-anth', 'to-resp', 'to-gem'] as const
const CASES = Number(process.env.FUZZ_CASES ?? 3000)
const SEED = Number(process.env.FUZZ_SEED ?? 20251129)
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 32)
/** no answer to one bad body may take this long, even under the fuzz's own load */
const SLOW_MS = 3000

let mock: Mock
let proxy: TestProxy
let reachedUpstream = 0

beforeAll(async () => {
  mock = startMock((r) => {
    if (r.path.endsWith('/count_tokens')) return { kind: 'json', body: { input_tokens: 7 } }
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
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

interface Case {
  label: string
  front: Front
  model: string
  method?: string
  path?: string
  body?: string | Uint8Array<ArrayBuffer>
  contentType?: string
  headers?: Record<string, string>
}

/** the error message of a 4xx body in the shape the endpoint's dialect uses, or why it is not one */
function errorMessage(front: Front, text: string): string | { bad: string } {
  let j: any
  try {
    j = JSON.parse(text)
  } catch {
    return { bad: `error body is not JSON: ${text.slice(0, 120)}` }
  }
  const anthropicShape = front === 'messages' || front === 'count_tokens'
  if (anthropicShape && j?.type !== 'error') return { bad: `not an Anthropic error: ${text.slice(0, 120)}` }
  const m = j?.error?.message
  if (typeof m !== 'string' || !m.trim()) return { bad: `no error message: ${text.slice(0, 120)}` }
  return m
}

/** undefined when the answer is acceptable, else what was wrong */
async function run(c: Case): Promise<string | undefined> {
  const headers: Record<string, string> = { ...c.headers }
  if (c.contentType !== undefined) headers['content-type'] = c.contentType
  // a string body would get a text/plain content-type from fetch: bytes send none
  const body = typeof c.body === 'string' && c.contentType === undefined ? new TextEncoder().encode(c.body) : c.body
  let res: Response
  let text: string
  try {
    res = await fetch(`${proxy.url}${c.path ?? PATHS[c.front]}`, { method: c.method ?? 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
    text = await res.text()
  } catch (err) {
    return `no answer (${String(err)})`
  }
  if (res.status === 200) {
    // a 200 stream must not carry an error frame: the mock and echo always answer well
    if (/^event: error$|"type":"error"|"type":"response\.failed"/m.test(text)) return `200 with an error inside: ${text.slice(0, 200)}`
    return undefined
  }
  // the unmutated requests are the control group: they must go through, on every route
  if (c.label === 'valid') return `valid request refused: ${res.status} ${text.slice(0, 200)}`
  if (res.status >= 400 && res.status < 500) {
    const m = errorMessage(c.front, text)
    return typeof m === 'string' ? undefined : `${res.status}: ${m.bad}`
  }
  return `status ${res.status}: ${text.slice(0, 200)}`
}

const DEEP_FIELDS: Record<Front, string[]> = {
  chat: ['messages', 'messages.1.content', 'tools.0.function.parameters', 'metadata', 'response_format.json_schema.schema', 'messages.2.tool_calls.0.function.arguments'],
  responses: ['input', 'input.0.content', 'tools.0.parameters', 'text.format.schema', 'input.2.arguments'],
  messages: ['messages', 'messages.0.content', 'tools.0.input_schema', 'messages.1.content.1.input', 'system', 'metadata'],
  count_tokens: ['messages', 'tools.0.input_schema', 'messages.1.content.1.input'],
}

function makeCase(r: Rand): Case {
  const front = pick(r, FRONTS)
  const model = pick(r, MODELS)
  const stream = r() < 0.5
  const x = r()
  if (x < 0.55) {
    const body = mutate(r, validBody(front, model, stream))
    return { label: 'mutated', front, model, body: JSON.stringify(body), contentType: 'application/json' }
  }
  if (x < 0.62) return { label: 'valid', front, model, body: JSON.stringify(validBody(front, model, stream)), contentType: 'application/json' }
  if (x < 0.65) {
    const field = pick(r, DEEP_FIELDS[front])
    return { label: `10k-deep ${field}`, front, model, body: deepFieldText(front, model, stream, field), contentType: 'application/json' }
  }
  if (x < 0.7) {
    const headers: Record<string, string> = r() < 0.5 ? { 'anthropic-version': '2023-06-01' } : {}
    const q = pick(r, ['', '?limit=-1', '?after_id=%ff', '?x=' + 'a'.repeat(2000), '?beta=true'])
    const path = pick(r, ['/v1/models', '/models', '/v1/models/echo', '/v1/models/' + 'z'.repeat(300)])
    return { label: 'models', front: headers['anthropic-version'] ? 'messages' : 'chat', model, method: 'GET', path: path + q, headers }
  }
  if (x < 0.72) return { label: 'POST /v1/models', front: 'chat', model, path: '/v1/models', body: '{}', contentType: 'application/json' }
  const raw = rawCase(r, JSON.stringify(validBody(front, model, stream)))
  return { label: raw.label, front, model, body: raw.body, contentType: raw.contentType || undefined }
}

async function fuzz(n: number, seed: number, concurrency = CONCURRENCY): Promise<{ failures: string[]; kinds: Map<string, number> }> {
  const failures: string[] = []
  const kinds = new Map<string, number>()
  let next = 0
  const worker = async () => {
    while (next < n) {
      const i = next++
      const r = rng(seed + i)
      const c = makeCase(r)
      kinds.set(c.label.split(' ')[0], (kinds.get(c.label.split(' ')[0]) ?? 0) + 1)
      const t0 = performance.now()
      const bad = await run(c)
      const ms = performance.now() - t0
      // the mock keeps every body it got: count them and let them go (they are not the proxy's memory)
      reachedUpstream += mock.received.length
      mock.received.length = 0
      if (bad) failures.push(`case ${seed + i} [${c.label} ${c.path ?? c.front} → ${c.model}]: ${bad}`)
      else if (ms > SLOW_MS) failures.push(`case ${seed + i} [${c.label} ${c.front} → ${c.model}]: took ${ms.toFixed(0)} ms`)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { failures, kinds }
}

const rssMb = () => {
  Bun.gc(true)
  return process.memoryUsage().rss / 2 ** 20
}
const heapMb = () => {
  Bun.gc(true)
  return process.memoryUsage().heapUsed / 2 ** 20
}

test(`${CASES} bad bodies to every endpoint: never a 500, never a hang, memory flat`, async () => {
  // warm up first: JIT, allocator arenas and socket pools are not leaks
  const warm = await fuzz(300, SEED + 10_000_000)
  expect(warm.failures.slice(0, 20)).toEqual([])
  const before = rssMb()
  const heapBefore = heapMb()
  const t0 = performance.now()
  const { failures, kinds } = await fuzz(CASES, SEED)
  const elapsed = performance.now() - t0
  const after = rssMb()
  const heapAfter = heapMb()
  console.log(
    `fuzz: ${CASES} cases in ${(elapsed / 1000).toFixed(1)} s, ${reachedUpstream} reached the upstream mock; RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB, heap ${heapBefore.toFixed(0)} → ${heapAfter.toFixed(0)} MB; ` +
      [...kinds].map(([k, v]) => `${k}:${v}`).join(' '),
  )
  expect(failures.slice(0, 20)).toEqual([])
  // the translated and pass-through paths were really exercised, not only rejected early
  expect(reachedUpstream).toBeGreaterThan(CASES / 20)
  expect(after - before).toBeLessThan(64)
  // live objects after a full GC: a leak of even 5 KB per request would show here
  expect(heapAfter - heapBefore).toBeLessThan(16)
}, 55_000)

test('a chunked body bigger than max_body_size is refused with 413 after reading little of it', async () => {
  const p = await startProxy({ server: { max_body_size: '1MiB' }, providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' } })
  try {
    for (const path of ['/v1/chat/completions', '/v1/messages', '/v1/responses', '/v1/messages/count_tokens']) {
      const total = 100 * 2 ** 20
      const chunk = new Uint8Array(64 * 1024).fill(0x20)
      let produced = 0
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (produced === 0) {
            const head = new TextEncoder().encode('{"model":"echo","messages":[{"role":"user","content":"')
            produced += head.byteLength
            c.enqueue(head)
            return
          }
          if (produced >= total) return c.close()
          produced += chunk.byteLength
          c.enqueue(chunk)
        },
      })
      const t0 = performance.now()
      const res = await fetch(`${p.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) })
      const text = await res.text()
      const ms = performance.now() - t0
      // the mock keeps every body it got: count them and let them go (they are not the proxy's memory)
      reachedUpstream += mock.received.length
      mock.received.length = 0
      console.log(`413 on ${path}: client stream produced ${(produced / 2 ** 20).toFixed(2)} MB of ${total / 2 ** 20} MB in ${ms.toFixed(0)} ms`)
      expect(res.status).toBe(413)
      expect(text).toContain('max_body_size')
      // the proxy stops at the 1 MiB limit; socket buffers let a few more MB through at most
      expect(produced).toBeLessThan(16 * 2 ** 20)
    }
  } finally {
    p.stop()
  }
}, 30_000)

test('a declared content-length over max_body_size is refused before any body byte is read', async () => {
  const p = await startProxy({ server: { max_body_size: '1MiB' }, providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' } })
  try {
    const port = Number(new URL(p.url).port)
    let reply = ''
    const got = Promise.withResolvers<void>()
    const sock = await Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        data(_s, d) {
          reply += new TextDecoder().decode(d)
          if (reply.includes('\r\n\r\n') && reply.includes('}')) got.resolve()
        },
        close: () => got.resolve(),
        error: () => got.resolve(),
      },
    })
    // headers only: the 100 MB body never comes
    sock.write(`POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${100 * 2 ** 20}\r\n\r\n{"model":`)
    await Promise.race([got.promise, Bun.sleep(5000)])
    sock.end()
    expect(reply.split("\r\n")[0]).toStartWith("HTTP/1.1 413")
    expect(reply).toContain('request_too_large')
  } finally {
    p.stop()
  }
}, 15_000)

// Two bugs this suite found outside its own files, now fixed: they stay as regression tests.

// src/tokens/count-tokens.ts: gpt-tokenizer's BPE is quadratic in the length of one run without
// whitespace (20k chars ≈ 0.5 s, 40k ≈ 1.7 s, 80k ≈ 4.3 s here), and it runs on the event loop: one
// count_tokens request (or echo request) with a long base64-ish string stalls every other request.
test('a 40k-character word to count_tokens does not stall the proxy', async () => {
  const p = await startProxy({ providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' } })
  try {
    // load the tokenizer tables first: that one-time cost is not the bug
    await fetch(`${p.url}/v1/messages/count_tokens`, { method: 'POST', body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] }) })
    const t0 = performance.now()
    const res = await fetch(`${p.url}/v1/messages/count_tokens`, {
      method: 'POST',
      body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'y'.repeat(40_000) }] }),
    })
    expect(res.status).toBe(200)
    expect(performance.now() - t0).toBeLessThan(500)
  } finally {
    p.stop()
  }
}, 20_000)

// src/server.ts modelsHandler: decodeURIComponent on a malformed escape throws a URIError → 500
test('GET /v1/models/%E0%A4%A is a 404, not a 500', async () => {
  const p = await startProxy({ providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' } })
  try {
    const res = await fetch(`${p.url}/v1/models/%E0%A4%A`)
    expect(res.status).toBeLessThan(500)
  } finally {
    p.stop()
  }
})
