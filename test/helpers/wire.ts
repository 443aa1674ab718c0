// Replies in the exact wire format of each dialect, for mock upstreams. Each builder answers
// streaming or not according to the request it got.
import type { Received, Reply } from './mock-upstream'

export interface ToolCallSpec {
  id: string
  name: string
  args: Record<string, unknown>
  /** Gemini only: the call's thoughtSignature */
  signature?: string
}

export interface Script {
  text?: string
  reasoning?: string
  tools?: ToolCallSpec[]
  finish?: 'stop' | 'length'
  usage?: { input: number; output: number }
  delayMs?: number
}

const pieces = (s: string, n = 3): string[] => {
  const size = Math.max(1, Math.ceil(s.length / n))
  const out: string[] = []
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size))
  return out
}

export function openaiChat(r: Received, s: Script): Reply {
  const model = r.body?.model ?? 'gpt-mock'
  const usage = { prompt_tokens: s.usage?.input ?? 11, completion_tokens: s.usage?.output ?? 7, total_tokens: (s.usage?.input ?? 11) + (s.usage?.output ?? 7) }
  const finish = s.tools?.length ? 'tool_calls' : (s.finish ?? 'stop')
  if (!r.body?.stream) {
    const message: any = { role: 'assistant', content: s.text ?? null, refusal: null }
    if (s.reasoning) message.reasoning_content = s.reasoning
    if (s.tools?.length)
      message.tool_calls = s.tools.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.args) } }))
    return { kind: 'json', body: { id: 'chatcmpl-mock', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message, finish_reason: finish, logprobs: null }], usage } }
  }
  const chunk = (delta: any, finish_reason: string | null = null) => ({
    data: { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason, logprobs: null }] },
  })
  const frames: any[] = [chunk({ role: 'assistant', content: '' })]
  if (s.reasoning) for (const p of pieces(s.reasoning)) frames.push(chunk({ reasoning_content: p }))
  if (s.text) for (const p of pieces(s.text)) frames.push(chunk({ content: p }))
  s.tools?.forEach((t, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }))
    for (const p of pieces(JSON.stringify(t.args))) frames.push(chunk({ tool_calls: [{ index, function: { arguments: p } }] }))
  })
  frames.push(chunk({}, finish))
  frames.push({ data: { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1, model, choices: [], usage } })
  frames.push('data: [DONE]\n\n')
  return { kind: 'sse', frames, delayMs: s.delayMs }
}

export function anthropic(r: Received, s: Script): Reply {
  const model = r.body?.model ?? 'claude-mock'
  const stop = s.tools?.length ? 'tool_use' : s.finish === 'length' ? 'max_tokens' : 'end_turn'
  const usageIn = { input_tokens: s.usage?.input ?? 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 }
  if (!r.body?.stream) {
    const content: any[] = []
    if (s.reasoning) content.push({ type: 'thinking', thinking: s.reasoning, signature: 'sig-mock' })
    if (s.text) content.push({ type: 'text', text: s.text })
    for (const t of s.tools ?? []) content.push({ type: 'tool_use', id: t.id, name: t.name, input: t.args })
    return {
      kind: 'json',
      body: { id: 'msg_mock', type: 'message', role: 'assistant', model, content, stop_reason: stop, stop_sequence: null, usage: { ...usageIn, output_tokens: s.usage?.output ?? 7 } },
    }
  }
  const ev = (event: string, data: any) => ({ event, data: { type: event, ...data } })
  const frames: any[] = [ev('message_start', { message: { id: 'msg_mock', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: usageIn } })]
  let index = 0
  if (s.reasoning) {
    frames.push(ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }))
    for (const p of pieces(s.reasoning)) frames.push(ev('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: p } }))
    frames.push(ev('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'sig-mock' } }))
    frames.push(ev('content_block_stop', { index: index++ }))
  }
  if (s.text) {
    frames.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }))
    for (const p of pieces(s.text)) frames.push(ev('content_block_delta', { index, delta: { type: 'text_delta', text: p } }))
    frames.push(ev('content_block_stop', { index: index++ }))
  }
  for (const t of s.tools ?? []) {
    frames.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: t.id, name: t.name, input: {} } }))
    for (const p of pieces(JSON.stringify(t.args))) frames.push(ev('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: p } }))
    frames.push(ev('content_block_stop', { index: index++ }))
  }
  frames.push(ev('message_delta', { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: s.usage?.output ?? 7 } }))
  frames.push(ev('message_stop', {}))
  return { kind: 'sse', frames, delayMs: s.delayMs }
}

