// What each real upstream would reject, checked on the body a mock received. Each function
// returns the list of problems (empty = the provider would accept the conversation's shape).
// The rules are the ones the APIs enforce with a 400 (protocols/*.md, pitfalls C1, C4, C6, D2, D4).

type Json = Record<string, any>

const TOOL_ID = /^[a-zA-Z0-9_-]+$/

export function anthropicProblems(b: Json): string[] {
  const out: string[] = []
  const msgs: Json[] = b.messages
  const thinking = b.thinking?.type === 'enabled' || b.thinking?.type === 'adaptive'
  msgs.forEach((m, i) => {
    if (m.role !== (i % 2 ? 'assistant' : 'user')) out.push(`messages.${i}: role ${m.role} breaks alternation`)
    const blocks: Json[] = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content
    if (!blocks.length) out.push(`messages.${i}: empty content`)
    for (const [k, x] of blocks.entries()) {
      if (x.type === 'text' && !/\S/.test(x.text)) out.push(`messages.${i}.content.${k}: blank text`)
      if (x.type === 'thinking' && !x.signature) out.push(`messages.${i}.content.${k}: thinking without signature`)
      if ((x.type === 'tool_use' && !TOOL_ID.test(x.id)) || (x.type === 'tool_result' && !TOOL_ID.test(x.tool_use_id))) out.push(`messages.${i}.content.${k}: bad tool id`)
      if (x.type === 'tool_use' && (typeof x.input !== 'object' || x.input === null || Array.isArray(x.input))) out.push(`messages.${i}.content.${k}: input not an object`)
    }
    const uses = blocks.filter((x) => x.type === 'tool_use').map((x) => x.id)
    if (uses.length) {
      const next: Json[] = msgs[i + 1]?.content ?? []
      const results = Array.isArray(next) ? next.filter((x) => x.type === 'tool_result').map((x) => x.tool_use_id) : []
      if (!next.slice(0, results.length).every((x) => x.type === 'tool_result')) out.push(`messages.${i + 1}: tool_result blocks must come first`)
      if (i + 1 < msgs.length && uses.some((id) => !results.includes(id))) out.push(`messages.${i}: tool_use without tool_result right after`)
    }
  })
  if (thinking) {
    const lastAssistant = [...msgs].reverse().find((m) => m.role === 'assistant')
    const blocks: Json[] = lastAssistant && Array.isArray(lastAssistant.content) ? lastAssistant.content : []
    if (blocks.some((x) => x.type === 'tool_use') && blocks[0]?.type !== 'thinking' && blocks[0]?.type !== 'redacted_thinking')
      out.push('thinking on but the last tool turn does not start with its thinking block')
    if (b.thinking.type === 'enabled' && !(b.max_tokens > b.thinking.budget_tokens)) out.push('max_tokens must exceed budget_tokens')
    if (b.tool_choice && !['auto', 'none'].includes(b.tool_choice.type)) out.push('forced tool_choice with thinking')
    if (b.temperature !== undefined && b.temperature !== 1) out.push('temperature with thinking')
  }
  for (const t of b.tools ?? []) if (!t.type && t.input_schema?.type !== 'object') out.push(`tool ${t.name}: input_schema.type must be object`)
  return out
}

export function chatProblems(b: Json): string[] {
  const out: string[] = []
  const msgs: Json[] = b.messages
  const open = new Set<string>()
  msgs.forEach((m, i) => {
    if (!['system', 'developer', 'user', 'assistant', 'tool'].includes(m.role)) out.push(`messages.${i}: role ${m.role}`)
    if (m.role === 'tool') {
      if (!open.delete(m.tool_call_id)) out.push(`messages.${i}: tool message for unknown or answered id ${m.tool_call_id}`)
      const parts = typeof m.content === 'string' ? [] : m.content
      if (parts.some((p: Json) => p.type !== 'text')) out.push(`messages.${i}: non-text content in a tool message`)
      return
    }
    if (open.size) out.push(`messages.${i}: ${m.role} message before all tool results (${[...open].join(',')})`)
    open.clear()
    if (m.role === 'assistant') {
      if (!m.tool_calls?.length && (m.content === null || m.content === '' || m.content === undefined)) out.push(`messages.${i}: empty assistant message`)
      for (const tc of m.tool_calls ?? []) {
        if (tc.type !== 'function' || typeof tc.function?.arguments !== 'string') out.push(`messages.${i}: malformed tool call`)
        else JSON.parse(tc.function.arguments)
        open.add(tc.id)
      }
    }
  })
  if (open.size) out.push(`unanswered tool calls at the end: ${[...open].join(',')}`)
  return out
}

