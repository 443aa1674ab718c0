// Chat `messages` → canonical system parts and user/assistant turns.
//
// Choices made here:
// - system/developer messages anywhere in the list are HOISTED into `system`, in order (as LiteLLM
//   does): every upstream has a top-level system prompt, few accept one mid-conversation.
// - consecutive tool (and legacy function) messages become ONE user turn of tool_result parts, and
//   a user message right after them joins that turn: Anthropic/Gemini/Bedrock want all results of
//   a turn together, before any text (pitfall C4). The Chat encoder splits them out again.
// - an assistant message left without any part (content null, no calls) is dropped.
import { badRequest } from '../../errors'
import type { CanonMessage, CanonPart } from '../../canonical/request'
import { partFromChat } from './convert-content'
import { needObject } from './validate'
import { isObject, type Json } from './wire'

export interface DecodedMessages {
  system: CanonPart[]
  messages: CanonMessage[]
}

/** string or text parts (system, developer, tool) → text parts */
function textParts(content: unknown, field: string): CanonPart[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : []
  if (!Array.isArray(content)) throw badRequest(`Invalid type for '${field}': expected a string or an array of parts.`, field)
  const out: CanonPart[] = []
  for (let i = 0; i < content.length; i++) {
    const p = needObject(content[i], `${field}[${i}]`)
    if (typeof p.text === 'string' && (p.type === 'text' || p.type === undefined)) out.push({ type: 'text', text: p.text })
  }
  return out
}

function userParts(content: unknown, field: string): CanonPart[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw badRequest(`Invalid type for '${field}': expected a string or an array of parts.`, field)
  const out: CanonPart[] = []
  for (let i = 0; i < content.length; i++) {
    const part = partFromChat(needObject(content[i], `${field}[${i}]`))
    if (part) out.push(part)
  }
  return out
}

const argumentsText = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v))

export function decodeMessages(list: unknown[]): DecodedMessages {
  const system: CanonPart[] = []
  const messages: CanonMessage[] = []
  /** call id → tool name (Gemini needs the name on results), and which calls were custom tools */
  const callNames = new Map<string, string>()
  const customCalls = new Set<string>()
  /** legacy function_call has no id: the latest call of each function name gets a synthetic one */
  const legacyIds = new Map<string, string>()

  /** the turn that holds tool results, if the last message is one */
  const resultTurn = (): CanonMessage | undefined => {
    const last = messages[messages.length - 1]
    return last && last.role === 'user' && last.parts.length && last.parts[last.parts.length - 1].type === 'tool_result' ? last : undefined
  }
  const pushResult = (part: CanonPart) => {
    const turn = resultTurn()
    if (turn) turn.parts.push(part)
    else messages.push({ role: 'user', parts: [part] })
  }

  for (let i = 0; i < list.length; i++) {
    const field = `messages[${i}]`
    const m = needObject(list[i], field)
    const role = m.role
    switch (role) {
      case 'system':
      case 'developer':
        for (const p of textParts(m.content, `${field}.content`)) system.push(p)
        break
      case 'user': {
        const parts = userParts(m.content, `${field}.content`)
        const turn = resultTurn()
        if (turn) for (const p of parts) turn.parts.push(p)
        else {
          const msg: CanonMessage = { role: 'user', parts }
          if (typeof m.name === 'string') msg.name = m.name
          messages.push(msg)
        }
        break
      }
      case 'assistant': {
        const msg = decodeAssistant(m, field, i, callNames, customCalls, legacyIds)
        if (msg.parts.length) messages.push(msg)
        break
      }
      case 'tool': {
        const callId = m.tool_call_id
        if (typeof callId !== 'string' || !callId)
          throw badRequest(`Missing required parameter: '${field}.tool_call_id'.`, `${field}.tool_call_id`)
        const part: CanonPart = { type: 'tool_result', callId, content: textParts(m.content, `${field}.content`) }
        const name = callNames.get(callId)
        if (name) part.name = name
        if (customCalls.has(callId)) part.custom = true
        pushResult(part)
        break
      }
      case 'function': {
        if (typeof m.name !== 'string') throw badRequest(`Missing required parameter: '${field}.name'.`, `${field}.name`)
        const callId = legacyIds.get(m.name) ?? `call_${m.name}`
        pushResult({ type: 'tool_result', callId, name: m.name, content: textParts(m.content, `${field}.content`) })
        break
      }
      default:
        throw badRequest(
          `Invalid value for '${field}.role': expected one of system, developer, user, assistant, tool, function.`,
          `${field}.role`,
        )
    }
  }
  return { system, messages }
}

function decodeAssistant(
  m: Json,
  field: string,
  at: number,
  callNames: Map<string, string>,
  customCalls: Set<string>,
  legacyIds: Map<string, string>,
): CanonMessage {
  const parts: CanonPart[] = []
  // non-standard reasoning fields of OpenAI-compatible servers (DeepSeek, vLLM, OpenRouter)
  const reasoning = typeof m.reasoning_content === 'string' ? m.reasoning_content : typeof m.reasoning === 'string' ? m.reasoning : ''
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning, origin: 'openai' })

  const content = m.content
  let refused = false
  if (typeof content === 'string') {
    // "" next to tool_calls is common and must not become an empty text block (pitfall B7)
    if (content) parts.push({ type: 'text', text: content })
  } else if (Array.isArray(content)) {
    for (let j = 0; j < content.length; j++) {
      const p = needObject(content[j], `${field}.content[${j}]`)
      if (p.type === 'text' && typeof p.text === 'string' && p.text) parts.push({ type: 'text', text: p.text })
      else if (p.type === 'refusal' && typeof p.refusal === 'string') {
        parts.push({ type: 'refusal', text: p.refusal })
        refused = true
      }
    }
  } else if (content !== undefined && content !== null) {
    throw badRequest(`Invalid type for '${field}.content': expected a string, an array of parts or null.`, `${field}.content`)
  }
  if (!refused && typeof m.refusal === 'string' && m.refusal) parts.push({ type: 'refusal', text: m.refusal })

  const calls = m.tool_calls
  if (Array.isArray(calls)) {
    for (let j = 0; j < calls.length; j++) {
      const c = needObject(calls[j], `${field}.tool_calls[${j}]`)
      const id = typeof c.id === 'string' && c.id ? c.id : `call_${at}_${j}`
      if (c.type === 'custom' && isObject(c.custom)) {
        const name = String(c.custom.name ?? '')
        parts.push({ type: 'tool_call', id, name, argumentsJson: argumentsText(c.custom.input), custom: true })
        callNames.set(id, name)
        customCalls.add(id)
        continue
      }
      const fn = isObject(c.function) ? c.function : {}
      const name = String(fn.name ?? '')
      parts.push({ type: 'tool_call', id, name, argumentsJson: argumentsText(fn.arguments) })
      callNames.set(id, name)
    }
  } else if (calls !== undefined && calls !== null) {
    throw badRequest(`Invalid type for '${field}.tool_calls': expected an array.`, `${field}.tool_calls`)
  }

  const legacy = m.function_call
  if (isObject(legacy) && typeof legacy.name === 'string') {
    const id = `call_${legacy.name}_${at}`
    legacyIds.set(legacy.name, id)
    callNames.set(id, legacy.name)
    parts.push({ type: 'tool_call', id, name: legacy.name, argumentsJson: argumentsText(legacy.arguments) })
  }

  const msg: CanonMessage = { role: 'assistant', parts }
  if (typeof m.name === 'string') msg.name = m.name
  return msg
}
