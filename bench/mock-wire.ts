// Wire bodies the mock upstream answers with, shaped like the recordings in
// test/fixtures (openai-chat/text.json, text-usage-obfuscation.chunks.txt,
// anthropic/text.json, text-basic.sse). Built once per (dialect, shape) and cached as bytes, so
// the mock spends almost no CPU per request and every target sees identical upstream work.

export interface MockShape {
  /** content deltas in a stream (also the word count of a non-streaming answer) */
  chunks: number
  /** pause between SSE frames, ms (0: the whole stream is written at once) */
  delayMs: number
}

/** A reply as bytes: one body, or SSE frames to pace one by one. */
export type MockBody = { kind: 'json'; body: Uint8Array<ArrayBuffer> } | { kind: 'sse'; frames: Uint8Array<ArrayBuffer>[]; whole: Uint8Array<ArrayBuffer> }

const enc = new TextEncoder()
const CREATED = 1770933883

/** Shape from the model name (`gpt-bench-c2000-d0`) so it survives any translation; headers win. */
export function shapeOf(model: string, headers?: Headers): MockShape {
  const c = headers?.get('x-mock-chunks') ?? /-c(\d+)/.exec(model)?.[1]
  const d = headers?.get('x-mock-delay-ms') ?? /-d(\d+)/.exec(model)?.[1]
  return { chunks: clampInt(c, 20, 100_000), delayMs: clampInt(d, 0, 10_000) }
}

function clampInt(v: string | null | undefined, dflt: number, max: number): number {
  const n = v == null ? NaN : Number(v)
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : dflt
}

const word = (i: number) => (i === 0 ? 'Hello' : ` tok${i}`)

function join(frames: Uint8Array<ArrayBuffer>[]): Uint8Array<ArrayBuffer> {
  let n = 0
  for (const f of frames) n += f.length
  const out = new Uint8Array(n)
  let at = 0
  for (const f of frames) {
    out.set(f, at)
    at += f.length
  }
  return out
}

const sse = (frames: string[]): MockBody => {
  const bytes = frames.map((f) => enc.encode(f))
  return { kind: 'sse', frames: bytes, whole: join(bytes) }
}

function openaiUsage(chunks: number) {
  return {
    prompt_tokens: 16,
    completion_tokens: chunks,
    total_tokens: 16 + chunks,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  }
}

export function openaiJson(model: string, chunks: number): MockBody {
  let text = ''
  for (let i = 0; i < chunks; i++) text += word(i)
  const body = {
    id: 'chatcmpl-bench0000000000000000000001',
    object: 'chat.completion',
    created: CREATED,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: 'stop' }],
    usage: openaiUsage(chunks),
    service_tier: 'default',
    system_fingerprint: 'fp_bench',
  }
  return { kind: 'json', body: enc.encode(JSON.stringify(body)) }
}

export function openaiStream(model: string, chunks: number, includeUsage: boolean): MockBody {
  const head = `{"id":"chatcmpl-bench0000000000000000000001","object":"chat.completion.chunk","created":${CREATED},"model":${JSON.stringify(model)},"service_tier":"default","system_fingerprint":"fp_bench","choices":[`
  const tail = includeUsage ? `,"usage":null}` : '}'
  const frames = [`data: ${head}{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]${tail}\n\n`]
  for (let i = 0; i < chunks; i++)
    frames.push(`data: ${head}{"index":0,"delta":{"content":${JSON.stringify(word(i))}},"logprobs":null,"finish_reason":null}]${tail}\n\n`)
  frames.push(`data: ${head}{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]${tail}\n\n`)
  if (includeUsage) frames.push(`data: ${head}],"usage":${JSON.stringify(openaiUsage(chunks))}}\n\n`)
  frames.push('data: [DONE]\n\n')
  return sse(frames)
}

const anthropicUsage = {
  input_tokens: 12,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  service_tier: 'standard',
  inference_geo: 'not_available',
}

export function anthropicJson(model: string, chunks: number): MockBody {
  let text = ''
  for (let i = 0; i < chunks; i++) text += word(i)
  const body = {
    model,
    id: 'msg_bench00000000000000000001',
    type: 'message',
    role: 'assistant',
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { ...anthropicUsage, output_tokens: chunks },
  }
  return { kind: 'json', body: enc.encode(JSON.stringify(body)) }
}

export function anthropicStream(model: string, chunks: number): MockBody {
  const ev = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`
  const message = { id: 'msg_bench00000000000000000001', type: 'message', role: 'assistant', content: [], model, stop_reason: null, stop_sequence: null, usage: { ...anthropicUsage, output_tokens: 1 } }
  const frames = [
    ev('message_start', { type: 'message_start', message }),
    ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    'event: ping\ndata: {"type": "ping"}\n\n',
  ]
  for (let i = 0; i < chunks; i++)
    frames.push(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word(i) } }))
  frames.push(
    ev('content_block_stop', { type: 'content_block_stop', index: 0 }),
    ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { ...anthropicUsage, output_tokens: chunks } }),
    ev('message_stop', { type: 'message_stop' }),
  )
  return sse(frames)
}
