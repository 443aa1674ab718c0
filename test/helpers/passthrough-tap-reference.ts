// The pass-through tap as it was before it read bytes (string decode of every chunk, SSE parse of
// every read that held usage or an error), kept as the reference the byte-level tap in
// src/proxy/passthrough-tap.ts must match (test/unit/proxy/passthrough-tap-bytes.test.ts) and is
// measured against (bench/passthrough-tap.ts). What an event tells the ledger (observe) is shared
// with the product: the tap's reading of the bytes is what is compared. Not used by the product.
import type { CanonEvent } from '../../src/canonical/event'
import type { Dialect } from '../../src/dialects/dialect'
import { formatSse, SseParser, type SseFrame } from '../../src/framing/sse'
import { newObservation, observe, toBytes, type OpeningTranslator, type StreamError } from '../../src/proxy/translate-stream'
import { deferCount } from '../../src/tokens/delivered-output'

const STREAM = { stream: true }

/** A pass-through stream keeps its first events as they came (never decoded on the way): they are
 *  decoded only if the stream ends without usage, and what they delivered per event scales to
 *  the rest (see DeliveredOutput). Counted in events, so the figure does not depend on how the
 *  network split the bytes. */
const SAMPLE_EVENTS = 32

/** Reads usage and errors off a same-dialect stream, for the ledger and the log. */
class UsageTap {
  readonly observed = newObservation()
  /** a whole event went by (read or skipped) */
  opened = false
  /** the first event was an error */
  openingError: StreamError | undefined
  private readonly parser: SseParser
  private events = 0
  private sampled = 0
  /** the first events: LF text of whole events, then frames (a stream with CR line ends) */
  private sampleText = ''
  private readonly sampleFrames: SseFrame[] = []
  private feeding = false

  constructor(private readonly dialect: Dialect) {
    const dec = dialect.decodeStream()
    const onEvent = (ev: CanonEvent) => observe(this.observed, ev)
    this.parser = new SseParser((frame) => {
      const first = !this.opened
      this.opened = true
      // frames come from whole-event text (look, which counts its own) or raw CR text (feed)
      if (this.feeding) {
        if (this.sampled < SAMPLE_EVENTS) {
          this.sampled++
          this.sampleFrames.push(frame)
        }
        this.counted(1)
      }
      const d = frame.data
      if (carriesUsage(d) || d.includes('"error"')) dec.push(frame, onEvent)
      if (first) this.openingError = this.observed.error
    })
    deferCount(this.observed.delivered, () => this.decodeSample())
  }

  private counted(events: number): void {
    this.events += events
    this.observed.delivered.scale = this.sampled > 0 ? this.events / this.sampled : 1
  }

  /** what the sampled events delivered, into observed.delivered */
  private decodeSample(): void {
    const dec = this.dialect.decodeStream()
    const delivered = this.observed.delivered
    const onEvent = (ev: CanonEvent) => {
      if (ev.type === 'text_delta' || ev.type === 'reasoning_delta') delivered.add(ev.text)
      else if (ev.type === 'tool_args_delta') delivered.add(ev.json)
    }
    try {
      const parser = new SseParser((frame) => dec.push(frame, onEvent))
      parser.feed(this.sampleText)
      parser.flush()
      for (const f of this.sampleFrames) dec.push(f, onEvent)
    } catch {
      // an estimate: a sample the decoder refuses counts what it gave so far
    }
  }

  /** any text, split anywhere (a stream whose line ends are not plain LF) */
  feed(text: string): void {
    this.feeding = true
    try {
      this.parser.feed(text)
    } finally {
      this.feeding = false
    }
  }

  /** whole events, pre-filtered with two substring searches: true when they were read */
  look(events: string): boolean {
    this.sample(events)
    if (!carriesUsage(events) && !events.includes('"error"')) {
      // skipped events: none of them is an error, the first one included
      if (!this.opened && events.includes('data:')) this.opened = true
      return false
    }
    this.parser.feed(events)
    return true
  }

  /** counts whole LF events and keeps the first SAMPLE_EVENTS of them */
  private sample(events: string): void {
    let n = 0
    for (let i = events.indexOf('\n\n'); i !== -1; i = events.indexOf('\n\n', i + 2)) {
      n++
      if (this.sampled + n === SAMPLE_EVENTS) this.sampleText += events.slice(0, i + 2)
    }
    if (this.sampled + n < SAMPLE_EVENTS) this.sampleText += events
    this.sampled = Math.min(SAMPLE_EVENTS, this.sampled + n)
    this.counted(n)
  }

  flush(): void {
    this.parser.flush()
  }

  /** the upstream failed: the client's error frames */
  fail(err: StreamError): Uint8Array | undefined {
    this.observed.error = err
    let s = ''
    for (const f of this.dialect.streamErrorFrames(err)) s += formatSse(f)
    return toBytes(s)
  }
}

