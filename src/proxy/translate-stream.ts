// Byte-level stream translators used by the stream pump. One object per stream; each input chunk
// goes bytes → SSE frames → upstream decoder → canonical events → front encoder → bytes, in one
// synchronous pass (no intermediate streams, no per-event promises).
import type { CanonEvent } from '../canonical/event'
import { mergeUsage, type CanonUsage } from '../canonical/usage'
import type { Dialect, ResponseContext, StreamTranslator } from '../dialects/dialect'
import { frameReader } from '../framing/frame-reader'
import { formatLine, type SseFrame } from '../framing/sse'
import { DeliveredOutput } from '../tokens/delivered-output'
import { ReasoningTally } from './reasoning-estimate'

export interface StreamError {
  status: number
  kind: string
  message: string
}

/** What the pipeline learns from a stream, for the request log, usage ledger and metrics. */
export interface StreamObservation {
  usage: CanonUsage
  finish?: string
  error?: StreamError
  /** output sent to the client, to bill when the upstream's usage never arrives */
  delivered?: DeliveredOutput
}

export const newObservation = (): StreamObservation & { delivered: DeliveredOutput } => ({ usage: { inputTokens: 0, outputTokens: 0 }, delivered: new DeliveredOutput() })

export interface ChunkTranslator {
  /** bytes from upstream → bytes for the client (undefined: nothing to send yet) */
  chunk(bytes: Uint8Array): Uint8Array | undefined
  /** upstream ended */
  end(): Uint8Array | undefined
  /** the upstream failed mid-stream (read error, idle timeout): the client's error frames and a clean end */
  fail(err: StreamError): Uint8Array | undefined
  readonly observed: StreamObservation
}

/** The translators the proxy makes also say when the first whole upstream event went through
 *  (the first-output peek reads until then) and whether it was an error. */
export interface OpeningTranslator extends ChunkTranslator {
  readonly opened: boolean
  /** the stream's first event was an error (nothing worth sending came before it) */
  readonly openingError: StreamError | undefined
}

const encoder = new TextEncoder()
/** a non-empty text as bytes, else undefined (nothing to send) */
export const toBytes = (s: string) => (s.length ? encoder.encode(s) : undefined)

/** what an event tells the ledger and the log (also the pass-through tap's, passthrough-tap.ts) */
export function observe(obs: StreamObservation, ev: CanonEvent): void {
  if (ev.type === 'text_delta' || ev.type === 'reasoning_delta') obs.delivered?.add(ev.text)
  else if (ev.type === 'tool_args_delta') obs.delivered?.add(ev.json)
  else if (ev.type === 'usage') mergeUsage(obs.usage, ev.usage)
  else if (ev.type === 'start') {
    if (ev.usage) mergeUsage(obs.usage, ev.usage)
  } else if (ev.type === 'finish') obs.finish = ev.finish
  else if (ev.type === 'error') obs.error = { status: ev.status, kind: ev.kind, message: ev.message }
}

/** Different dialects on each side: decode the upstream's events, re-encode them for the client. */
export function translatingStream(upstream: Dialect, front: Dialect, ctx: ResponseContext, tap?: (ev: CanonEvent) => void): OpeningTranslator {
  const dec = upstream.decodeStream()
  const enc: StreamTranslator<CanonEvent, SseFrame> = front.encodeStream(ctx)
  const observed = newObservation()
  let out = ''
  let closed = false
  let opened = false
  const emitFrame = (f: SseFrame) => {
    out += formatLine(f)
  }
  const thinking = new ReasoningTally()
  const emitEvent = (ev: CanonEvent) => {
    if (ev.type === 'reasoning_delta') thinking.add(ev)
    else if (ev.type === 'finish' || ev.type === 'end') {
      // the upstream thought but counted none of it: an estimate before the totals go out
      const u = thinking.missing(observed.usage)
      if (u) {
        observe(observed, u)
        enc.push(u, emitFrame)
      }
    }
    observe(observed, ev)
    tap?.(ev)
    enc.push(ev, emitFrame)
  }
  let openingError: StreamError | undefined
  // SSE, or the upstream dialect's own framing (Bedrock's AWS event-stream)
  const reader = frameReader(upstream.framing ?? 'sse', (frame) => {
    if (opened) return dec.push(frame, emitEvent)
    opened = true
    dec.push(frame, emitEvent)
    openingError = observed.error
  })
  const take = () => {
    const s = out
    out = ''
    return toBytes(s)
  }
  return {
    observed,
    get opened() {
      return opened
    },
    get openingError() {
      return openingError
    },
    chunk(bytes) {
      if (closed) return undefined
      reader.feed(bytes)
      return take()
    },
    end() {
      if (closed) return undefined
      closed = true
      reader.end()
      dec.end(emitEvent)
      enc.end(emitFrame)
      return take()
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      emitEvent({ type: 'error', status: err.status, kind: err.kind as never, message: err.message })
      emitEvent({ type: 'end' })
      enc.end(emitFrame)
      return take()
    },
  }
}

/** A locally produced event list (echo provider) encoded for the client. */
export function encodeEvents(front: Dialect, ctx: ResponseContext, events: CanonEvent[]): { chunks: Uint8Array[]; observed: StreamObservation } {
  const enc = front.encodeStream(ctx)
  const observed = newObservation()
  const chunks: Uint8Array[] = []
  let out = ''
  const emit = (f: SseFrame) => {
    out += formatLine(f)
  }
  for (const ev of events) {
    observe(observed, ev)
    enc.push(ev, emit)
    // one network chunk per delta-ish event, so clients see a real stream
    if (out.length && (ev.type === 'text_delta' || ev.type === 'tool_args_delta' || ev.type === 'reasoning_delta' || ev.type === 'end')) {
      chunks.push(encoder.encode(out))
      out = ''
    }
  }
  enc.end(emit)
  if (out.length) chunks.push(encoder.encode(out))
  return { chunks, observed }
}
