// Drives each front door with its official SDK and normalizes what the client saw.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'

export const FRONT_DRIVERS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
export type Front = (typeof FRONT_DRIVERS)[number]

export interface Seen {
  text: string
  reasoning: string
  toolCalls: Array<{ id: string; name: string; args: unknown }>
  finish: string
  usage: { input: number; output: number }
}

export interface Turn {
  system?: string
  user: string | Array<{ type: 'text'; text: string } | { type: 'image'; mediaType: string; data: string }>
  history?: Array<{ role: 'user' | 'assistant'; text: string }>
  tools?: Array<{ name: string; description: string; parameters: Record<string, unknown> }>
  /** a previous tool-call turn and its results */
  toolRound?: { calls: Array<{ id: string; name: string; args: unknown }>; results: Array<{ id: string; output: string }> }
  jsonSchema?: Record<string, unknown>
  reasoning?: boolean
}

export function clientsFor(url: string, key = 'client-key') {
  return {
    openai: new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 }),
    anthropic: new Anthropic({ apiKey: key, baseURL: url, maxRetries: 0 }),
    gemini: new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: url, retryOptions: { attempts: 1 } } as any }),
  }
}

const safeParse = (s: string) => {
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}

export async function drive(front: Front, url: string, model: string, turn: Turn, stream: boolean): Promise<Seen> {
  const c = clientsFor(url)
  if (front === 'openai-chat') return chat(c.openai, model, turn, stream)
  if (front === 'openai-responses') return responses(c.openai, model, turn, stream)
  if (front === 'gemini') return gemini(c.gemini, model, turn, stream)
  return anthropic(c.anthropic, model, turn, stream)
}

async function gemini(client: GoogleGenAI, model: string, t: Turn, stream: boolean): Promise<Seen> {
  const contents: any[] = []
  for (const h of t.history ?? []) contents.push({ role: h.role === 'user' ? 'user' : 'model', parts: [{ text: h.text }] })
  if (t.toolRound) {
    contents.push({ role: 'user', parts: [{ text: 'use the tools' }] })
    contents.push({ role: 'model', parts: t.toolRound.calls.map((c) => ({ functionCall: { id: c.id, name: c.name, args: c.args } })) })
    contents.push({
      role: 'user',
      parts: t.toolRound.results.map((r) => ({ functionResponse: { id: r.id, name: t.toolRound!.calls.find((c) => c.id === r.id)?.name, response: { output: r.output } } })),
    })
  }
  const userParts = typeof t.user === 'string' ? [{ text: t.user }] : t.user.map((p) => (p.type === 'text' ? { text: p.text } : { inlineData: { mimeType: p.mediaType, data: p.data } }))
  if (t.toolRound) contents[contents.length - 1].parts.push(...userParts)
  else contents.push({ role: 'user', parts: userParts })
  const config: any = {}
  if (t.system) config.systemInstruction = t.system
  if (t.tools) config.tools = [{ functionDeclarations: t.tools.map((x) => ({ name: x.name, description: x.description, parametersJsonSchema: x.parameters })) }]
  if (t.jsonSchema) {
    config.responseMimeType = 'application/json'
    config.responseJsonSchema = t.jsonSchema
  }
  if (t.reasoning) config.thinkingConfig = { includeThoughts: true, thinkingBudget: 1024 }
  const chunks: any[] = []
  if (stream) for await (const c of await client.models.generateContentStream({ model, contents, config })) chunks.push(c)
  else chunks.push(await client.models.generateContent({ model, contents, config }))
  let text = ''
  let reasoning = ''
  let finish = ''
  let usage: any
  const toolCalls: Seen['toolCalls'] = []
  for (const c of chunks) {
    const cand = c.candidates?.[0]
    for (const p of cand?.content?.parts ?? []) {
      if (p.functionCall) toolCalls.push({ id: p.functionCall.id ?? '', name: p.functionCall.name, args: p.functionCall.args })
      else if (p.thought && p.text) reasoning += p.text
      else if (p.text) text += p.text
    }
    if (cand?.finishReason) finish = cand.finishReason
    if (c.usageMetadata) usage = c.usageMetadata
  }
  const norm = finish === 'MAX_TOKENS' ? 'length' : toolCalls.length ? 'tool_calls' : finish === 'STOP' ? 'stop' : finish
  return {
    text,
    reasoning,
    toolCalls,
    finish: norm,
    usage: { input: usage?.promptTokenCount ?? -1, output: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0) },
  }
}

