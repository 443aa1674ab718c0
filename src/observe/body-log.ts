// `logging.bodies: true`: log what a client sent and what it got back, to debug a client. Each
// body is capped (the first BODY_LOG_CAP bytes, marked truncated), JSON string values under
// credential-like names are replaced, and the logger then redacts every registered key. The
// request is read from a clone and the response through a copying tap: the proxy's own handling
// and streaming are unchanged. Off: one boolean check per request.

export const BODY_LOG_CAP = 8 * 1024
export const REDACTED_VALUE = '[REDACTED]'

type InfoLog = { info(msg: string, fields?: Record<string, unknown>): void }
type Handler<A extends unknown[]> = (req: Request, ...rest: A) => Response | Promise<Response>

/** "api_key": "…", "authorization": "…", "x-api-key": "…", "client_secret": "…" and the like. */
const CREDENTIAL_FIELD = /("[^"\\]{0,64}(?:api[_-]?key|authorization|secret|password|access[_-]?token|refresh[_-]?token|id[_-]?token|bearer)[^"\\]{0,64}"\s*:\s*)"(?:[^"\\]|\\.)*"/gi

export function redactBody(text: string): string {
  return text.replace(CREDENTIAL_FIELD, `$1"${REDACTED_VALUE}"`)
}

/** Keeps the first `cap` bytes of everything passed through it. */
class Capture {
  private readonly parts: Uint8Array[] = []
  private kept = 0
  total = 0
  constructor(private readonly cap: number) {}
  add(chunk: Uint8Array): void {
    this.total += chunk.byteLength
    if (this.kept >= this.cap) return
    const part = chunk.byteLength <= this.cap - this.kept ? chunk : chunk.subarray(0, this.cap - this.kept)
    this.parts.push(part)
    this.kept += part.byteLength
  }
  text(): string {
    // a cut through a multi-byte character decodes as U+FFFD, never throws
    return new TextDecoder().decode(Buffer.concat(this.parts))
  }
  get truncated(): boolean {
    return this.total > this.kept
  }
}

async function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Capture> {
  const c = new Capture(cap)
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      c.add(value)
      if (c.total > cap) break
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return c
}

const fields = (c: Capture, cap: number) => ({ bytes: c.truncated ? `>${cap}` : c.total, truncated: c.truncated || undefined, body: redactBody(c.text()) })

export function withBodyLog<A extends unknown[]>(handler: Handler<A>, current: () => { enabled: boolean; log: InfoLog }, cap = BODY_LOG_CAP): Handler<A> {
  // not an async function itself: with logging.bodies off (the default) a request costs one
  // check here, not an extra promise
  return (req, ...rest) => {
    const { enabled, log } = current()
    // API calls only: health probes and /metrics scrapes would drown them
    if (!enabled || req.method !== 'POST') return handler(req, ...rest)
    return logged(req, rest, log)
  }

  async function logged(req: Request, rest: A, log: InfoLog): Promise<Response> {
    const path = new URL(req.url).pathname
    // the copy is read beside the handler, not before it: a client trickling its body meets the
    // handler's own read limits, not a wait here first
    if (req.body)
      void readCapped(req.clone().body!, cap).then(
          (c) => log.info('client request body', { method: req.method, path, ...fields(c, cap) }),
          () => {},
        )
    const res = await handler(req, ...rest)
    const requestId = res.headers.get('x-request-id') ?? undefined
    if (!res.body) return res
    const c = new Capture(cap)
    const done = (how?: string) => log.info('client response body', { request_id: requestId, path, status: res.status, ...fields(c, cap), ended: how })
    const tap = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        c.add(chunk)
        ctl.enqueue(chunk)
      },
      flush: () => done(),
      cancel: () => done('client disconnected'),
    } as Transformer<Uint8Array, Uint8Array>)
    return new Response(res.body.pipeThrough(tap), { status: res.status, statusText: res.statusText, headers: res.headers })
  }
}
