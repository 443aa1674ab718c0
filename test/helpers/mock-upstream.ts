// A mock upstream on Bun.serve (port 0) that records what it received and answers with a
// scripted reply: JSON, an error, or SSE frames with pauses between them.
import type { Server } from 'bun'

export interface Received {
  method: string
  path: string
  query: URLSearchParams
  headers: Headers
  body: any
  /** set when the client (the proxy) aborted the response stream */
  aborted: boolean
  /** the body exactly as received (signature checks hash it) */
  raw: string
  /** the request URL as received */
  url: string
}

export type Reply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'text'; status?: number; body: string; headers?: Record<string, string> }
  | { kind: 'sse'; frames: Array<string | { event?: string; data: unknown }>; delayMs?: number; firstDelayMs?: number; hangAfter?: boolean; dropAfter?: number; chunkBytes?: number }
  | { kind: 'hang' }
  /** binary messages (AWS event-stream), one network chunk each unless split */
  | { kind: 'binary'; chunks: Uint8Array[]; contentType: string; headers?: Record<string, string>; dropAfter?: number; chunkBytes?: number }

export interface Mock {
  url: string
  port: number
  received: Received[]
  /** resolves when a request's response stream was cancelled by the proxy */
  abortSeen: Promise<void>
  stop(): void
}

const enc = new TextEncoder()

export function frameText(f: string | { event?: string; data: unknown }): string {
  if (typeof f === 'string') return f
  const data = typeof f.data === 'string' ? f.data : JSON.stringify(f.data)
  return `${f.event ? `event: ${f.event}\n` : ''}data: ${data}\n\n`
}

export function startMock(script: (r: Received, n: number) => Reply | Promise<Reply>): Mock {
  const received: Received[] = []
  let onAbort!: () => void
  const abortSeen = new Promise<void>((r) => (onAbort = r))
  const server: Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(req) {
      const url = new URL(req.url)
      const text = await req.text()
      let body: any = text
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {}
      const rec: Received = { method: req.method, path: url.pathname, query: url.searchParams, headers: req.headers, body, aborted: false, raw: text, url: req.url }
      received.push(rec)
      const reply = await script(rec, received.length - 1)
      if (reply.kind === 'json')
        return new Response(JSON.stringify(reply.body), { status: reply.status ?? 200, headers: { 'content-type': 'application/json', ...reply.headers } })
      if (reply.kind === 'text') return new Response(reply.body, { status: reply.status ?? 200, headers: reply.headers })
      if (reply.kind === 'hang') {
        await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve()))
        rec.aborted = true
        onAbort()
        return new Response('')
      }
      if (reply.kind === 'binary') return binaryResponse(reply, rec, onAbort)
      const frames = reply.frames.map(frameText)
      let i = 0
      const stream = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (reply.dropAfter !== undefined && i >= reply.dropAfter) {
            c.error(new Error('dropped'))
            return
          }
          if (i >= frames.length) {
            if (reply.hangAfter) {
              await new Promise((r) => setTimeout(r, 60_000))
            }
            c.close()
            return
          }
          const wait = i === 0 ? (reply.firstDelayMs ?? 0) : (reply.delayMs ?? 0)
          if (wait) await new Promise((r) => setTimeout(r, wait))
          const bytes = enc.encode(frames[i++])
          if (reply.chunkBytes) for (let o = 0; o < bytes.length; o += reply.chunkBytes) c.enqueue(bytes.slice(o, o + reply.chunkBytes))
          else c.enqueue(bytes)
        },
        cancel() {
          rec.aborted = true
          onAbort()
        },
      })
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port!,
    received,
    abortSeen,
    stop: () => server.stop(true),
  }
}

function binaryResponse(reply: Extract<Reply, { kind: 'binary' }>, rec: Received, onAbort: () => void): Response {
  const chunks: Uint8Array[] = []
  for (const m of reply.chunks)
    if (reply.chunkBytes) for (let o = 0; o < m.length; o += reply.chunkBytes) chunks.push(m.slice(o, o + reply.chunkBytes))
    else chunks.push(m)
  let i = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (reply.dropAfter !== undefined && i >= reply.dropAfter) return c.error(new Error('dropped'))
      if (i >= chunks.length) return c.close()
      c.enqueue(chunks[i++])
    },
    cancel() {
      rec.aborted = true
      onAbort()
    },
  })
  return new Response(stream, { headers: { 'content-type': reply.contentType, ...reply.headers } })
}