export function responses(r: Received, s: Script): Reply {
  const model = r.body?.model ?? 'gpt-mock'
  const output: any[] = []
  if (s.reasoning) output.push({ type: 'reasoning', id: 'rs_mock', summary: [{ type: 'summary_text', text: s.reasoning }] })
  if (s.text) output.push({ type: 'message', id: 'msg_mock', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: s.text, annotations: [] }] })
  for (const t of s.tools ?? []) output.push({ type: 'function_call', id: `fc_${t.id}`, call_id: t.id, name: t.name, arguments: JSON.stringify(t.args), status: 'completed' })
  const usage = { input_tokens: s.usage?.input ?? 11, input_tokens_details: { cached_tokens: 0 }, output_tokens: s.usage?.output ?? 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: (s.usage?.input ?? 11) + (s.usage?.output ?? 7) }
  const incomplete = s.finish === 'length'
  const response = (status: string, out: any[]) => ({
    id: 'resp_mock',
    object: 'response',
    created_at: 1,
    status,
    model,
    output: out,
    usage: status === 'in_progress' ? null : usage,
    incomplete_details: incomplete && status !== 'in_progress' ? { reason: 'max_output_tokens' } : null,
    error: null,
  })
  if (!r.body?.stream) return { kind: 'json', body: response(incomplete ? 'incomplete' : 'completed', output) }
  let seq = 0
  const ev = (type: string, data: any) => ({ event: type, data: { type, sequence_number: seq++, ...data } })
  const frames: any[] = [ev('response.created', { response: response('in_progress', []) }), ev('response.in_progress', { response: response('in_progress', []) })]
  output.forEach((item, output_index) => {
    if (item.type === 'message') {
      frames.push(ev('response.output_item.added', { output_index, item: { ...item, status: 'in_progress', content: [] } }))
      frames.push(ev('response.content_part.added', { output_index, item_id: item.id, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }))
      for (const p of pieces(s.text!)) frames.push(ev('response.output_text.delta', { output_index, item_id: item.id, content_index: 0, delta: p, logprobs: [] }))
      frames.push(ev('response.output_text.done', { output_index, item_id: item.id, content_index: 0, text: s.text, logprobs: [] }))
      frames.push(ev('response.content_part.done', { output_index, item_id: item.id, content_index: 0, part: item.content[0] }))
    } else if (item.type === 'function_call') {
      frames.push(ev('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } }))
      for (const p of pieces(item.arguments)) frames.push(ev('response.function_call_arguments.delta', { output_index, item_id: item.id, delta: p }))
      frames.push(ev('response.function_call_arguments.done', { output_index, item_id: item.id, arguments: item.arguments }))
    } else {
      frames.push(ev('response.output_item.added', { output_index, item: { ...item, summary: [] } }))
      frames.push(ev('response.reasoning_summary_part.added', { output_index, item_id: item.id, summary_index: 0, part: { type: 'summary_text', text: '' } }))
      frames.push(ev('response.reasoning_summary_text.delta', { output_index, item_id: item.id, summary_index: 0, delta: s.reasoning }))
      frames.push(ev('response.reasoning_summary_text.done', { output_index, item_id: item.id, summary_index: 0, text: s.reasoning }))
      frames.push(ev('response.reasoning_summary_part.done', { output_index, item_id: item.id, summary_index: 0, part: { type: 'summary_text', text: s.reasoning } }))
    }
    frames.push(ev('response.output_item.done', { output_index, item }))
  })
  frames.push(ev(incomplete ? 'response.incomplete' : 'response.completed', { response: response(incomplete ? 'incomplete' : 'completed', output) }))
  return { kind: 'sse', frames, delayMs: s.delayMs }
}

export const WIRE = { 'openai-chat': openaiChat, anthropic, 'openai-responses': responses } as const

/** Gemini generateContent / streamGenerateContent?alt=sse (stream chosen by the path, as Google does) */
export function gemini(r: Received, s: Script): Reply {
  const stream = r.path.includes(':streamGenerateContent')
  const finishReason = s.finish === 'length' ? 'MAX_TOKENS' : 'STOP'
  const usageMetadata = { promptTokenCount: s.usage?.input ?? 11, candidatesTokenCount: s.usage?.output ?? 7, totalTokenCount: (s.usage?.input ?? 11) + (s.usage?.output ?? 7) }
  const parts: any[] = []
  if (s.reasoning) parts.push({ text: s.reasoning, thought: true })
  if (s.text) parts.push({ text: s.text })
  const call = (t: ToolCallSpec) => (t.signature ? { functionCall: { name: t.name, args: t.args }, thoughtSignature: t.signature } : { functionCall: { name: t.name, args: t.args } })
  for (const t of s.tools ?? []) parts.push(call(t))
  const body = (ps: any[], last: boolean) => ({
    candidates: [{ content: { role: 'model', parts: ps }, ...(last ? { finishReason } : {}), index: 0 }],
    ...(last ? { usageMetadata } : {}),
    modelVersion: 'gemini-mock',
    responseId: 'resp-gemini-mock',
  })
  if (!stream) return { kind: 'json', body: body(parts, true) }
  const frames: any[] = []
  if (s.reasoning) frames.push({ data: body([{ text: s.reasoning, thought: true }], false) })
  if (s.text) for (const p of pieces(s.text)) frames.push({ data: body([{ text: p }], false) })
  for (const t of s.tools ?? []) frames.push({ data: body([call(t)], false) })
  frames.push({ data: body([], true) })
  return { kind: 'sse', frames, delayMs: s.delayMs }
}

export const WIRE_WITH_GEMINI = { ...WIRE, gemini } as const