export function responsesProblems(b: Json): string[] {
  const out: string[] = []
  const items: Json[] = typeof b.input === 'string' ? [] : b.input
  const calls = new Set<string>()
  const answered = new Set<string>()
  items.forEach((it, i) => {
    if (it.type === 'function_call' || it.type === 'custom_tool_call') calls.add(it.call_id)
    if (it.type === 'function_call_output' || it.type === 'custom_tool_call_output') {
      if (!calls.has(it.call_id)) out.push(`input[${i}]: output for unknown call ${it.call_id}`)
      answered.add(it.call_id)
    }
    // only OpenAI's own reasoning state can be replayed to OpenAI
    if (it.type === 'reasoning' && !String(it.encrypted_content ?? '').startsWith('gAAAA')) out.push(`input[${i}]: reasoning item OpenAI did not produce`)
  })
  for (const c of calls) if (!answered.has(c)) out.push(`call ${c} has no output`)
  return out
}

export function geminiProblems(b: Json): string[] {
  const out: string[] = []
  const contents: Json[] = b.contents
  contents.forEach((c, i) => {
    if (c.role !== (i % 2 ? 'model' : 'user')) out.push(`contents.${i}: role ${c.role} breaks alternation`)
    if (!c.parts?.length) out.push(`contents.${i}: no parts`)
    const calls: Json[] = c.parts.filter((p: Json) => p.functionCall).map((p: Json) => p.functionCall)
    if (!calls.length) return
    const responses: Json[] = (contents[i + 1]?.parts ?? []).filter((p: Json) => p.functionResponse).map((p: Json) => p.functionResponse)
    if (i + 1 < contents.length && responses.length !== calls.length) out.push(`contents.${i + 1}: ${responses.length} functionResponse for ${calls.length} functionCall`)
    responses.forEach((r, k) => {
      if (!r.name) out.push(`contents.${i + 1}: functionResponse without name`)
      if (calls[k] && calls[k].name !== r.name) out.push(`contents.${i + 1}: functionResponse ${k} name ${r.name} ≠ call ${calls[k].name}`)
    })
  })
  return out
}

export const PROBLEMS = { anthropic: anthropicProblems, 'openai-chat': chatProblems, 'openai-responses': responsesProblems, gemini: geminiProblems } as const

/** Claude Code's own stream parser is stricter than the SDK's (protocols/anthropic.md): every
 *  rule whose violation makes it fail the turn, checked on the raw events a client received. */
export function claudeCodeStreamProblems(events: Array<{ event?: string; data: any }>): string[] {
  const out: string[] = []
  const kinds: string[] = []
  const open = new Set<number>()
  const DELTA_FOR: Record<string, string> = { text_delta: 'text', thinking_delta: 'thinking', signature_delta: 'thinking', input_json_delta: 'tool_use' }
  const FIELD: Record<string, string> = { text_delta: 'text', thinking_delta: 'thinking', signature_delta: 'signature', input_json_delta: 'partial_json' }
  events.forEach(({ event, data }, i) => {
    if (event !== data?.type) out.push(`#${i}: event line ${event} ≠ type ${data?.type}`)
    const t = data?.type
    if (i === 0 && t !== 'message_start') out.push('first event is not message_start')
    if (t === 'message_start') {
      if (i !== 0) out.push(`#${i}: second message_start`)
      const u = data.message?.usage ?? {}
      for (const k of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens']) if (typeof u[k] !== 'number') out.push(`message_start.usage.${k} missing`)
    } else if (t === 'content_block_start') {
      if (data.index !== kinds.length) out.push(`#${i}: block index ${data.index}, expected ${kinds.length}`)
      if (open.size) out.push(`#${i}: block started while ${[...open]} open`)
      kinds.push(data.content_block.type)
      open.add(data.index)
      if (data.content_block.type === 'tool_use' && (typeof data.content_block.id !== 'string' || typeof data.content_block.name !== 'string')) out.push(`#${i}: tool_use without id/name`)
    } else if (t === 'content_block_delta') {
      if (!open.has(data.index)) out.push(`#${i}: delta for block ${data.index} not open`)
      const want = DELTA_FOR[data.delta?.type]
      if (want !== kinds[data.index]) out.push(`#${i}: ${data.delta?.type} on a ${kinds[data.index]} block`)
      if (typeof data.delta?.[FIELD[data.delta?.type]] !== 'string') out.push(`#${i}: ${data.delta?.type} without its string`)
    } else if (t === 'content_block_stop') {
      if (!open.delete(data.index)) out.push(`#${i}: stop for block ${data.index} not open`)
    } else if (t === 'message_delta') {
      if (typeof data.usage?.output_tokens !== 'number') out.push(`#${i}: message_delta without usage.output_tokens`)
      if (!data.delta?.stop_reason) out.push(`#${i}: message_delta without stop_reason`)
    } else if (t !== 'message_stop' && t !== 'ping') out.push(`#${i}: unexpected event ${t}`)
  })
  if (events.at(-1)?.data?.type !== 'message_stop') out.push('does not end with message_stop')
  if (open.size) out.push(`blocks never closed: ${[...open]}`)
  return out
}
