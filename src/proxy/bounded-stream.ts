// Wrappers around a stream translator. One SSE line or event may not grow without end: a
// translator wrapped here fails the stream (the pump then sends the client dialect's error event, closes, and aborts the upstream) once
// more than `limit` bytes arrived since the last event boundary (a blank line, in LF, CR or CRLF).
import { concatBytes, StreamRedactor } from '../observe/redact-stream'
import type { OpeningTranslator } from './translate-stream'

/** thrown from chunk(): the pump ends the stream with this message */
export class StreamLimitError extends Error {}

/** bytes since the last blank line of `b`, given the `carry` before it, or -1 if `b` holds one */
function bytesAfterLastBoundary(b: Uint8Array, prev: number): number {
  // LF LF, CR CR, or CR LF CR LF (which contains LF CR: only "\n\n", "\r\r", "\n\r\n" matter)
  for (let i = b.byteLength - 1; i >= 0; i--) {
    const c = b[i]
    if (c !== 10 && c !== 13) continue
    const p = i > 0 ? b[i - 1] : prev
    if (p === c || (c === 10 && p === 13 && (i > 1 ? b[i - 2] : -1) === 10)) return b.byteLength - 1 - i
    if (c === 13 && p === 10 && i > 1 && b[i - 2] === 13) return b.byteLength - 1 - i
  }
  return -1
}

export function boundedEvents(inner: OpeningTranslator, limit: number, provider: string): OpeningTranslator {
  /** bytes since the last event boundary */
  let pending = 0
  let last = -1
  return {
    observed: inner.observed,
    get opened() {
      return inner.opened
    },
    get openingError() {
      return inner.openingError
    },
    chunk(bytes) {
      const after = bytesAfterLastBoundary(bytes, last)
      pending = after === -1 ? pending + bytes.byteLength : after
      if (bytes.byteLength) last = bytes[bytes.byteLength - 1]
      if (pending > limit)
        throw new StreamLimitError(`provider ${provider} sent an SSE event larger than ${limit} bytes (max_event_size); the stream was cut`)
      return inner.chunk(bytes)
    },
    end: () => inner.end(),
    fail: (err) => inner.fail(err),
  }
}

/** every byte the translator hands out goes through the secret redactor (redact-stream.ts) */
export function redactedStream(inner: OpeningTranslator): OpeningTranslator {
  const r = new StreamRedactor()
  return {
    observed: inner.observed,
    get opened() {
      return inner.opened
    },
    get openingError() {
      return inner.openingError
    },
    chunk: (bytes) => r.push(inner.chunk(bytes)),
    end: () => concatBytes(r.push(inner.end()), r.flush()),
    fail: (err) => concatBytes(r.push(inner.fail(err)), r.flush()),
  }
}
