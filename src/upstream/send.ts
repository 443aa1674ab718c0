// The one place that calls fetch for an upstream. Bounded by the first-byte timeout and tied to the
// client's abort signal; the returned abort() also cuts the body stream later (idle, disconnect).
import { GatewayError } from '../errors'
import { logUpstreamCall } from '../observe/attempt-log'
import type { UpstreamRequestInit } from './build-request'

/** what sendUpstream sends: a generation request (POST, JSON text), or an API call forwarded as it came */
export type Sendable = Omit<UpstreamRequestInit, 'body'> & { body: string | ReadableStream<Uint8Array> | null; method?: string }

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export interface SentUpstream {
  response: Response
  abort: (reason: string) => void
}

export interface SendOptions {
  fetch: FetchLike
  /** headers must arrive within this many ms */
  firstByteTimeoutMs: number
  /** the client's signal: its disconnect aborts the upstream */
  clientSignal?: AbortSignal
  providerName: string
  /** debug lines per call (logging.level debug) */
  log?: { debug(msg: string, fields?: Record<string, unknown>): void; enabled?(level: 'debug'): boolean }
}

export async function sendUpstream(req: Sendable, o: SendOptions): Promise<SentUpstream> {
  const ctl = new AbortController()
  const abort = (reason: string) => {
    if (!ctl.signal.aborted) ctl.abort(new DOMException(reason, 'AbortError'))
  }
  const onClientAbort = () => abort('client disconnected')
  if (o.clientSignal) {
    if (o.clientSignal.aborted) abort('client disconnected')
    else o.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  }
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    abort('first byte timeout')
  }, o.firstByteTimeoutMs)
  const sentAt = performance.now()
  try {
    const response = await o.fetch(req.url, {
      method: req.method ?? 'POST',
      headers: req.headers,
      body: req.body,
      // a streamed body goes up as it arrives (multipart uploads, audio)
      ...(req.body instanceof ReadableStream && { duplex: 'half' }),
      signal: ctl.signal,
      // Bun: no automatic decompression surprises; we forward bytes as they are
      decompress: true,
      // a redirect would carry the key and the body to wherever the Location points
      redirect: 'manual',
    } as RequestInit)
    logUpstreamCall(o.log, { provider: o.providerName, url: req.url, status: response.status, headersMs: performance.now() - sentAt })
    if (response.status >= 300 && response.status < 400) {
      abort('redirect refused')
      const to = response.headers.get('location')
      throw new GatewayError(502, `provider ${o.providerName} answered with a redirect (${response.status}${to ? ` to ${safeOrigin(to)}` : ''}), which the proxy never follows: check its base_url`, {
        code: 'bad_upstream_response',
        retryable: true,
      })
    }
    return { response, abort }
  } catch (err) {
    o.clientSignal?.removeEventListener('abort', onClientAbort)
    if (err instanceof GatewayError) throw err
    logUpstreamCall(o.log, { provider: o.providerName, url: req.url, headersMs: performance.now() - sentAt, error: timedOut ? 'first byte timeout' : String((err as Error)?.message ?? err) })
    if (timedOut)
      throw new GatewayError(504, `provider ${o.providerName} sent no response within ${formatMs(o.firstByteTimeoutMs)} (first_byte_timeout)`, {
        code: 'upstream_timeout',
        kind: 'timeout',
        retryable: true,
      })
    if (o.clientSignal?.aborted) throw new GatewayError(499, 'client disconnected', { code: 'client_closed', retryable: false })
    // Bun appends a debugging hint meant for the fetch caller, not for our client
    const detail = (err instanceof Error ? err.message : String(err)).replace(/ For more information, pass `verbose: true`.*$/, '')
    throw new GatewayError(502, `could not reach provider ${o.providerName}: ${detail}`, {
      code: 'upstream_unreachable',
      kind: 'api_error',
      retryable: true,
      cause: err,
    })
  } finally {
    clearTimeout(timer)
  }
}

/** where a redirect pointed, without its path or query (they may carry anything) */
function safeOrigin(location: string): string {
  try {
    return new URL(location).origin
  } catch {
    return 'an invalid location'
  }
}

const formatMs = (ms: number): string => (ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 1000)}s`)
