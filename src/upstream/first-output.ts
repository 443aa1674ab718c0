// Before a stream is committed to the client, read until its first event: an upstream that
// answers 200 and then opens with an error (Anthropic's `overloaded_error`, an OpenAI error
// chunk) has produced no output yet, so the plan may still fail over. What was read is handed
// on to the stream pump, so nothing is lost or read twice.
import type { CanonEvent } from '../canonical/event'
import type { Dialect } from '../dialects/dialect'
import { GatewayError } from '../errors'
import { SseParser } from '../framing/sse'

/** enough to hold any opening event; past this we stop looking and stream on */
const PEEK_LIMIT = 64 * 1024

export interface Peeked {
  reader: ReadableStreamDefaultReader<Uint8Array>
  /** bytes already read, to be sent first */
  prefix?: Uint8Array
  /** the upstream ended before any event */
  ended: boolean
}

export async function peekFirstOutput(body: ReadableStream<Uint8Array>, up: Dialect, timeoutMs: number, abort: (why: string) => void): Promise<Peeked> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const dec = up.decodeStream()
  let error: CanonEvent | undefined
  let sawFrame = false
  const parser = new SseParser((frame) => {
    if (sawFrame) return
    sawFrame = true
    dec.push(frame, (ev) => {
      if (ev.type === 'error' && !error) error = ev
    })
  })
  const chunks: Uint8Array[] = []
  let size = 0
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort('first byte timeout')
  }, timeoutMs)
  try {
    while (!sawFrame && size < PEEK_LIMIT) {
      let r
      try {
        r = await reader.read()
      } catch (err) {
        if (timedOut) throw new GatewayError(504, `upstream sent no event within ${timeoutMs} ms (first_byte_timeout)`, { code: 'upstream_timeout', kind: 'timeout', retryable: true })
        throw new GatewayError(502, `upstream stream failed before its first event: ${err instanceof Error ? err.message : String(err)}`, { code: 'upstream_unreachable', retryable: true })
      }
      if (r.done) return { reader, prefix: join(chunks, size), ended: true }
      chunks.push(r.value)
      size += r.value.byteLength
      parser.feed(decoder.decode(r.value, { stream: true }))
    }
  } finally {
    clearTimeout(timer)
  }
  if (error && error.type === 'error') {
    abort('error before first output')
    reader.cancel().catch(() => {})
    throw new GatewayError(error.status, error.message, { kind: error.kind, retryable: error.status >= 500 || error.status === 429 || error.status === 408 })
  }
  return { reader, prefix: join(chunks, size), ended: false }
}

function join(chunks: Uint8Array[], size: number): Uint8Array | undefined {
  if (chunks.length === 0) return undefined
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(size)
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.byteLength
  }
  return out
}
