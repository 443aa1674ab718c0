// Mock LLM upstream for the benchmark: OpenAI Chat (`POST /v1/chat/completions`) and Anthropic
// (`POST /v1/messages`), JSON or SSE. The model name carries the shape (`gpt-bench-c2000-d5`:
// 2,000 content deltas, 5 ms between frames; headers `x-mock-chunks` / `x-mock-delay-ms` win).
// `GET /stats` reports the peak number of streams open at once (shows a proxy's upstream
// concurrency cap). Run: `bun bench/mock-upstream.ts --port N`.
import { anthropicJson, anthropicStream, openaiJson, openaiStream, shapeOf, type MockBody } from './mock-wire'

interface MockRequest {
  model?: string
  stream?: boolean
  stream_options?: { include_usage?: boolean }
}

const cache = new Map<string, MockBody>()
let open = 0
let peakOpen = 0
let served = 0

function bodyFor(path: string, req: MockRequest, chunks: number): MockBody | undefined {
  const model = req.model ?? 'unknown'
  const usage = req.stream_options?.include_usage === true
  const key = `${path}|${model}|${req.stream === true}|${usage}|${chunks}`
  let body = cache.get(key)
  if (body) return body
  if (path === '/v1/chat/completions') body = req.stream ? openaiStream(model, chunks, usage) : openaiJson(model, chunks)
  else if (path === '/v1/messages') body = req.stream ? anthropicStream(model, chunks) : anthropicJson(model, chunks)
  else return undefined
  if (cache.size > 1000) cache.clear() // bounded: shapes are few in a run
  cache.set(key, body)
  return body
}

function paced(frames: Uint8Array<ArrayBuffer>[], delayMs: number, signal: AbortSignal): ReadableStream<Uint8Array> {
  let i = 0
  let done = false
  const finish = () => {
    if (!done) (done = true), open--
  }
  open++
  if (open > peakOpen) peakOpen = open
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (i > 0) await Bun.sleep(delayMs)
      if (signal.aborted || i >= frames.length) {
        finish()
        c.close()
        return
      }
      c.enqueue(frames[i++])
    },
    cancel: finish,
  })
}

export function startMock(port: number) {
  return Bun.serve({
    hostname: '127.0.0.1',
    port,
    idleTimeout: 0,
    async fetch(req) {
      const path = req.url.slice(req.url.indexOf('/', 8)).split('?', 1)[0]
      if (req.method === 'GET') {
        if (path === '/healthz') return new Response('ok')
        if (path === '/stats') {
          const stats = { served, open, peakOpen }
          if (req.url.endsWith('?reset=1')) peakOpen = open
          return Response.json(stats)
        }
        return new Response('not found', { status: 404 })
      }
      let parsed: MockRequest
      try {
        parsed = (await req.json()) as MockRequest
      } catch {
        return Response.json({ error: { message: 'invalid JSON body', type: 'invalid_request_error' } }, { status: 400 })
      }
      const shape = shapeOf(parsed.model ?? '', req.headers)
      const body = bodyFor(path, parsed, shape.chunks)
      if (!body) return Response.json({ error: { message: `no route ${path}`, type: 'not_found_error' } }, { status: 404 })
      served++
      if (body.kind === 'json') return new Response(body.body, { headers: { 'content-type': 'application/json' } })
      const headers = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' }
      if (shape.delayMs === 0) return new Response(body.whole, { headers })
      return new Response(paced(body.frames, shape.delayMs, req.signal), { headers })
    },
  })
}

if (import.meta.main) {
  const i = process.argv.indexOf('--port')
  const port = i > 0 ? Number(process.argv[i + 1]) : 19001
  const server = startMock(port)
  process.stdout.write(`mock upstream on http://127.0.0.1:${server.port}\n`)
}
