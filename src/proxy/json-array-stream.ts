// Gemini's `streamGenerateContent` without `alt=sse` answers ONE JSON array, streamed element by
// element (`[{…}\r\n,{…}]`). The proxy always asks its upstream for SSE; this wraps a stream's
// translator and re-frames what it sends the client: each event's data becomes one element,
// verbatim. Comments (keep-alives) have no place in an array and are dropped.
import { SseParser } from '../framing/sse'
import type { ChunkTranslator, OpeningTranslator } from './translate-stream'

const encoder = new TextEncoder()

export function jsonArrayStream(inner: ChunkTranslator & Partial<OpeningTranslator>): OpeningTranslator {
  const decoder = new TextDecoder()
  let out = ''
  let opened = false
  let closed = false
  const parser = new SseParser((f) => {
    if (f.comment !== undefined || f.data === '' || f.data === '[DONE]') return
    out += opened ? `\r\n,${f.data}` : `[${f.data}`
    opened = true
  })
  const take = (bytes: Uint8Array | undefined, last: boolean): Uint8Array | undefined => {
    if (bytes) parser.feed(decoder.decode(bytes, { stream: !last }))
    if (last) {
      parser.feed(decoder.decode())
      parser.flush()
      out += opened ? ']' : '[]'
    }
    const s = out
    out = ''
    return s.length ? encoder.encode(s) : undefined
  }
  return {
    get observed() {
      return inner.observed
    },
    // what the first-output peek reads: the inner translator's view (a bare one opens at once)
    get opened() {
      return inner.opened ?? true
    },
    get openingError() {
      return inner.openingError
    },
    chunk: (bytes) => take(inner.chunk(bytes), false),
    end() {
      if (closed) return undefined
      closed = true
      return take(inner.end(), true)
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      return take(inner.fail(err), true)
    },
  }
}
