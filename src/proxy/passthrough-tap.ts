// Same-dialect (pass-through) streams: the upstream's bytes go to the client as they came, and a
// tap reads usage, errors and the finish off them for the ledger and the log. The tap works on the
// bytes: a read costs a few native searches (the needles `"usage` and `"error"`, the blank lines
// between events), and only the whole events that hold a needle are decoded to text and parsed.
// That saves the per-read TextDecoder pass, the string sample and the substring scans of the
// string tap it replaced (test/helpers/passthrough-tap-reference.ts): on the server bench's
// 20-chunk OpenAI Chat stream (`"usage":null` on every chunk), 8.5 → 4.1 µs CPU per stream read in
// one piece and 12.4 → 10.2 µs read one event per read; 2,000-delta streams 0.16–0.30 → 0.12–0.14
// µs per event a frame per read, 0.16–0.35 → 0.04–0.08 in 64 KiB reads (medians of 3 runs of
// `taskset -c 0 bun bench/passthrough-tap.ts`).
// A stream whose line ends are not plain LF (a CR seen) goes through the SSE parser as text.
import type { CanonEvent } from '../canonical/event'
import type { Dialect } from '../dialects/dialect'
import { formatSse, SseParser, type SseFrame } from '../framing/sse'
import { deferCount } from '../tokens/delivered-output'
import { newObservation, observe, toBytes, type OpeningTranslator, type StreamError } from './translate-stream'

/** one options object for every decode call */
const STREAM = { stream: true }

/** A pass-through stream keeps its first events as they came (never decoded on the way): they are
 *  decoded only if the stream ends without usage, and what they delivered per event scales to
 *  the rest (see DeliveredOutput). Counted in events, so the figure does not depend on how the
 *  network split the bytes. */
const SAMPLE_EVENTS = 32

const LFLF = Buffer.from('\n\n')
const USAGE = Buffer.from('"usage')
const ERROR = Buffer.from('"error"')
const DATA = Buffer.from('data:')
const CR = 13
const LF = 10

const bufferIndexOf = Buffer.prototype.indexOf
const bufferLastIndexOf = Buffer.prototype.lastIndexOf
/** Buffer's native search, on the chunk itself: wrapping each chunk in a Buffer view would cost
 *  as much as a search (~50 ns) */
const find = (b: Uint8Array, v: Uint8Array | number, from: number): number => bufferIndexOf.call(b as Buffer, v, from)
const findLast = (b: Uint8Array, v: Uint8Array, from: number): number => bufferLastIndexOf.call(b as Buffer, v, from)
const NONE = new Uint8Array(0)
/** for whole events (never cut inside a character): no state is kept between its calls */
const eventDecoder = new TextDecoder()

/**
 * The sampled bytes, kept as views of the reads themselves: the chunks go on to the client
 * unchanged and Bun neither reuses nor detaches an enqueued chunk (test/unit/proxy/
 * enqueued-chunks.test.ts checks it on a real server), so nothing is copied on the way. Copying
 * them into one buffer cost 3.5 % of the pass-through stream's server profile (~5 µs per
 * 20-chunk stream); they are joined only when a stream ends without usage (decodeSample).
 */
class ByteLog {
  private parts: Uint8Array[] = []

  append(b: Uint8Array): void {
    if (b.byteLength) this.parts.push(b)
  }

  bytes(): Uint8Array {
    return this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts)
  }
}

/**
 * Where, at or after `from` in `b`, the next `"usage` with a value other than null is (`"usage":null`
 * is in every OpenAI Chat chunk), -1 if none. Like carriesUsage below, on bytes; a line end between
 * the name and its colon (JSON split over `data:` lines) counts as usage, for the parser to decide.
 */
function nextUsage(b: Uint8Array, from: number): number {
  let colon = -1
  /** b[…, clean) before the colon holds no line end */
  let clean = 0
  for (let i = find(b, USAGE, from); i !== -1; i = find(b, USAGE, i + 6)) {
    // one colon search serves every `"usage` before it
    if (colon < i + 6) {
      // `"usage":` as upstreams write it, read in place
      colon = b[i + 6] === 34 && b[i + 7] === 58 ? i + 7 : find(b, 58 /* : */, i + 6)
      if (colon === -1) return -1
      clean = i + 6
    }
    for (let k = Math.max(clean, i + 6); k < colon; k++) if (b[k] === LF) return i
    clean = colon
    let j = colon + 1
    while (b[j] === 32) j++
    if (b[j] !== 110 /* n(ull) */) return i
  }
  return -1
}

