// AWS event-stream (application/vnd.amazon.eventstream): bytes → frames, incrementally.
//
// A message is: total length u32 | headers length u32 | prelude CRC32 | headers | payload |
// message CRC32 (big-endian; CRC-32/IEEE). Both CRCs are checked; a mismatch, an impossible
// length or a stream that ends mid-message fails the stream (one `exception` frame, then nothing).
// Frames are read in place from the network chunk: only a message split across chunks is copied,
// into one buffer of its exact size allocated once its prelude is known. The payload is decoded
// as UTF-8 only once its message is whole. Output is the SseFrame shape the dialect decoders take:
// `event` = `:event-type`, `data` = the payload text; exception and error messages set `exception`.
import { crc32 } from './crc32'
import type { SseFrame } from './sse'

export interface EventFrame extends SseFrame {
  /** `:exception-type` of an exception message (`:error-code` of an error message) */
  exception?: string
}

/** the `exception` of a frame the parser made because the bytes were not a valid event stream */
export const FRAMING_ERROR = 'eventStreamFramingError'

const PRELUDE = 12
/** AWS caps a message at 16 MiB; a length beyond that is a corrupt or hostile stream */
export const MAX_MESSAGE = 16 * 1024 * 1024 + 64 * 1024

const u32 = (b: Uint8Array, i: number): number => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0

const utf8 = new TextDecoder()
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Uint8Array, start: number, end: number) => string }).utf8Slice

/** UTF-8 text of b[from, to): Buffer's native slice where the runtime has it (4x cheaper than a TextDecoder call on short payloads) */
const decodeUtf8: (b: Uint8Array, from: number, to: number) => string =
  typeof utf8Slice === 'function' ? (b, from, to) => utf8Slice.call(b, from, to) : (b, from, to) => utf8.decode(b.subarray(from, to))

const text = (b: Uint8Array, from: number, len: number): string => decodeUtf8(b, from, from + len)

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))
const EVENT_TYPE = ascii(':event-type')
const MESSAGE_TYPE = ascii(':message-type')
const EXCEPTION_TYPE = ascii(':exception-type')
const ERROR_CODE = ascii(':error-code')
const ERROR_MESSAGE = ascii(':error-message')
const EVENT = ascii('event')

/** b[at, at + len) holds exactly `word` */
function equals(b: Uint8Array, at: number, len: number, word: Uint8Array): boolean {
  if (len !== word.length) return false
  for (let i = 0; i < len; i++) if (b[at + i] !== word[i]) return false
  return true
}

/** byte size of a header value of each type (0–9), -1: length-prefixed (6 bytes, 7 string) */
const VALUE_SIZE = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16]

export class EventStreamParser {
  /** a message's first bytes, until its prelude is whole */
  private readonly prelude = new Uint8Array(PRELUDE)
  /** the message being assembled across chunks (exact size), once its prelude checked out */
  private partial: Uint8Array | undefined
  /** bytes held of the message in progress */
  private fill = 0
  private failed = false
  /** the last `:event-type` value, as bytes and as text: most messages repeat it */
  private lastType = new Uint8Array(0)
  private lastTypeText = ''

  constructor(private readonly onFrame: (f: EventFrame) => void) {}

  feed(chunk: Uint8Array): void {
    if (this.failed) return
    const n = chunk.length
    let at = 0
    if (this.fill > 0) {
      at = this.resume(chunk)
      if (at < 0) return
    }
    while (at < n) {
      const left = n - at
      if (left < PRELUDE) {
        this.prelude.set(chunk.subarray(at, n))
        this.fill = left
        return
      }
      const total = this.checkPrelude(chunk, at)
      if (total < 0) return
      if (left < total) {
        this.partial = new Uint8Array(total)
        this.partial.set(chunk.subarray(at, n))
        this.fill = left
        return
      }
      if (!this.message(chunk, at, total)) return
      at += total
    }
  }

  /** input ended: a message cut short is an error */
  end(): void {
    if (this.failed || this.fill === 0) return
    this.fail(`the event stream ended in the middle of a message (${this.fill} bytes of it received)`)
  }

