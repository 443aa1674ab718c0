// The I/O edge of a stream: pulls upstream chunks on demand (back-pressure from the client),
// translates each as it arrives, sends keep-alives while the upstream is silent, ends the stream
// with an error frame when the upstream goes silent past idle_timeout or fails, and aborts the
// upstream fetch when the client goes away.
import { StreamLimitError } from './bounded-stream'
import type { ChunkTranslator, StreamObservation } from './translate-stream'

export interface PumpOutcome {
  observed: StreamObservation
  /** ms since the pump started until the first upstream chunk, if any */
  firstChunkMs?: number
  clientDisconnected: boolean
  /** the stream was cut by the proxy: upstream read failed, went idle, or could not be translated */
  failure?: StreamFailure
}

export interface StreamFailure {
  status: number
  /** for the ledger, metrics and log: upstream_stream_failed | upstream_idle_timeout | translation_failed */
  errorClass: string
  message: string
}

export interface PumpOptions {
  /** the upstream body's reader (the first-output peek already holds it) */
  reader: ReadableStreamDefaultReader<Uint8Array>
  /** client bytes the translator produced before the pump started (the peek), sent first */
  translated?: Uint8Array
  translator: ChunkTranslator
  /** aborts the upstream fetch (client gone, idle timeout) */
  abort: (reason: string) => void
  idleTimeoutMs: number
  /** performance.now() at which the request is over (request_timeout): the stream is cut there */
  deadline?: number
  keepAliveMs: number
  /** bytes sent as a keep-alive (an SSE comment) */
  keepAlive: Uint8Array
  onDone: (outcome: PumpOutcome) => void
}

const PING = new TextEncoder().encode(': ping\n\n')
export const SSE_PING = PING
const EVENT_END = new TextEncoder().encode('\n\n')

/** the last 4 bytes sent, as one number: enough to tell whether they end an SSE event */
const pushTail = (tail: number, b: Uint8Array): number => {
  for (let i = Math.max(0, b.byteLength - 4); i < b.byteLength; i++) tail = ((tail << 8) | b[i]) >>> 0
  return tail
}
/** LF LF, CR CR or CR LF CR LF: a pass-through upstream may pause in the middle of an event */
const endsEvent = (tail: number): boolean => (tail & 0xffff) === 0x0a0a || (tail & 0xffff) === 0x0d0d || tail === 0x0d0a0d0a

