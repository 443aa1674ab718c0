// 1,000 concurrent streams through translation (Anthropic client → OpenAI-chat upstream), each 20
// paced chunks with multi-byte text split at odd byte offsets: every stream completes, and the
// text each client assembled is exactly what the mock sent for it, in order. The proxy runs as
// its own process so its time and memory are its own.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { viewOf } from './client-view'
import { rawRequest } from './raw-http'
import { spawnProxy, type ProxyProcess } from './spawn-proxy'

const STREAMS = Number(process.env.LOAD_STREAMS ?? 1000)
const CHUNKS = 20

/** the text stream i is made of: unique per stream, with 2- and 3-byte characters */
const pieceOf = (i: number, k: number) => `ü${i}·${k}€ `
const textOf = (i: number) => Array.from({ length: CHUNKS }, (_, k) => pieceOf(i, k)).join('')

let mock: Mock
let proxy: ProxyProcess

beforeAll(async () => {
  mock = startMock((r) => {
    const i = Number(/load (\d+)/.exec(JSON.stringify(r.body?.messages))?.[1] ?? -1)
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
      data: { id: `chatcmpl-${i}`, object: 'chat.completion.chunk', created: 1, model: 'gpt-load', choices: [{ index: 0, delta, finish_reason: finish }] },
    })
    const frames = [
      chunk({ role: 'assistant', content: '' }),
      ...Array.from({ length: CHUNKS }, (_, k) => chunk({ content: pieceOf(i, k) })),
      chunk({}, 'stop'),
      { data: { id: `chatcmpl-${i}`, object: 'chat.completion.chunk', created: 1, model: 'gpt-load', choices: [], usage: { prompt_tokens: 5, completion_tokens: CHUNKS, total_tokens: 5 + CHUNKS } } },
      'data: [DONE]\n\n',
    ]
    // odd streams arrive in 7-byte pieces: characters and lines split across reads
    return { kind: 'sse', frames, delayMs: 5 + (i % 10), chunkBytes: i % 2 ? 7 : undefined }
  })
  proxy = await spawnProxy({
    providers: { oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k' } },
    models: { '*': 'oc/*' },
  })
})
afterAll(async () => {
  await proxy?.stop()
  mock?.stop()
})

async function stream(i: number): Promise<string | undefined> {
  try {
    const res = await rawRequest({
      port: proxy.port,
      path: '/v1/messages',
      headers: { 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gpt-load', max_tokens: 100, stream: true, messages: [{ role: 'user', content: `load ${i}` }] }),
      timeoutMs: 30_000,
    })
    const v = viewOf('messages', res.status, res.headers.get('content-type') ?? '', res.body)
    if (v.status !== 200) return `stream ${i}: status ${v.status} ${res.body.slice(0, 200)}`
    if (v.problems.length || v.errors.length) return `stream ${i}: ${[...v.problems, ...v.errors].join('; ')}`
    if (!v.complete) return `stream ${i}: no message_stop`
    if (v.text !== textOf(i)) return `stream ${i}: text differs: ${JSON.stringify(v.text.slice(0, 80))}`
    return undefined
  } catch (err) {
    return `stream ${i}: ${String(err)}`
  }
}

test(`${STREAMS} concurrent translated streams: every byte in order, no error`, async () => {
  // warm-up: JIT and first-use costs are not what this measures
  for (const bad of await Promise.all(Array.from({ length: 50 }, (_, i) => stream(100_000 + i)))) expect(bad).toBeUndefined()
  await Bun.sleep(200)
  const before = proxy.rssMb().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, proxy.rssMb().rss)), 50)
  const t0 = performance.now()
  const results = await Promise.all(Array.from({ length: STREAMS }, (_, i) => stream(i)))
  const elapsed = performance.now() - t0
  clearInterval(sampler)
  const after = proxy.rssMb().rss
  const failures = results.filter((r): r is string => r !== undefined)
  console.log(
    `load: ${STREAMS} streams × ${CHUNKS} chunks in ${(elapsed / 1000).toFixed(2)} s; ${STREAMS - failures.length} ok; ` +
      `proxy RSS before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB`,
  )
  expect(failures.slice(0, 10)).toEqual([])
  // each stream alone takes ~23 frames × 5–14 ms; all at once must not serialize behind each other
  expect(elapsed).toBeLessThan(15_000)
}, 45_000)