  /** continues the held message with the chunk; the offset where the chunk's own messages start, -1 to stop */
  private resume(chunk: Uint8Array): number {
    let at = 0
    if (!this.partial) {
      const take = Math.min(PRELUDE - this.fill, chunk.length)
      this.prelude.set(chunk.subarray(0, take), this.fill)
      this.fill += take
      at = take
      if (this.fill < PRELUDE) return -1
      const total = this.checkPrelude(this.prelude, 0)
      if (total < 0) return -1
      this.partial = new Uint8Array(total)
      this.partial.set(this.prelude)
    }
    const buf = this.partial
    const take = Math.min(buf.length - this.fill, chunk.length - at)
    buf.set(chunk.subarray(at, at + take), this.fill)
    this.fill += take
    at += take
    if (this.fill < buf.length) return -1
    this.partial = undefined
    this.fill = 0
    return this.message(buf, 0, buf.length) ? at : -1
  }

  /** the total length of the message whose prelude is at b[at], or -1 (and the stream failed) */
  private checkPrelude(b: Uint8Array, at: number): number {
    const total = u32(b, at)
    const headers = u32(b, at + 4)
    if (crc32(b, at, at + 8) !== u32(b, at + 8)) {
      this.fail('event stream prelude CRC mismatch')
      return -1
    }
    if (total < PRELUDE + 4 || total > MAX_MESSAGE || headers > total - PRELUDE - 4) {
      this.fail(`event stream message length ${total} (headers ${headers}) is impossible`)
      return -1
    }
    return total
  }

  /** one whole message at b[at, at + total): checked, its headers read, its frame emitted */
  private message(b: Uint8Array, at: number, total: number): boolean {
    const end = at + total - 4
    if (crc32(b, at, end) !== u32(b, end)) {
      this.fail('event stream message CRC mismatch')
      return false
    }
    const headersEnd = at + PRELUDE + u32(b, at + 4)
    let isEvent = false
    let isException = false
    let eventType: string | undefined
    let exception: string | undefined
    let errorMessage: string | undefined
    let p = at + PRELUDE
    while (p < headersEnd) {
      const nameLen = b[p]
      const nameAt = p + 1
      p = nameAt + nameLen
      if (p >= headersEnd) return this.badHeaders()
      const type = b[p++]
      const size = VALUE_SIZE[type]
      if (size === undefined) return this.badHeaders()
      if (size >= 0) {
        p += size
        continue
      }
      if (p + 2 > headersEnd) return this.badHeaders()
      const len = (b[p] << 8) | b[p + 1]
      const valueAt = p + 2
      p = valueAt + len
      if (p > headersEnd) return this.badHeaders()
      if (type !== 7) continue
      // names compared as bytes, so the usual headers cost no string (:content-type is not read)
      if (equals(b, nameAt, nameLen, EVENT_TYPE)) eventType = this.eventType(b, valueAt, len)
      else if (equals(b, nameAt, nameLen, MESSAGE_TYPE)) {
        isEvent = equals(b, valueAt, len, EVENT)
        isException = !isEvent && (len === 9 ? text(b, valueAt, len) === 'exception' : len === 5 && text(b, valueAt, len) === 'error')
      } else if (equals(b, nameAt, nameLen, EXCEPTION_TYPE) || equals(b, nameAt, nameLen, ERROR_CODE)) exception = text(b, valueAt, len)
      else if (equals(b, nameAt, nameLen, ERROR_MESSAGE)) errorMessage = text(b, valueAt, len)
    }
    if (p !== headersEnd) return this.badHeaders()
    const data = headersEnd === end ? '' : decodeUtf8(b, headersEnd, end)
    if (isEvent) {
      this.onFrame(eventType === undefined ? { data } : { event: eventType, data })
    } else if (isException) {
      const frame: EventFrame = { data: errorMessage !== undefined ? JSON.stringify({ message: errorMessage }) : data }
      frame.exception = exception ?? 'unknownException'
      this.onFrame(frame)
    }
    // an unknown message type carries nothing a decoder could use
    return true
  }

  /** the event type at b[at, at + len), reusing the previous message's string when the bytes match */
  private eventType(b: Uint8Array, at: number, len: number): string {
    if (equals(b, at, len, this.lastType)) return this.lastTypeText
    this.lastType = b.slice(at, at + len)
    this.lastTypeText = text(b, at, len)
    return this.lastTypeText
  }

  private badHeaders(): false {
    this.fail('event stream message headers are malformed')
    return false
  }

  private fail(message: string): void {
    this.failed = true
    this.partial = undefined
    this.fill = 0
    this.onFrame({ data: JSON.stringify({ message }), exception: FRAMING_ERROR })
  }
}