export function pumpStream(o: PumpOptions): ReadableStream<Uint8Array> {
  const reader = o.reader
  const started = performance.now()
  let lastUpstream = started
  let lastSent = started
  let firstChunkMs: number | undefined
  let finished = false
  /** the pump cut the upstream: silent past idle_timeout, or past the request's deadline */
  let idleFired = false
  let deadlineFired = false
  /** last bytes sent to the client (starts as if an event had just ended) */
  let tail = 0x0a0a
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined
  let failure: StreamFailure | undefined
  const tick = Math.max(5, Math.min(1000, o.idleTimeoutMs / 4, o.keepAliveMs / 4))

  const timer = setInterval(() => {
    const now = performance.now()
    const overdue = o.deadline !== undefined && now >= o.deadline
    if ((now - lastUpstream > o.idleTimeoutMs || overdue) && !idleFired) {
      idleFired = true
      deadlineFired = overdue
      o.abort('idle')
      // a pending read ends now whether or not the source honours the abort
      reader.cancel().catch(() => {})
      return
    }
    // a keep-alive inside an event the upstream split would corrupt it: wait for its end
    if (now - lastSent >= o.keepAliveMs && controllerRef && endsEvent(tail)) {
      try {
        controllerRef.enqueue(o.keepAlive)
        lastSent = now
      } catch {
        // stream already closed
      }
    }
  }, tick)
  ;(timer as { unref?: () => void }).unref?.()

  const idleMessage = () =>
    deadlineFired
      ? 'the request ran past its time limit (request_timeout); the stream was cut'
      : `upstream sent nothing for ${o.idleTimeoutMs >= 1000 ? `${Math.round(o.idleTimeoutMs / 1000)}s` : `${o.idleTimeoutMs}ms`} (idle_timeout); the stream was cut`
  const cutClass = () => (deadlineFired ? 'request_timeout' : 'upstream_idle_timeout')

  const done = (clientDisconnected: boolean) => {
    if (finished) return
    finished = true
    clearInterval(timer)
    o.onDone({ observed: o.translator.observed, firstChunkMs, clientDisconnected, failure })
  }

  const send = (c: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array | undefined) => {
    if (bytes && bytes.byteLength) {
      c.enqueue(bytes)
      tail = pushTail(tail, bytes)
      lastSent = performance.now()
    }
  }

  /** the error frames that end a failed stream, on an event boundary of their own */
  const sendFailure = (c: ReadableStreamDefaultController<Uint8Array>, status: number, kind: string, message: string, errorClass: string) => {
    failure ??= { status, errorClass, message }
    let bytes: Uint8Array | undefined
    try {
      bytes = o.translator.fail({ status, kind, message })
    } catch {
      bytes = undefined
    }
    if (!bytes || !bytes.byteLength) return
    if (!endsEvent(tail)) send(c, EVENT_END)
    send(c, bytes)
  }

  /**
   * Translate one upstream chunk (and the end, if it came) and send the result. 'more' when nothing
   * could be sent yet, 'sent' when something was, 'closed' when the stream is finished.
   */
  const deliver = (c: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array | undefined, ended: boolean): 'more' | 'sent' | 'closed' => {
    let bytes: Uint8Array | undefined
    let last: Uint8Array | undefined
    try {
      if (chunk && chunk.byteLength) {
        lastUpstream = performance.now()
        if (firstChunkMs === undefined) firstChunkMs = lastUpstream - started
        bytes = o.translator.chunk(chunk)
      }
      if (ended) last = o.translator.end()
    } catch (err) {
      // a bug in a decoder or encoder: end this stream cleanly (one error, request finished,
      // upstream let go) rather than erroring it and leaving the request open
      o.abort('translation failed')
      reader.cancel().catch(() => {})
      const limited = err instanceof StreamLimitError
      const message = limited ? err.message : `llm-proxy could not translate the upstream stream: ${err instanceof Error ? err.message : String(err)}`
      sendFailure(c, 502, 'api_error', message, limited ? 'bad_upstream_response' : 'translation_failed')
      c.close()
      done(false)
      return 'closed'
    }
    if (ended) {
      send(c, bytes)
      send(c, last)
      c.close()
      done(false)
      return 'closed'
    }
    if (!bytes || !bytes.byteLength) return 'more'
    send(c, bytes)
    return 'sent'
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controllerRef = c
        // what the first-output peek produced goes out with the headers, not a pull later
        if (o.translated) {
          firstChunkMs = 0
          send(c, o.translated)
        }
      },
      async pull(c) {
        // loop until something was sent: a pull that enqueues nothing would stall the stream
        for (;;) {
          let chunk: Uint8Array | undefined
          let ended = false
          try {
            // Bun's readMany hands over every chunk already buffered: one translation pass for a
            // burst instead of one per network read
            const r = await reader.readMany()
            ended = r.done
            if (r.value.length === 1) chunk = r.value[0]
            else if (r.value.length > 1) chunk = Buffer.concat(r.value)
          } catch (err) {
            if (finished) return
            const message = idleFired ? idleMessage() : `upstream connection failed mid-stream: ${err instanceof Error ? err.message : String(err)}`
            sendFailure(c, idleFired ? 504 : 502, idleFired ? 'timeout' : 'api_error', message, idleFired ? cutClass() : 'upstream_stream_failed')
            c.close()
            done(false)
            return
          }
          if (finished) return
          if (idleFired) {
            sendFailure(c, 504, 'timeout', idleMessage(), cutClass())
            c.close()
            done(false)
            return
          }
          if (deliver(c, chunk, ended) !== 'more') return
        }
      },
      cancel() {
        // the client went away: stop the upstream too (cancelling the reader alone keeps the socket in Bun)
        o.abort('client disconnected')
        reader.cancel().catch(() => {})
        done(true)
      },
    },
    { highWaterMark: 0 },
  )
}
