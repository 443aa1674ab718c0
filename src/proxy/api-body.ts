// The bodies of an API pass-through call. In: a JSON body is read (bounded) so its model can
// route and be replaced; any other body (multipart uploads, audio) streams through as it comes,
// counted against max_body_size. Out: the answer streams back untouched while a bounded head and
// tail of a JSON answer are kept to read the usage it reports.
import type { CanonUsage } from '../canonical/usage'
import type { PassthroughApi } from '../dialects/dialect'
import { parseJsonBody, readBodyText, tooLarge } from './read-body'

export type ApiBody =
  | { kind: 'none' }
  | { kind: 'json'; body: Record<string, unknown>; text: string }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array>; overLimit: () => boolean }


const isJson = (contentType: string | null) => /^application\/(.+\+)?json\b/i.test(contentType ?? '')

/** JSON is read (it may carry the model); anything else is passed on as a stream, never buffered. */
export async function readApiBody(request: Request, limit: number): Promise<ApiBody> {
  if (!request.body || request.method === 'GET' || request.method === 'HEAD') return { kind: 'none' }
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!isJson(request.headers.get('content-type'))) {
    const counted = sizeLimit(limit)
    return { kind: 'stream', stream: request.body.pipeThrough(counted.stream), overLimit: counted.over }
  }
  const text = await readBodyText(request, limit)
  if (text.trim() === '') return { kind: 'none' }
  const parsed = parseJsonBody(text)
  // a JSON array or scalar is the upstream's business: it goes on as sent
  const body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
  return { kind: 'json', body, text }
}

/** errors the stream (and so the upstream request) once more than `limit` bytes went through */
function sizeLimit(limit: number): { stream: TransformStream<Uint8Array, Uint8Array>; over: () => boolean } {
  let seen = 0
  const stream = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, c) {
      seen += chunk.byteLength
      if (seen > limit) c.error(tooLarge(limit))
      else c.enqueue(chunk)
    },
  })
  return { stream, over: () => seen > limit }
}

export const bodyTooLarge = tooLarge

/** the model named by a JSON body, if any */
export function modelOf(body: ApiBody): string | undefined {
  if (body.kind !== 'json') return undefined
  const m = body.body.model
  return typeof m === 'string' && m !== '' ? m : undefined
}

/** the body to send upstream: a JSON body with the upstream model in place of the client's */
export function upstreamBody(body: ApiBody, model: string | undefined): string | ReadableStream<Uint8Array> | null {
  if (body.kind === 'none') return null
  if (body.kind === 'stream') return body.stream
  return model !== undefined && modelOf(body) !== undefined ? JSON.stringify({ ...body.body, model }) : body.text
}

/** how much of a JSON answer's start and end is kept to find its usage */
const KEEP = 16 * 1024

/**
 * Passes the answer through chunk by chunk (back-pressure from the client) and calls `done` once:
 * at its end, on an upstream error, or when the client goes away.
 */
export function tapAnswer(
  upstream: ReadableStream<Uint8Array>,
  api: PassthroughApi,
  json: boolean,
  idle: { ms: number; abort: (reason: string) => void },
  done: (how: { usage?: CanonUsage; error?: string; clientDisconnected?: boolean }) => void,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader()
  const decoder = new TextDecoder()
  let head = ''
  let tail = ''
  let ended = false
  const end = (how: Parameters<typeof done>[0]) => {
    if (ended) return
    ended = true
    done(how)
  }
  const keep = (chunk: Uint8Array) => {
    if (!json || !api.usage) return
    const text = decoder.decode(chunk, { stream: true })
    if (head.length < KEEP) head += text.slice(0, KEEP - head.length)
    tail = (tail + text).slice(-KEEP)
  }
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      let timer: ReturnType<typeof setTimeout> | undefined
      try {
        // an upstream silent past idle_timeout mid-answer is cut (the client sees the body fail)
        const silent = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`no data for ${idle.ms}ms (idle_timeout)`))
            idle.abort('idle timeout')
          }, idle.ms)
        })
        const { done: finished, value } = await Promise.race([reader.read(), silent])
        if (finished) {
          c.close()
          end({ usage: api.usage && json ? usageIn(head, tail, api.usage) : undefined })
          return
        }
        keep(value)
        c.enqueue(value)
      } catch (err) {
        reader.cancel().catch(() => {})
        end({ error: `upstream answer failed: ${err instanceof Error ? err.message : String(err)}` })
        c.error(err)
      } finally {
        clearTimeout(timer)
      }
    },
    cancel(reason) {
      reader.cancel(reason).catch(() => {})
      end({ clientDisconnected: true })
    },
  })
}

/** the first token count of each kind in the answer's `usage` object (embeddings report only input) */
export function usageIn(head: string, tail: string, fields: NonNullable<PassthroughApi['usage']>): CanonUsage | undefined {
  const text = tail.includes('"usage"') ? tail.slice(tail.lastIndexOf('"usage"')) : head.includes('"usage"') ? head.slice(head.indexOf('"usage"')) : ''
  if (!text) return undefined
  const count = (names: string[]) => {
    for (const n of names) {
      const m = new RegExp(`"${n}"\\s*:\\s*(\\d+)`).exec(text)
      if (m) return Number(m[1])
    }
    return undefined
  }
  const inputTokens = count(fields.input)
  const outputTokens = count(fields.output)
  if (inputTokens === undefined && outputTokens === undefined) return undefined
  return { inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 }
}