/** where the event holding b[at] starts: after the last blank line before it (events counted from `from`) */
function eventStart(b: Uint8Array, from: number, at: number): number {
  const p = findLast(b, LFLF, at)
  if (p < from) return from
  if (p === from || b[p - 1] !== LF) return p + 2
  // a run of three or more LFs: where the event starts depends on where the counting started
  let s = from
  for (let i = find(b, LFLF, from); i !== -1 && i + 2 <= at; i = find(b, LFLF, i + 2)) s = i + 2
  return s
}

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
  /** the first events: LF bytes of whole events, then frames (a stream with CR line ends) */
  private readonly sampleBytes = new ByteLog()
  private readonly sampleFrames: SseFrame[] = []
  private feeding = false

  constructor(private readonly dialect: Dialect) {
    const dec = dialect.decodeStream()
    const onEvent = (ev: CanonEvent) => observe(this.observed, ev)
    this.parser = new SseParser((frame) => {
      const first = !this.opened
      this.opened = true
      // frames come from whole events (look, which counts its own) or raw CR text (feed)
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
      parser.feed(new TextDecoder().decode(this.sampleBytes.bytes()))
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

  /**
   * LF events b[from, to): whole ones (each ends in a blank line), and at the stream's end maybe a
   * last one without it. Only the events that hold usage or an error are decoded and parsed, found
   * straight from the needle; the others are counted, sampled and skipped. `hit` hears of each
   * event read, with its text.
   */
  look(b: Uint8Array, from: number, to: number, hit?: (start: number, end: number, text: string) => void): void {
    this.sample(b, from, to)
    let usage = nextUsage(b, from)
    let error = find(b, ERROR, from)
    for (let start = from; ; ) {
      const u = usage !== -1 && usage < to ? usage : to
      const h = error !== -1 && error < u ? error : u
      if (h === to) {
        // skipped events: none of them is an error, the first one included
        if (!this.opened) this.openIfData(b, start, to)
        return
      }
      const s = eventStart(b, start, h)
      if (!this.opened) this.openIfData(b, start, s)
      const blank = find(b, LFLF, h)
      const end = blank === -1 || blank + 2 > to ? to : blank + 2
      const text = eventDecoder.decode(s === 0 && end === b.byteLength ? b : b.subarray(s, end))
      this.parser.feed(text)
      hit?.(s, end, text)
      start = end
      if (usage !== -1 && usage < end) usage = nextUsage(b, end)
      if (error !== -1 && error < end) error = find(b, ERROR, end)
    }
  }

  /** skipped events b[from, to) open the stream if one of them has data */
  private openIfData(b: Uint8Array, from: number, to: number): void {
    const data = find(b, DATA, from)
    if (data !== -1 && data < to) this.opened = true
  }

  /** counts the whole events in b[from, to) and keeps the first SAMPLE_EVENTS of them */
  private sample(b: Uint8Array, from: number, to: number): void {
    let n = 0
    // the search after the blank line that ends the block would find nothing in it
    const next = (i: number) => (i + 2 < to ? find(b, LFLF, i + 2) : -1)
    let i = find(b, LFLF, from)
    if (this.sampled >= SAMPLE_EVENTS) {
      for (; i !== -1 && i + 2 <= to; i = next(i)) n++
      return this.counted(n)
    }
    for (; i !== -1 && i + 2 <= to; i = next(i)) {
      n++
      if (this.sampled + n === SAMPLE_EVENTS) this.sampleBytes.append(b.subarray(from, i + 2))
    }
    if (this.sampled + n < SAMPLE_EVENTS) this.sampleBytes.append(b.subarray(from, to))
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

/** the bytes of an event in progress, kept across reads. Copied, though views would stay valid
 *  as ByteLog's do: it is at most one event's tail per read, and keeping views measured no
 *  different (bench/passthrough-tap.ts, 2 interleaved runs), so nothing here leans on that. */
class Pending {
  private parts: Uint8Array[] = []
  length = 0

  add(b: Uint8Array): void {
    if (b.byteLength === 0) return
    this.parts.push(b.slice())
    this.length += b.byteLength
  }

  lastByte(): number {
    const p = this.parts[this.parts.length - 1]
    return p ? p[p.byteLength - 1]! : -1
  }

  /** the pending bytes then `b`, and nothing pending */
  take(b: Uint8Array): Uint8Array {
    if (this.length === 0) return b
    const out = Buffer.concat([...this.parts, b])
    this.parts = []
    this.length = 0
    return out
  }
}

/** a translator made of the tap's findings and the stream's own chunk, end and fail */
function overTap(tap: UsageTap, io: Pick<OpeningTranslator, 'chunk' | 'end' | 'fail'>): OpeningTranslator {
  return {
    observed: tap.observed,
    get opened() {
      return tap.opened
    },
    get openingError() {
      return tap.openingError
    },
    chunk: io.chunk,
    end: io.end,
    fail: io.fail,
  }
}

/**
 * Same dialect on both sides: bytes go out exactly as they came (the same arrays). The tap reads
 * whole events, so the many that carry neither usage nor an error are never decoded, let alone
 * parsed.
 */
export function passthroughStream(dialect: Dialect): OpeningTranslator {
  const tap = new UsageTap(dialect)
  const pending = new Pending()
  /** set once a CR was seen: line ends are not just LF, every byte goes through the parser as text */
  let decoder: TextDecoder | undefined
  const read = (b: Uint8Array) => {
    if (decoder) return tap.feed(decoder.decode(b, STREAM))
    if (find(b, CR, 0) !== -1) {
      decoder = new TextDecoder()
      return tap.feed(decoder.decode(pending.take(b), STREAM))
    }
    // only the new bytes are searched for the last boundary, so a long event arriving in many
    // pieces is not rescanned
    const cut = findLast(b, LFLF, b.byteLength)
    let end: number
    if (cut !== -1) end = cut + 2
    else if (b[0] === LF && pending.lastByte() === LF) end = 1 // a blank line split over two reads
    else return pending.add(b)
    const before = pending.length
    const events = pending.take(b)
    tap.look(events, 0, before + end)
    if (end < b.byteLength) pending.add(b.subarray(end))
  }
  let closed = false
  return overTap(tap, {
    chunk(bytes) {
      if (!closed && bytes.byteLength) read(bytes)
      return bytes
    },
    end() {
      if (closed) return undefined
      closed = true
      if (decoder) tap.feed(decoder.decode())
      else if (pending.length) {
        const rest = pending.take(NONE)
        tap.look(rest, 0, rest.byteLength)
      }
      tap.flush()
      return undefined
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      return tap.fail(err)
    },
  })
}

/**
 * Same dialect, but some frames are the proxy's alone (a usage chunk it asked for and the client
 * did not): whole events go out as they came, except those `hide` names (it is asked only of
 * events that carry usage or an error). Events are forwarded once complete, so one is never half
 * sent; a read of whole events with nothing hidden goes out as the same array. A stream with CR
 * line ends is forwarded untouched (hiding needs LF event boundaries).
 */
export function filteredPassthroughStream(dialect: Dialect, hide: (data: string) => boolean): OpeningTranslator {
  const tap = new UsageTap(dialect)
  const held = new Pending()
  /** set once a CR was seen: everything is forwarded as it came, read as text */
  let decoder: TextDecoder | undefined
  let closed = false
  /** whole events b[0, to) (and at the end, b[to, …) after them) → what the client gets */
  const filter = (b: Uint8Array, to: number): Uint8Array | undefined => {
    let cuts: number[] | undefined
    tap.look(b, 0, to, (start, end, text) => {
      // a single `data:` line: its data decides
      const single = text.startsWith('data: ') && text.indexOf('\n') === text.length - 2
      if (single && hide(text.slice(6, -2))) (cuts ??= []).push(start, end)
    })
    if (!cuts) return b.byteLength ? b : undefined
    const kept: Uint8Array[] = []
    let at = 0
    for (let i = 0; i < cuts.length; i += 2) {
      if (cuts[i]! > at) kept.push(b.subarray(at, cuts[i]))
      at = cuts[i + 1]!
    }
    if (at < b.byteLength) kept.push(b.subarray(at))
    return kept.length ? Buffer.concat(kept) : undefined
  }
  return overTap(tap, {
    chunk(b) {
      if (closed) return undefined
      if (decoder) {
        tap.feed(decoder.decode(b, STREAM))
        return b
      }
      if (find(b, CR, 0) !== -1) {
        const all = held.take(b)
        decoder = new TextDecoder()
        tap.feed(decoder.decode(all, STREAM))
        return all
      }
      // an event still in progress (a blank line split over two reads ends one)
      if (find(b, LFLF, 0) === -1 && !(b[0] === LF && held.lastByte() === LF)) {
        held.add(b)
        return undefined
      }
      const all = held.take(b)
      const cut = findLast(all, LFLF, all.byteLength)
      held.add(all.subarray(cut + 2))
      // nothing held or hidden: the very array that came in
      return filter(cut + 2 === all.byteLength ? all : all.subarray(0, cut + 2), cut + 2)
    },
    end() {
      if (closed) return undefined
      closed = true
      if (decoder) {
        tap.feed(decoder.decode())
        tap.flush()
        return undefined
      }
      const rest = held.take(NONE)
      if (rest.byteLength === 0) {
        tap.flush()
        return undefined
      }
      // a last event without its blank line: read as if it had one, sent as it came
      const out = filter(Buffer.concat([rest, LFLF]), rest.byteLength + 2)
      tap.flush()
      const endsEvent = (x: Uint8Array) => x.byteLength >= 2 && x[x.byteLength - 1] === LF && x[x.byteLength - 2] === LF
      return out && endsEvent(out) && !endsEvent(rest) ? out.subarray(0, out.byteLength - 2) : out
    },
    fail(err) {
      if (closed) return undefined
      closed = true
      // the event in progress was never sent: it is dropped with the stream
      held.take(NONE)
      return tap.fail(err)
    },
  })
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
