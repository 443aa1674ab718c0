// Bytes → frames for either stream framing an upstream dialect uses: server-sent events, or the
// AWS event-stream (Bedrock). The registry names a dialect's framing; the stream translator and
// the first-event peek read through this, so neither knows which it is.
import { EventStreamParser } from './aws-eventstream'
import { SseParser, type SseFrame } from './sse'

export type Framing = 'sse' | 'aws-eventstream'

export interface FrameReader {
  feed(bytes: Uint8Array): void
  /** input ended: a last event without its terminator (SSE), or an error for a cut message */
  end(): void
}

const STREAM = { stream: true }

export function frameReader(framing: Framing, onFrame: (f: SseFrame) => void): FrameReader {
  if (framing === 'aws-eventstream') return new EventStreamParser(onFrame)
  const decoder = new TextDecoder()
  const parser = new SseParser(onFrame)
  return {
    feed(bytes) {
      parser.feed(decoder.decode(bytes, STREAM))
    },
    end() {
      parser.feed(decoder.decode())
      parser.flush()
    },
  }
}
