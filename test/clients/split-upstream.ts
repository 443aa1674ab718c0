// An upstream that answers every request with one fixed SSE byte payload, cut at chosen byte
// offsets and written piece by piece with a macrotask between pieces, so the proxy's reader really
// sees the cuts (mid-line, mid-`data:`, mid-UTF-8 character) instead of one coalesced buffer.
import type { Server } from 'bun'

export interface SplitUpstream {
  url: string
  /** the next responses send `payload` cut at `cuts` (ascending byte offsets), waiting `pauseMs`
   *  between pieces (0: one macrotask, which loopback may still coalesce for some pieces) */
  set(payload: Uint8Array, cuts: number[], pauseMs?: number): void
  requests: number
  stop(): void
}

const tick = (ms: number) => new Promise<void>((r) => (ms ? setTimeout(r, ms) : setImmediate(r)))

export function startSplitUpstream(): SplitUpstream {
  let payload: Uint8Array = new Uint8Array()
  let cuts: number[] = []
  let pause = 0
  const up: SplitUpstream = {
    url: '',
    requests: 0,
    set(p, c, ms = 0) {
      payload = p
      cuts = c
      pause = ms
    },
    stop: () => server.stop(true),
  }
  const server: Server<undefined> = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      await req.arrayBuffer()
      up.requests++
      const bytes = payload
      const wait = pause
      const bounds = [...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length]
      let i = 0
      let from = 0
      const body = new ReadableStream<Uint8Array>({
        async pull(c) {
          if (i >= bounds.length) return c.close()
          if (i > 0) await tick(wait)
          c.enqueue(bytes.slice(from, bounds[i]))
          from = bounds[i++]
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
  up.url = `http://127.0.0.1:${server.port}`
  return up
}

/** every multiple of `size` below `length` */
export const everyNBytes = (length: number, size: number): number[] => {
  const out: number[] = []
  for (let o = size; o < length; o += size) out.push(o)
  return out
}
