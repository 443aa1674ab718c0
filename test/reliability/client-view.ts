// What a client of each dialect makes of an answer: the assembled text, whether the answer ended
// the way that dialect's SDKs expect, and the errors it carried (HTTP or in-stream). Strict about
// shape: an error must be in the client's own dialect with a non-empty message.
import { parseSseText } from '../../src/framing/sse'

export type Front = 'chat' | 'messages' | 'responses'

export const PATHS: Record<Front, string> = { chat: '/v1/chat/completions', messages: '/v1/messages', responses: '/v1/responses' }

export function requestBody(front: Front, model: string, stream: boolean, text = 'hello'): Record<string, unknown> {
  if (front === 'responses') return { model, stream, input: text }
  if (front === 'messages') return { model, stream, max_tokens: 50, messages: [{ role: 'user', content: text }] }
  return { model, stream, messages: [{ role: 'user', content: text }] }
}

export interface ClientView {
  status: number
  /** assistant text: JSON message content or the concatenated stream deltas */
  text: string
  /** the answer ended properly ([DONE], message_stop, response.completed, or a whole JSON body) */
  complete: boolean
  /** error messages, in order: one per HTTP error body or in-stream error event */
  errors: string[]
  /** shape problems: an error not in the client's dialect, unparseable frames, frames after the error */
  problems: string[]
  raw: string
}

const parse = (s: string): any => {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

export function viewOf(front: Front, status: number, contentType: string, raw: string): ClientView {
  const v: ClientView = { status, text: '', complete: false, errors: [], problems: [], raw }
  if (status !== 200) {
    const j = parse(raw)
    const m = j?.error?.message
    if (front === 'messages' && j?.type !== 'error') v.problems.push(`HTTP error not in Anthropic shape: ${raw.slice(0, 200)}`)
    if (typeof m !== 'string' || !m) v.problems.push(`HTTP ${status} without an error message: ${raw.slice(0, 200)}`)
    else v.errors.push(m)
    return v
  }
  if (!contentType.includes('text/event-stream')) {
    const j = parse(raw)
    if (!j) {
      v.problems.push(`200 body is not JSON: ${raw.slice(0, 200)}`)
      return v
    }
    if (front === 'chat') v.text = j.choices?.[0]?.message?.content ?? ''
    else if (front === 'messages') v.text = (j.content ?? []).filter((b: any) => b.type === 'text').map((b: any) => b.text).join('')
    else v.text = (j.output ?? []).filter((o: any) => o.type === 'message').map((o: any) => o.content?.[0]?.text ?? '').join('')
    v.complete = true
    return v
  }
  let afterError = false
  for (const f of parseSseText(raw)) {
    if (front === 'chat' && f.data === '[DONE]') {
      v.complete = v.errors.length === 0
      continue
    }
    const d = parse(f.data)
    if (d === undefined) {
      v.problems.push(`unparseable frame: ${f.data.slice(0, 120)}`)
      continue
    }
    // Responses follows its `error` event with `response.failed`; nothing else may follow an error
    if (afterError && !(front === 'responses' && d.type === 'response.failed')) v.problems.push(`frame after the error: ${f.data.slice(0, 120)}`)
    if (front === 'chat') {
      if (d.error) {
        afterError = true
        v.errors.push(d.error.message)
        if (!d.error.message) v.problems.push('error chunk without a message')
      } else v.text += d.choices?.[0]?.delta?.content ?? ''
    } else if (front === 'messages') {
      if (f.event === 'error' || d.type === 'error') {
        afterError = true
        v.errors.push(d.error?.message)
        if (f.event !== 'error' || d.type !== 'error' || !d.error?.message) v.problems.push(`malformed Anthropic error event: ${f.data.slice(0, 120)}`)
      } else if (d.type === 'content_block_delta') v.text += d.delta?.text ?? ''
      else if (d.type === 'message_stop') v.complete = true
    } else {
      if (f.event === 'error' || d.type === 'error') {
        afterError = true
        v.errors.push(d.message ?? d.error?.message)
        if (!(d.message ?? d.error?.message)) v.problems.push(`Responses error event without a message: ${f.data.slice(0, 120)}`)
      } else if (d.type === 'response.output_text.delta') v.text += d.delta
      else if (d.type === 'response.completed') v.complete = true
    }
  }
  return v
}

/** a request through the proxy, its elapsed time, and the client's view of the answer */
export async function ask(
  base: string,
  front: Front,
  model: string,
  stream: boolean,
  opts: { text?: string; timeoutMs?: number } = {},
): Promise<ClientView & { ms: number }> {
  const t0 = performance.now()
  const res = await fetch(`${base}${PATHS[front]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(requestBody(front, model, stream, opts.text)),
    // a hard bound on every request: no test may hang on a proxy that does
    signal: AbortSignal.timeout(opts.timeoutMs ?? 8000),
  })
  const raw = await res.text()
  return { ...viewOf(front, res.status, res.headers.get('content-type') ?? '', raw), ms: performance.now() - t0 }
}
