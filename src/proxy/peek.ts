// Before a stream is committed to the client, read until its first whole event: an upstream that
// answers 200 and then opens with an error (Anthropic's `overloaded_error`, an OpenAI error chunk)
// has produced no output yet, so the plan may still fail over. The bytes go through the same
// translator the stream pump then carries on with: every frame is decoded once, and what the
// peek produced is sent first.
import { GatewayError } from '../errors'
import type { OpeningTranslator, StreamError } from './translate-stream'

/** enough to hold any opening event; past this we stop looking and stream on */
const PEEK_LIMIT = 64 * 1024

export interface PeekInput {
  body: ReadableStream<Uint8Array>
  /** the stream's translator, handed on to the pump afterwards */
  translator: OpeningTranslator
  timeoutMs: number
  /** aborts the upstream fetch */
  abort: (why: string) => void
}

export interface Peeked {
  reader: ReadableStreamDefaultReader<Uint8Array>
  /** client bytes the translator already produced, to be sent first */
  translated?: Uint8Array
  /** the stream opened with an error: nothing has been sent; the upstream is let go */
  firstError?: StreamError
}

export async function peekFirstOutput(i: PeekInput): Promise<Peeked> {
  const { translator } = i
  const reader = i.body.getReader()
  const out: Uint8Array[] = []
  let size = 0
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    i.abort('first byte timeout')
  }, i.timeoutMs)
  try {
    while (!translator.opened && size < PEEK_LIMIT) {
      let r
      try {
        r = await reader.read()
      } catch (err) {
        if (timedOut) throw new GatewayError(504, `upstream sent no event within ${i.timeoutMs} ms (first_byte_timeout)`, { code: 'upstream_timeout', kind: 'timeout', retryable: true })
        // a corrupt or cut body: the upstream's fault, and nothing reached the client yet
        throw new GatewayError(502, `upstream stream failed before its first event: ${(err instanceof Error ? err.message : String(err)).replace(/ For more information, pass `verbose: true`.*$/, '')}`, {
          code: 'bad_upstream_response',
          retryable: true,
        })
      }
      // the end is the pump's to translate: it reads `done` again
      if (r.done) break
      size += r.value.byteLength
      const bytes = translator.chunk(r.value)
      if (bytes && bytes.byteLength) out.push(bytes)
    }
  } finally {
    clearTimeout(timer)
  }
  const firstError = translator.openingError
  if (firstError) {
    i.abort('error before first output')
    reader.cancel().catch(() => {})
    return { reader, firstError }
  }
  return { reader, translated: join(out) }
}

function join(chunks: Uint8Array[]): Uint8Array | undefined {
  if (chunks.length <= 1) return chunks[0]
  return Buffer.concat(chunks)
}