async function chat(client: OpenAI, model: string, t: Turn, stream: boolean): Promise<Seen> {
  const messages: any[] = []
  if (t.system) messages.push({ role: 'system', content: t.system })
  for (const h of t.history ?? []) messages.push({ role: h.role, content: h.text })
  if (t.toolRound) {
    messages.push({ role: 'user', content: 'use the tools' })
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: t.toolRound.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })),
    })
    for (const r of t.toolRound.results) messages.push({ role: 'tool', tool_call_id: r.id, content: r.output })
  }
  messages.push({
    role: 'user',
    content:
      typeof t.user === 'string'
        ? t.user
        : t.user.map((p) => (p.type === 'text' ? p : { type: 'image_url', image_url: { url: `data:${p.mediaType};base64,${p.data}` } })),
  })
  const body: any = { model, messages }
  if (t.tools) body.tools = t.tools.map((x) => ({ type: 'function', function: x }))
  if (t.jsonSchema) body.response_format = { type: 'json_schema', json_schema: { name: 'out', schema: t.jsonSchema, strict: true } }
  if (t.reasoning) body.reasoning_effort = 'low'
  // the SDK's stream accumulator keeps only standard fields: read reasoning_content off the chunks
  let streamedReasoning = ''
  let res: any
  if (stream) {
    const s = client.chat.completions.stream({ ...body, stream: true, stream_options: { include_usage: true } })
    s.on('chunk', (c: any) => (streamedReasoning += c.choices[0]?.delta?.reasoning_content ?? ''))
    res = await s.finalChatCompletion()
  } else res = await client.chat.completions.create(body)
  const m = res.choices[0].message
  return {
    text: m.content ?? '',
    reasoning: stream ? streamedReasoning : (m.reasoning_content ?? ''),
    toolCalls: (m.tool_calls ?? []).map((tc: any) => ({ id: tc.id, name: tc.function.name, args: safeParse(tc.function.arguments) })),
    finish: res.choices[0].finish_reason,
    usage: { input: res.usage?.prompt_tokens ?? -1, output: res.usage?.completion_tokens ?? -1 },
  }
}

async function responses(client: OpenAI, model: string, t: Turn, stream: boolean): Promise<Seen> {
  const input: any[] = []
  for (const h of t.history ?? [])
    input.push(h.role === 'user' ? { role: 'user', content: h.text } : { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: h.text, annotations: [] }] })
  if (t.toolRound) {
    input.push({ role: 'user', content: 'use the tools' })
    for (const c of t.toolRound.calls) input.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: JSON.stringify(c.args) })
    for (const r of t.toolRound.results) input.push({ type: 'function_call_output', call_id: r.id, output: r.output })
  }
  input.push({
    role: 'user',
    content:
      typeof t.user === 'string'
        ? t.user
        : t.user.map((p) => (p.type === 'text' ? { type: 'input_text', text: p.text } : { type: 'input_image', image_url: `data:${p.mediaType};base64,${p.data}`, detail: 'auto' })),
  })
  const body: any = { model, input }
  if (t.system) body.instructions = t.system
  if (t.tools) body.tools = t.tools.map((x) => ({ type: 'function', ...x, strict: false }))
  if (t.jsonSchema) body.text = { format: { type: 'json_schema', name: 'out', schema: t.jsonSchema, strict: true } }
  if (t.reasoning) body.reasoning = { effort: 'low', summary: 'auto' }
  const res: any = stream ? await client.responses.stream(body).finalResponse() : await client.responses.create(body)
  let text = ''
  let reasoning = ''
  const toolCalls: Seen['toolCalls'] = []
  for (const item of res.output) {
    if (item.type === 'message') for (const c of item.content) if (c.type === 'output_text') text += c.text
    if (item.type === 'reasoning') for (const s of item.summary ?? []) reasoning += s.text
    if (item.type === 'function_call') toolCalls.push({ id: item.call_id, name: item.name, args: safeParse(item.arguments) })
  }
  const finish = res.status === 'incomplete' ? 'length' : toolCalls.length ? 'tool_calls' : 'stop'
  return { text, reasoning, toolCalls, finish, usage: { input: res.usage?.input_tokens ?? -1, output: res.usage?.output_tokens ?? -1 } }
}

async function anthropic(client: Anthropic, model: string, t: Turn, stream: boolean): Promise<Seen> {
  const messages: any[] = []
  for (const h of t.history ?? []) messages.push({ role: h.role, content: h.text })
  if (t.toolRound) {
    messages.push({ role: 'user', content: 'use the tools' })
    messages.push({ role: 'assistant', content: t.toolRound.calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.args })) })
    messages.push({ role: 'user', content: t.toolRound.results.map((r) => ({ type: 'tool_result', tool_use_id: r.id, content: r.output })) })
  }
  const userContent =
    typeof t.user === 'string' ? t.user : t.user.map((p) => (p.type === 'text' ? p : { type: 'image', source: { type: 'base64', media_type: p.mediaType, data: p.data } }))
  if (t.toolRound) messages[messages.length - 1].content.push(...(typeof userContent === 'string' ? [{ type: 'text', text: userContent }] : userContent))
  else messages.push({ role: 'user', content: userContent })
  const body: any = { model, max_tokens: 2048, messages }
  if (t.system) body.system = t.system
  if (t.tools) body.tools = t.tools.map((x) => ({ name: x.name, description: x.description, input_schema: x.parameters }))
  if (t.jsonSchema) body.output_config = { format: { type: 'json_schema', schema: t.jsonSchema } }
  if (t.reasoning) body.thinking = { type: 'enabled', budget_tokens: 1024 }
  const res: any = stream ? await client.messages.stream(body).finalMessage() : await client.messages.create(body)
  let text = ''
  let reasoning = ''
  const toolCalls: Seen['toolCalls'] = []
  for (const b of res.content) {
    if (b.type === 'text') text += b.text
    if (b.type === 'thinking') reasoning += b.thinking
    if (b.type === 'tool_use') toolCalls.push({ id: b.id, name: b.name, args: b.input })
  }
  const finish = { end_turn: 'stop', tool_use: 'tool_calls', max_tokens: 'length' }[res.stop_reason as string] ?? res.stop_reason
  return { text, reasoning, toolCalls, finish, usage: { input: res.usage.input_tokens, output: res.usage.output_tokens } }
}
