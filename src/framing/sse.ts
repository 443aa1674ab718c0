// Server-sent events: bytes ⇄ frames. Dialect code never sees `data:` prefixes or raw bytes.

export interface SseFrame {
  event?: string
  data: string
  id?: string
  /** set for a comment line (": ping"), which carries no event */
  comment?: string
}

/**
 * Incremental SSE parser: feed it text in arbitrary pieces (lines and multi-byte characters may be
 * split anywhere), it calls onFrame for each complete event. Handles LF, CRLF and CR line ends,
 * multi-line data, comments (dropped), and a final event without its blank line (flush()).
 * Lines are read in place (start/end offsets), so a `data:` line costs one substring.
 */
export class SseParser {
  private buf = ''
  /** the event's first data line, and any further ones */
  private data: string | undefined
  private more: string[] | undefined
  private event: string | undefined
  private id: string | undefined
  private pendingCR = false

  constructor(private readonly onFrame: (f: SseFrame) => void) {}

  /** end of input: an event whose blank line never came is still delivered */
  flush(): void {
    if (this.buf.length) {
      this.line(this.buf, 0, this.buf.length)
      this.buf = ''
    }
    this.dispatch()
  }

  feed(text: string): void {
    if (this.pendingCR && text.length > 0) {
      // a CR ended the previous piece: a LF at the start of this one belongs to it
      if (text.charCodeAt(0) === 10) text = text.slice(1)
      this.pendingCR = false
    }
    // the pending partial line holds no line end: only the new text is searched, so a long event
    // arriving in many pieces (a base64 image) is not rescanned on every piece
    const from = this.buf.length
    if (text.indexOf('\r') === -1) {
      const first = text.indexOf('\n')
      if (first === -1) {
        this.buf = from ? this.buf + text : text
        return
      }
      const buf = from ? this.buf + text : text
      let start = 0
      // the common case (LF line ends) finds lines with a native search instead of a char loop
      for (let nl = from + first; nl !== -1; nl = buf.indexOf('\n', start)) {
        this.line(buf, start, nl)
        start = nl + 1
      }
      this.buf = start < buf.length ? buf.slice(start) : ''
      return
    }
    // CR or CRLF line ends (Gemini sends CRLF): the nearer of the next CR and the next LF, both
    // found natively; a character that no longer occurs is not searched for again
    const buf = from ? this.buf + text : text
    const n = buf.length
    let start = 0
    let cr = buf.indexOf('\r', from)
    let lf = buf.indexOf('\n', from)
    while (cr !== -1 || lf !== -1) {
      let end: number
      let next: number
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        end = lf
        next = lf + 1
      } else {
        end = cr
        if (cr + 1 === n) this.pendingCR = true
        next = buf.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1
      }
      this.line(buf, start, end)
      start = next
      if (cr !== -1 && cr < start) cr = buf.indexOf('\r', start)
      if (lf !== -1 && lf < start) lf = buf.indexOf('\n', start)
    }
    this.buf = start < n ? buf.slice(start) : ''
  }

  /** the line buf[start, end) */
  private line(buf: string, start: number, end: number): void {
    if (start === end) return this.dispatch()
    const c0 = buf.charCodeAt(start)
    if (c0 === 58 /* : */) return
    // fast paths for the overwhelmingly common "data: " and "event: " lines
    if (c0 === 100 /* d */ && buf.startsWith('data:', start)) {
      return this.addData(buf.slice(buf.charCodeAt(start + 5) === 32 ? start + 6 : start + 5, end))
    }
    if (c0 === 101 /* e */ && buf.startsWith('event:', start)) {
      this.event = buf.slice(buf.charCodeAt(start + 6) === 32 ? start + 7 : start + 6, end)
      return
    }
    const line = buf.slice(start, end)
    const colon = line.indexOf(':')
    let field: string
    let value: string
    if (colon === -1) {
      field = line
      value = ''
    } else {
      field = line.slice(0, colon)
      value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1)
    }
    if (field === 'data') this.addData(value)
    else if (field === 'event') this.event = value
    else if (field === 'id') this.id = value
  }

  private addData(value: string): void {
    if (this.data === undefined) this.data = value
    else if (this.more === undefined) this.more = [value]
    else this.more.push(value)
  }

  private dispatch(): void {
    const data = this.data
    if (data === undefined) {
      this.event = undefined
      this.id = undefined
      return
    }
    const frame: SseFrame = { data: this.more === undefined ? data : `${data}\n${this.more.join('\n')}` }
    if (this.event !== undefined) frame.event = this.event
    if (this.id !== undefined) frame.id = this.id
    this.data = undefined
    this.more = undefined
    this.event = undefined
    this.id = undefined
    this.onFrame(frame)
  }
}

/** bytes → SSE frames */
export function sseDecodeStream(): TransformStream<Uint8Array, SseFrame> {
  const decoder = new TextDecoder()
  let parser: SseParser
  let sink: TransformStreamDefaultController<SseFrame>
  return new TransformStream<Uint8Array, SseFrame>({
    start(controller) {
      sink = controller
      parser = new SseParser((f) => sink.enqueue(f))
    },
    transform(chunk) {
      parser.feed(decoder.decode(chunk, { stream: true }))
    },
    flush() {
      parser.feed(decoder.decode())
      parser.flush()
    },
  })
}

/** one frame → its wire text */
export function formatSse(f: SseFrame): string {
  if (f.comment !== undefined) return `: ${f.comment}\n\n`
  let out = f.event !== undefined ? `event: ${f.event}\n` : ''
  const data = f.data
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) out += `data: ${data}\n\n`
  else out += data.split(/\r\n|\r|\n/).map((l) => `data: ${l}\n`).join('') + '\n'
  return out
}

/**
 * One encoder frame → its wire text. Encoders emit JSON (or `[DONE]`), which never holds a raw
 * line end, so the line split of formatSse is skipped (test/helpers/translators.ts checks this).
 */
export function formatLine(f: SseFrame): string {
  return f.event !== undefined ? `event: ${f.event}\ndata: ${f.data}\n\n` : `data: ${f.data}\n\n`
}

const encoder = new TextEncoder()

/** SSE frames → bytes */
export function sseEncodeStream(): TransformStream<SseFrame, Uint8Array> {
  return new TransformStream<SseFrame, Uint8Array>({
    transform(frame, controller) {
      controller.enqueue(encoder.encode(formatSse(frame)))
    },
  })
}

/** convenience for tests and the echo provider: frames of a whole SSE text */
export function parseSseText(text: string): SseFrame[] {
  const out: SseFrame[] = []
  const p = new SseParser((f) => out.push(f))
  p.feed(text)
  p.flush()
  return out
}
