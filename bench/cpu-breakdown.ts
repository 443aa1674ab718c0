// Per-request CPU of llm-proxy against a bare proxy, in-process, for the three lanes of issue 17:
// the same gateway the server runs (createGateway) on an injected upstream fetch, against a
// "bare" handler doing what bench/bare-proxy.ts does (Request → fetch → new Response(body)) on
// the same fetch. No sockets: the figure is what the proxy's own JavaScript costs per request.
// Process CPU (user + system, all threads) over interleaved rounds; medians and ranges.
//
//   bun bench/cpu-breakdown.ts                 # all lanes, 9 rounds of 2,000 requests
//   bun bench/cpu-breakdown.ts --lane stream --rounds 5 --n 1000
//   bun --cpu-prof-md bench/cpu-breakdown.ts --lane anthropic --only proxy --rounds 20
//
// The stage table in bench/results/*-cpu-breakdown.md comes from the profile of this harness
// (--only proxy), frames grouped by the pipeline stage they belong to.
import { resolveConfig } from '../src/config/resolve'
import { createGateway, type Gateway } from '../src/gateway'

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const ROUNDS = Number(arg('--rounds', '9'))
const N = Number(arg('--n', '2000'))
const LANE = arg('--lane', 'all')
const ONLY = arg('--only', 'both')

const enc = new TextEncoder()
const frame = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench0000000000000000', object: 'chat.completion.chunk', created: 1764700000, model: 'gpt-bench', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
// 20 content chunks between the role chunk and the finish/usage/[DONE] frames, one frame per read
const FRAMES: Uint8Array[] = [
  frame({ role: 'assistant', content: '' }),
  ...Array.from({ length: 20 }, (_, i) => frame({ content: ` word${i}` })),
  frame({}, 'stop'),
  `data: ${JSON.stringify({ id: 'chatcmpl-bench0000000000000000', object: 'chat.completion.chunk', created: 1764700000, model: 'gpt-bench', choices: [], usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 } })}\n\n`,
  'data: [DONE]\n\n',
].map((s) => enc.encode(s))
const JSON_BODY = JSON.stringify({
  id: 'chatcmpl-bench0000000000000000',
  object: 'chat.completion',
  created: 1764700000,
  model: 'gpt-bench',
  choices: [{ index: 0, message: { role: 'assistant', content: Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ') }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 20, total_tokens: 32 },
})
const JSON_BYTES = enc.encode(JSON_BODY)

/** the upstream: a streamed answer arrives one frame per read, like a paced SSE socket */
function framesStream(): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < FRAMES.length) c.enqueue(FRAMES[i++])
      else c.close()
    },
  })
}
async function upstream(_input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const body = JSON.parse(typeof init?.body === 'string' ? init.body : new TextDecoder().decode(init?.body as ArrayBuffer))
  if (body.stream) return new Response(framesStream(), { headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
  // a real upstream sends a JSON answer with its length (the mock does)
  return new Response(JSON_BYTES, { headers: { 'content-type': 'application/json', 'content-length': String(JSON_BYTES.byteLength) } })
}

const messages = [{ role: 'user', content: 'Say twenty words about the sea, one per line, and nothing else.' }]
const LANES = {
  whole: { path: '/v1/chat/completions', headers: {}, body: JSON.stringify({ model: 'gpt-bench', messages }) },
  // as bench/requests.ts sends it: the client asks for the usage chunk itself
  stream: { path: '/v1/chat/completions', headers: {}, body: JSON.stringify({ model: 'gpt-bench', stream: true, stream_options: { include_usage: true }, messages }) },
  anthropic: { path: '/v1/messages', headers: { 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'gpt-bench', max_tokens: 100, stream: true, messages }) },
} as const
type Lane = keyof typeof LANES

const request = (lane: Lane) =>
  new Request(`http://127.0.0.1:8080${LANES[lane].path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...LANES[lane].headers },
    body: LANES[lane].body,
  })

/** bench/bare-proxy.ts's handler on the same injected fetch */
async function bare(req: Request): Promise<Response> {
  const path = req.url.slice(req.url.indexOf('/', 8))
  const headers = new Headers(req.headers)
  headers.delete('host')
  const res = await upstream('http://upstream.test' + path, { method: req.method, headers, body: await req.arrayBuffer(), signal: req.signal })
  return new Response(res.body, { status: res.status, headers: res.headers })
}

type Handler = (r: Request) => Promise<Response>

async function round(h: Handler, lane: Lane, n: number): Promise<number> {
  const c0 = process.cpuUsage()
  for (let i = 0; i < n; i++) {
    const res = await h(request(lane))
    // read as a client does: chunk by chunk
    const reader = res.body!.getReader()
    while (!(await reader.read()).done) {}
  }
  const c = process.cpuUsage(c0)
  return (c.user + c.system) / n
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]
const fmt = (xs: number[]) => `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`

export async function plainGateway(): Promise<Gateway> {
  const raw = {
    usage: { store: 'none' },
    logging: { level: 'error', requests: false },
    providers: { up: { dialect: 'openai-chat', base_url: 'http://upstream.test/v1', api_key: 'sk-up' } },
    models: { '*': 'up/gpt-bench' },
  }
  return createGateway(resolveConfig(raw, {}, {}), { fetch: upstream as typeof fetch })
}

if (import.meta.main) {
  const g = await plainGateway()
  const proxy: Handler = (r) => g.fetch(r)
  const lanes = (LANE === 'all' ? Object.keys(LANES) : [LANE]) as Lane[]
  console.log(`load average ${(await Bun.file('/proc/loadavg').text()).split(' ').slice(0, 3).join(' ')}; ${ROUNDS} rounds × ${N} requests; µs CPU per request, median (range)`)
  console.log('| lane | llm-proxy | bare | ratio |\n| --- | --- | --- | --- |')
  for (const lane of lanes) {
    // warm-up: JSC's optimizing tiers
    if (ONLY !== 'bare') await round(proxy, lane, N)
    if (ONLY !== 'proxy') await round(bare, lane, N)
    const p: number[] = [], b: number[] = []
    for (let r = 0; r < ROUNDS; r++) {
      if (ONLY !== 'bare') p.push(await round(proxy, lane, N))
      if (ONLY !== 'proxy') b.push(await round(bare, lane, N))
    }
    const ratio = p.length && b.length ? (median(p) / median(b)).toFixed(2) + '×' : '-'
    console.log(`| ${lane} | ${p.length ? fmt(p) : '-'} | ${b.length ? fmt(b) : '-'} | ${ratio} |`)
  }
  await g.close()
  process.exit(0)
}
