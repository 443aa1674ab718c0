// The I/O edge of a stream: pulls upstream chunks on demand (back-pressure from the client),
// translates each as it arrives, sends keep-alives while the upstream is silent, ends the stream
// with an error frame when the upstream goes silent past idle_timeout or fails, and aborts the
// upstream fetch when the client goes away.
import type { ChunkTranslator, StreamObservation } from './translate-stream'

export interface PumpOutcome {
  observed: StreamObservation
  /** ms since the pump started until the first upstream chunk, if any */
  firstChunkMs?: number
  clientDisconnected: boolean
}

export interface PumpOptions {
  /** the upstream body's reader (the first-output peek already holds it) */
  reader: ReadableStreamDefaultReader<Uint8Array>
  /** bytes already read from it, translated and sent first */
  prefix?: Uint8Array
  translator: ChunkTranslator
  /** aborts the upstream fetch (client gone, idle timeout) */
  abort: (reason: string) => void
  idleTimeoutMs: number
  keepAliveMs: number
  /** bytes sent as a keep-alive (an SSE comment) */
  keepAlive: Uint8Array
  onDone: (outcome: PumpOutcome) => void
}

const PING = new TextEncoder().encode(': ping\n\n')
export const SSE_PING = PING

export function pumpStream(o: PumpOptions): ReadableStream<Uint8Array> {
  const reader = o.reader
  let prefix = o.prefix
  const started = performance.now()
  let lastUpstream = started
  let lastSent = started
  let firstChunkMs: number | undefined
  let finished = false
  let idleFired = false
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined
  const tick = Math.max(5, Math.min(1000, o.idleTimeoutMs / 4, o.keepAliveMs / 4))

  const timer = setInterval(() => {
    const now = performance.now()
    if (now - lastUpstream > o.idleTimeoutMs && !idleFired) {
      idleFired = true
      o.abort('idle')
      // a pending read ends now whether or not the source honours the abort
      reader.cancel().catch(() => {})
      return
    }
    if (now - lastSent >= o.keepAliveMs && controllerRef) {
      try {
        controllerRef.enqueue(o.keepAlive)
        lastSent = now
      } catch {
        // stream already closed
      }
    }
  }, tick)
  ;(timer as { unref?: () => void }).unref?.()

  const idleMessage = () => `upstream sent nothing for ${o.idleTimeoutMs >= 1000 ? `${Math.round(o.idleTimeoutMs / 1000)}s` : `${o.idleTimeoutMs}ms`} (idle_timeout); the stream was cut`

  const done = (clientDisconnected: boolean) => {
    if (finished) return
    finished = true
    clearInterval(timer)
    o.onDone({ observed: o.translator.observed, firstChunkMs, clientDisconnected })
  }

  const send = (c: ReadableStreamDefaultController<Uint8Array>, bytes: Uint8Array | undefined) => {
    if (bytes && bytes.byteLength) {
      c.enqueue(bytes)
      lastSent = performance.now()
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controllerRef = c
      },
      async pull(c) {
        // loop until something was sent: a pull that enqueues nothing would stall the stream
        for (;;) {
          let chunk: Uint8Array | undefined
          let ended = false
          try {
            if (prefix) {
              chunk = prefix
              prefix = undefined
            } else {
              // Bun's readMany hands over every chunk already buffered: one translation pass for
              // a burst instead of one per network read
              const r = await reader.readMany()
              ended = r.done
              if (r.value.length === 1) chunk = r.value[0]
              else if (r.value.length > 1) chunk = Buffer.concat(r.value)
            }
          } catch (err) {
            if (finished) return
            const message = idleFired ? idleMessage() : `upstream connection failed mid-stream: ${err instanceof Error ? err.message : String(err)}`
            send(c, o.translator.fail({ status: idleFired ? 504 : 502, kind: idleFired ? 'timeout' : 'api_error', message }))
            c.close()
            done(false)
            return
          }
          if (finished) return
          if (idleFired) {
            send(c, o.translator.fail({ status: 504, kind: 'timeout', message: idleMessage() }))
            c.close()
            done(false)
            return
          }
          let bytes: Uint8Array | undefined
          if (chunk && chunk.byteLength) {
            lastUpstream = performance.now()
            if (firstChunkMs === undefined) firstChunkMs = lastUpstream - started
            bytes = o.translator.chunk(chunk)
          }
          if (ended) {
            send(c, bytes)
            send(c, o.translator.end())
            c.close()
            done(false)
            return
          }
          if (bytes && bytes.byteLength) {
            send(c, bytes)
            return
          }
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
