// Reading an upstream body with bounds: every read must bring bytes within the idle timeout and
// before the request's deadline, or the upstream is let go. A body that breaks while being read
// (corrupt gzip, fewer bytes than its content-length, a reset) is the upstream's fault: a 502
// bad_upstream_response, retryable, so the plan fails over when nothing reached the client yet.
import { GatewayError } from '../errors'
import { responseLimits, responseTooLarge } from './read-bounded'

export interface BodyBounds {
  providerName: string
  /** the longest silence between two reads */
  idleMs: number
  /** performance.now() past which the request is over (request_timeout); Infinity: none */
  deadline: number
  /** aborts the upstream fetch */
  abort: (reason: string) => void
  /** the most bytes a whole-body read may take (max_response_size) */
  maxBytes: number
}

const fmt = (ms: number): string => (ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 100) / 10}s`)

function timeoutError(b: BodyBounds, byDeadline: boolean): GatewayError {
  const message = byDeadline
    ? `provider ${b.providerName} was still sending its answer when the request ran out of time (request_timeout)`
    : `provider ${b.providerName} stopped sending its answer for ${fmt(b.idleMs)} (idle_timeout)`
  return new GatewayError(504, message, { code: 'upstream_timeout', kind: 'timeout', retryable: true })
}

export function badBodyError(providerName: string, err: unknown): GatewayError {
  const detail = (err instanceof Error ? err.message : String(err)).replace(/ For more information, pass `verbose: true`.*$/, '')
  return new GatewayError(502, `provider ${providerName} sent a body that could not be read: ${detail}`, {
    code: 'bad_upstream_response',
    retryable: true,
    cause: err,
  })
}

/**
 * `work` (a read of the body), bounded by the idle timeout and the deadline: on a timeout the
 * upstream is let go (and `onTimeout` runs); rejects with a GatewayError, timeout or unreadable body.
 */
async function withinBounds<T>(work: Promise<T>, b: BodyBounds, onTimeout?: () => void): Promise<T> {
  const left = b.deadline - performance.now()
  const byDeadline = left <= b.idleMs
  let timer: ReturnType<typeof setTimeout> | undefined
  let timedOut = false
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true
      b.abort(byDeadline ? 'request timeout' : 'idle')
      onTimeout?.()
      reject(timeoutError(b, byDeadline))
    }, Math.max(0, Math.min(b.idleMs, left)))
  })
  try {
    return await Promise.race([work, timeout])
  } catch (err) {
    // the loser must not surface as an unhandled rejection
    work.catch(() => {})
    if (err instanceof GatewayError) throw err
    // the abort may reject the work before the timer's own rejection lands
    if (timedOut) throw timeoutError(b, byDeadline)
    throw badBodyError(b.providerName, err)
  } finally {
    clearTimeout(timer)
  }
}

/** One read, bounded; rejects with a GatewayError (timeout or unreadable body). */
export function boundedRead(reader: ReadableStreamDefaultReader<Uint8Array>, b: BodyBounds): Promise<{ done: boolean; value?: Uint8Array }> {
  return withinBounds(reader.read(), b, () => reader.cancel().catch(() => {}))
}

/** The whole body as text, every read bounded; a body over maxBytes is refused by its
 *  content-length before reading, else as soon as it passes the bound (the upstream let go). */
export async function readBodyText(res: Response, b: BodyBounds): Promise<string> {
  if (!res.body) return ''
  const tooLarge = () => {
    b.abort('response too large')
    return responseTooLarge(b.providerName, b.maxBytes)
  }
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > b.maxBytes) {
    res.body.cancel().catch(() => {})
    throw tooLarge()
  }
  if (declared <= SMALL_BODY && !res.headers.has('content-encoding')) return readSmallBody(res, b)
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  for (;;) {
    const r = await boundedRead(reader, b)
    if (r.done) return text + decoder.decode()
    if (!r.value) continue
    size += r.value.byteLength
    if (size > b.maxBytes) {
      reader.cancel().catch(() => {})
      throw tooLarge()
    }
    text += decoder.decode(r.value, { stream: true })
  }
}

/** what readSmallBody takes: one network read or a few, the size of most non-streamed answers */
const SMALL_BODY = 64 * 1024

/**
 * A body of known length up to SMALL_BODY, not content-encoded (so it cannot grow when decoded),
 * read in one call under one timer. Reading it chunk by chunk cost a reader, a timer and a
 * Promise.race per read: 11 % of the non-streamed pass-through's in-process profile, ~10 µs of
 * its ~40 µs (hack A/B, bench/cpu-breakdown.ts). The whole body must arrive within idle_timeout
 * (and before the deadline): for a few KiB sent at once, a longer silence is a stall either way.
 */
function readSmallBody(res: Response, b: BodyBounds): Promise<string> {
  return withinBounds(res.text(), b)
}

/** The body as a stream whose reads are bounded; `onFail` hears why it was cut (once). */
export function boundedStream(body: ReadableStream<Uint8Array>, b: BodyBounds, onFail: (err: GatewayError) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader()
  return new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        let r
        try {
          r = await boundedRead(reader, b)
        } catch (err) {
          const g = err instanceof GatewayError ? err : badBodyError(b.providerName, err)
          onFail(g)
          c.error(g)
          return
        }
        if (r.done) c.close()
        else if (r.value) c.enqueue(r.value)
      },
      cancel(reason) {
        b.abort('client disconnected')
        return reader.cancel(reason).catch(() => {})
      },
    },
    { highWaterMark: 0 },
  )
}

/** every read of one attempt's upstream body: the provider's idle_timeout, and the request's deadline */
export function bodyBounds(
  state: { life: { started: number } },
  attempt: { provider: { name: string; idle_timeout: number; max_response_size?: number } },
  ctx: { config: { server: { request_timeout: number; max_response_size?: number } } },
  abort: (reason: string) => void,
): BodyBounds {
  const total = ctx.config.server.request_timeout
  return {
    providerName: attempt.provider.name,
    idleMs: attempt.provider.idle_timeout,
    deadline: total > 0 ? state.life.started + total : Infinity,
    abort,
    maxBytes: responseLimits(attempt.provider, ctx.config.server).response,
  }
}
