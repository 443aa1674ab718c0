// A batching OTLP/HTTP span exporter. Requests only append to a bounded queue; a timer sends the
// batch, one POST at a time, and a collector that is slow, down or refusing costs a dropped batch
// and a counter, never a request's time or success.
import { exportRequest } from './otlp-json'
import type { Attributes, SpanData } from './span'

export interface ExporterOptions {
  /** full URL the batches are POSTed to (…/v1/traces) */
  url: string
  headers: Record<string, string>
  resource: Attributes
  scope: { name: string; version: string }
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** spans held at most; past it the newest are dropped (counted) */
  maxQueue?: number
  maxBatch?: number
  /** how long spans may wait before a batch goes out */
  delayMs?: number
  timeoutMs?: number
  /** told at most once a minute, for a log line */
  onFailure?: (reason: string) => void
}

export interface ExporterStats {
  exported: number
  dropped: number
  failedBatches: number
}

export interface SpanExporter {
  add(spans: SpanData[]): void
  /** sends what is queued; resolves when done (or failed) */
  flush(): Promise<void>
  close(): Promise<void>
  stats(): ExporterStats
}

export function createExporter(o: ExporterOptions): SpanExporter {
  const maxQueue = o.maxQueue ?? 2048
  const maxBatch = o.maxBatch ?? 512
  const delayMs = o.delayMs ?? 1000
  const timeoutMs = o.timeoutMs ?? 10_000
  const send = o.fetch ?? ((url: string, init: RequestInit) => fetch(url, init))
  const headers = { 'content-type': 'application/json', ...o.headers }
  const stats: ExporterStats = { exported: 0, dropped: 0, failedBatches: 0 }
  let queue: SpanData[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let sending: Promise<void> | undefined
  let lastWarn = -Infinity
  let closed = false

  const warn = (reason: string) => {
    const now = Date.now()
    if (now - lastWarn < 60_000) return
    lastWarn = now
    o.onFailure?.(reason)
  }

  async function post(batch: SpanData[]): Promise<void> {
    try {
      const res = await send(o.url, {
        method: 'POST',
        headers,
        body: exportRequest(o.resource, o.scope, batch),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      })
      // the reply says nothing we use: never read it (a collector could send anything)
      await res.body?.cancel().catch(() => undefined)
      if (!res.ok) throw new Error(`collector answered ${res.status}`)
      stats.exported += batch.length
    } catch (err) {
      stats.failedBatches++
      stats.dropped += batch.length
      warn(err instanceof Error ? err.message : String(err))
    }
  }

  async function drain(): Promise<void> {
    while (queue.length) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch)
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch)
      await post(batch)
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!sending)
      sending = drain().finally(() => {
        sending = undefined
        if (queue.length) schedule()
      })
    return sending
  }

  function schedule(): void {
    if (timer || sending || closed) return
    timer = setTimeout(() => void flush(), queue.length >= maxBatch ? 0 : delayMs)
    // a pending batch never keeps the process alive
    ;(timer as { unref?: () => void }).unref?.()
  }

  return {
    add(spans) {
      const room = maxQueue - queue.length
      if (room < spans.length) stats.dropped += spans.length - Math.max(0, room)
      if (room <= 0) return
      for (let i = 0; i < spans.length && i < room; i++) queue.push(spans[i])
      schedule()
    },
    flush: async () => {
      await flush()
      // spans added while the last batch was in flight
      if (queue.length) await flush()
    },
    async close() {
      closed = true
      await flush()
      if (queue.length) await flush()
    },
    stats: () => ({ ...stats }),
  }
}
