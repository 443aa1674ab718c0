// Streaming load client on fetch (autocannon only times whole responses): time to first body
// byte, SSE events seen, time per upstream chunk, and streams/s at a fixed concurrency. A stream
// counts as good only with status 200, at least the expected number of events and its dialect's
// end marker in the last bytes.
import type { Req } from './http-client'
import { median, percentile } from './stats'

export interface StreamReq extends Req {
  /** upstream content deltas in this stream (the unit of "per chunk" figures) */
  chunks: number
  /** text the final event carries: `[DONE]`, `message_stop`, `response.completed` */
  endMarker: string
}

export interface StreamSample {
  ok: boolean
  error?: string
  /** ms from send to the first body byte */
  ttfb: number
  /** ms from the first to the last body byte */
  body: number
  events: number
}

const dec = new TextDecoder()

/** Where an event starts: a read and an offset in it, plus the next reads until 64 bytes are known. */
interface EventStart {
  chunk: Uint8Array
  at: number
  more: Uint8Array[]
  known: number
}

const HEAD = 64
const startAt = (chunk: Uint8Array, at: number): EventStart => ({ chunk, at, more: [], known: chunk.length - at })

function head(p: EventStart | undefined): string {
  if (!p) return ''
  return [p.chunk.subarray(p.at), ...p.more].map((b) => dec.decode(b.subarray(0, 256))).join('')
}

export async function oneStream(req: StreamReq, signal?: AbortSignal): Promise<StreamSample> {
  const t0 = performance.now()
  let ttfb = NaN
  let last = t0
  let events = 0
  let prev = 0
  // the start of the event being read and of the last complete one: the end marker is in the
  // head of the final event (a Responses `response.completed` event is kilobytes long)
  let cur: EventStart | undefined
  let ended: EventStart | undefined
  try {
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, signal })
    if (res.status !== 200 || !res.body) {
      const text = await res.text()
      return { ok: false, error: `${res.status} ${text.slice(0, 200)}`, ttfb, body: NaN, events }
    }
    const reader = res.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      last = performance.now()
      if (Number.isNaN(ttfb)) {
        ttfb = last - t0
        cur = startAt(value, 0)
      } else if (cur && cur.known < HEAD) {
        cur.more.push(value)
        cur.known += value.length
      }
      // an event ends at a blank line: "\n\n" (native indexOf, not a byte loop: 2,000-chunk streams are 400 KB)
      for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1))
        if ((i === 0 ? prev : value[i - 1]) === 10) {
          events++
          ended = cur
          cur = startAt(value, i + 1)
        }
      if (value.length > 0) prev = value[value.length - 1]
    }
  } catch (err) {
    return { ok: false, error: String(err), ttfb, body: NaN, events }
  }
  const final = head(ended)
  const ok = events >= req.chunks && final.includes(req.endMarker)
  return { ok, error: ok ? undefined : `incomplete stream: ${events} events, last begins ${JSON.stringify(final.slice(0, 80))}`, ttfb, body: last - t0 - ttfb, events }
}

export interface StreamLatency {
  n: number
  errors: number
  firstError?: string
  /** µs */
  ttfbP50: number
  ttfbP99: number
  /** µs per upstream chunk, from first to last byte (median over streams) */
  gap: number
}

export async function sequentialStreams(req: StreamReq, maxN: number, maxMs: number, warmup: number): Promise<StreamLatency> {
  for (let i = 0; i < warmup; i++) await oneStream(req)
  const samples: StreamSample[] = []
  const end = performance.now() + maxMs
  for (let i = 0; i < maxN && performance.now() < end; i++) samples.push(await oneStream(req))
  return summarize(samples, req.chunks)
}

function summarize(samples: StreamSample[], chunks: number): StreamLatency {
  const good = samples.filter((s) => s.ok)
  const ttfb = good.map((s) => s.ttfb * 1000)
  return {
    n: good.length,
    errors: samples.length - good.length,
    firstError: samples.find((s) => !s.ok)?.error,
    ttfbP50: percentile(ttfb, 50),
    ttfbP99: percentile(ttfb, 99),
    gap: median(good.map((s) => (s.body * 1000) / chunks)),
  }
}

export interface StreamThroughput {
  streams: number
  errors: number
  firstError?: string
  perSec: number
}

/** `concurrency` workers open streams back to back for `durationMs`; in-flight ones finish (≤ 30 s). */
export async function streamThroughput(req: StreamReq, concurrency: number, durationMs: number): Promise<StreamThroughput> {
  let streams = 0
  let errors = 0
  let firstError: string | undefined
  const t0 = performance.now()
  const stop = t0 + durationMs
  const abort = AbortSignal.timeout(durationMs + 30_000)
  const worker = async () => {
    while (performance.now() < stop && !abort.aborted) {
      const s = await oneStream(req, abort)
      if (s.ok) streams++
      else (errors++, (firstError ??= s.error))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { streams, errors, firstError, perSec: streams / ((performance.now() - t0) / 1000) }
}

export interface ConcurrentStreams extends StreamLatency {
  /** ms until every stream ended */
  wallMs: number
}

/** Opens `n` streams at once (the memory lane); aborts whatever is still open after `timeoutMs`. */
export async function concurrentStreams(req: StreamReq, n: number, timeoutMs: number): Promise<ConcurrentStreams> {
  const t0 = performance.now()
  const abort = AbortSignal.timeout(timeoutMs)
  const samples = await Promise.all(Array.from({ length: n }, () => oneStream(req, abort)))
  return { ...summarize(samples, req.chunks), wallMs: performance.now() - t0 }
}
