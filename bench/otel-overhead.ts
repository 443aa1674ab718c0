// CPU per request with tracing on (ratio 1.0, spans built and exported to a local collector)
// against tracing off: the same in-process gateway, the same streamed Anthropic → Chat request
// on an injected upstream fetch, alternating rounds. `bun bench/otel-overhead.ts` (~20 s).
import { resolveConfig } from '../src/config/resolve'
import { createGateway, type Gateway } from '../src/gateway'

const collector = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: async (r) => (await r.arrayBuffer(), new Response('{}')) })
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
const body =
  chunk({ role: 'assistant', content: '' }) +
  Array.from({ length: 20 }, (_, i) => chunk({ content: ` tok${i}` })).join('') +
  chunk({}, 'stop') +
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } })}\n\ndata: [DONE]\n\n`
const upstream = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } })

const dead = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
const deadPort = dead.port
dead.stop(true)

const raw = (otel: boolean, endpoint = `http://127.0.0.1:${collector.port}`) => ({
  usage: { store: 'none' },
  logging: { level: 'error', requests: false },
  providers: { up: { dialect: 'openai-chat', base_url: 'http://upstream.test/v1', api_key: 'k' } },
  models: { '*': 'up/gpt-5' },
  ...(otel ? { otel: { endpoint, sampling_ratio: 1 } } : {}),
})
const request = () =>
  new Request('http://proxy.test/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })

async function round(g: Gateway, n: number): Promise<number> {
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) await (await g.fetch(request())).arrayBuffer()
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / n
}

/** wall-clock µs per request, one at a time */
async function latency(g: Gateway, n: number): Promise<number> {
  const t0 = performance.now()
  for (let i = 0; i < n; i++) await (await g.fetch(request())).arrayBuffer()
  return ((performance.now() - t0) * 1000) / n
}

const off = await createGateway(resolveConfig(raw(false), {}, {}), { fetch: upstream })
const on = await createGateway(resolveConfig(raw(true), {}, {}), { fetch: upstream })
// the collector is down: its exporter gets the real fetch (connection refused), requests do not
const down = await createGateway(resolveConfig(raw(true, `http://127.0.0.1:${deadPort}`), {}, {}), {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => (String(input).includes(`:${deadPort}/`) ? fetch(input, init) : upstream()),
} as never)
await round(off, 2000)
await round(on, 2000)
const offs: number[] = [], ons: number[] = []
for (let r = 0; r < 7; r++) {
  offs.push(await round(off, 2000))
  ons.push(await round(on, 2000))
}
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]
console.log(`tracing off: ${median(offs).toFixed(1)} µs CPU per request (range ${Math.min(...offs).toFixed(1)}–${Math.max(...offs).toFixed(1)})`)
console.log(`tracing on:  ${median(ons).toFixed(1)} µs CPU per request (range ${Math.min(...ons).toFixed(1)}–${Math.max(...ons).toFixed(1)})`)
console.log(`added: ${(median(ons) - median(offs)).toFixed(1)} µs per request (target ≤ 10)`)
const lOff: number[] = [], lDown: number[] = []
for (let r = 0; r < 5; r++) {
  lOff.push(await latency(off, 1000))
  lDown.push(await latency(down, 1000))
}
console.log(`latency, collector down: ${median(lDown).toFixed(1)} µs per request vs ${median(lOff).toFixed(1)} µs with tracing off (medians of 5 rounds)`)
await down.close()
await off.close()
await on.close()
collector.stop(true)
process.exit(0)