/** the index of the last blank line in LF text, -1 if none (most reads end on one: checked first) */
function lastBoundary(text: string): number {
  const n = text.length
  return n > 1 && text.charCodeAt(n - 1) === 10 && text.charCodeAt(n - 2) === 10 ? n - 2 : text.lastIndexOf('\n\n')
}

/**
 * Same dialect on both sides: bytes go out exactly as they came. The tap reads whole events, so
 * the many that carry neither usage nor an error are never split into lines, let alone parsed.
 */
export function referencePassthroughStream(dialect: Dialect): OpeningTranslator {
  const decoder = new TextDecoder()
  const tap = new UsageTap(dialect)
  /** text of the event in progress (after the last blank line) */
  let pending = ''
  /** a CR was seen: line ends are not just LF, every byte goes through the parser */
  let crlf = false
  const read = (text: string) => {
    if (crlf || text.indexOf('\r') !== -1) {
      if (!crlf) {
        crlf = true
        text = pending + text
        pending = ''
      }
      tap.feed(text)
      return
    }
    // only the new text is searched for the last boundary, so a long event arriving in many
    // pieces is not rescanned
    const cut = lastBoundary(text)
    let end: number
    if (cut !== -1) end = cut + 2
    else if (text.charCodeAt(0) === 10 && pending.charCodeAt(pending.length - 1) === 10) end = 1 // a blank line split over two reads
    else {
      pending += text
      return
    }
    tap.look(pending + text.slice(0, end))
    pending = text.slice(end)
  }
  let closed = false
  return {
    observed: tap.observed,
    get opened() {
      return tap.opened
    },
    get openingError() {
      return tap.openingError
    },
    chunk(bytes) {
      if (!closed) read(decoder.decode(bytes, STREAM))
      return bytes
    },
    end() {
      if (closed) return undefined
      closed = true
      const rest = decoder.decode()
      if (crlf) tap.feed(rest)
      else tap.look(pending + rest)
      pending = ''
      tap.flush()
      return undefined
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      return tap.fail(err)
    },
  }
}

/**
 * Same dialect, but some frames are the proxy's alone (a usage chunk it asked for and the client
 * did not): whole events go out as they came, except those `hide` names. Events are forwarded
 * once complete, so one is never half sent. A stream with CR line ends is forwarded untouched
 * (hiding needs LF event boundaries).
 */
export function referenceFilteredPassthroughStream(dialect: Dialect, hide: (data: string) => boolean): OpeningTranslator {
  const decoder = new TextDecoder()
  const tap = new UsageTap(dialect)
  /** the event in progress, held until complete */
  let held = ''
  let raw = false
  let closed = false
  /** complete events (text ending in a blank line) → what the client gets */
  const filter = (events: string): string => {
    // only an event with usage can be hidden
    if (!tap.look(events)) return events
    let out = ''
    let start = 0
    for (let end = events.indexOf('\n\n'); end !== -1; end = events.indexOf('\n\n', start)) {
      const event = events.slice(start, end + 2)
      start = end + 2
      // a single `data:` line: its data decides
      const single = event.startsWith('data: ') && event.indexOf('\n') === event.length - 2
      if (!(single && hide(event.slice(6, -2)))) out += event
    }
    return out + events.slice(start)
  }
  return {
    observed: tap.observed,
    get opened() {
      return tap.opened
    },
    get openingError() {
      return tap.openingError
    },
    chunk(bytes) {
      if (closed) return undefined
      const text = decoder.decode(bytes, STREAM)
      if (raw || text.indexOf('\r') !== -1) {
        const out = held + text
        held = ''
        raw = true
        tap.feed(out)
        return toBytes(out)
      }
      const all = held + text
      const cut = lastBoundary(all)
      if (cut === -1) {
        held = all
        return undefined
      }
      held = all.slice(cut + 2)
      return toBytes(filter(all.slice(0, cut + 2)))
    },
    end() {
      if (closed) return undefined
      closed = true
      const rest = held + decoder.decode()
      held = ''
      if (raw) {
        tap.feed(rest)
        tap.flush()
        return toBytes(rest)
      }
      // a last event without its blank line
      const out = rest ? filter(`${rest}\n\n`) : ''
      tap.flush()
      return toBytes(out.endsWith('\n\n') && !rest.endsWith('\n\n') ? out.slice(0, -2) : out)
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      // the event in progress was never sent: it is dropped with the stream
      held = ''
      return tap.fail(err)
    },
  }
}

/** true when a frame has a usage object (OpenAI streams put `"usage":null` in every chunk) */
function carriesUsage(d: string): boolean {
  for (let i = d.indexOf('"usage'); i !== -1; i = d.indexOf('"usage', i + 6)) {
    let j = d.indexOf(':', i + 6)
    if (j === -1) return false
    do j++
    while (d.charCodeAt(j) === 32)
    if (d.charCodeAt(j) !== 110 /* n(ull) */) return true
  }
  return false
}

