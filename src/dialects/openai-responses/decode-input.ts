// Responses `input` items → canonical system parts and user/assistant turns.
//
// Choices made here:
// - system/developer messages anywhere are HOISTED into `system`, in order, after `instructions`.
// - an assistant turn collects consecutive reasoning, assistant message, function_call and
//   custom_tool_call items (Codex replays them one item each).
// - consecutive function_call_output / custom_tool_call_output items become ONE user turn of
//   tool_result parts, and a user message right after them joins that turn (pitfall C4).
// - item ids (rs_, msg_, fc_) are ignored except a reasoning item's, kept for replay to OpenAI;
//   unknown item types (local_shell_call, web_search_call, item_reference…) are skipped with a warning.
import type { CanonMessage, CanonPart } from '../../canonical/request'
import { badRequest } from '../../errors'
import { partFromResponses } from './convert-content'
import { needObject, wrongType } from './validate'
import { isObject, type Json } from './wire'
import { unpackAnthropicReasoning, unpackGeminiCallSignature } from './carried-reasoning'
import { drop } from '../dropped'

export interface DecodedInput {
  system: CanonPart[]
  messages: CanonMessage[]
}

type ToolResult = Extract<CanonPart, { type: 'tool_result' }>

/** message content (string or parts) → canonical parts; assistant text drops empties (pitfall B7) */
function contentParts(content: unknown, field: string, assistant: boolean): CanonPart[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return assistant && !content ? [] : [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw wrongType(field, 'a string or an array of content parts', content)
  const out: CanonPart[] = []
  for (let i = 0; i < content.length; i++) {
    const p = needObject(content[i], `${field}[${i}]`)
    if (p.type === 'refusal' && typeof p.refusal === 'string') {
      if (assistant) out.push({ type: 'refusal', text: p.refusal })
      continue
    }
    const part = partFromResponses(p)
    if (!part || (assistant && part.type === 'text' && !part.text)) continue
    out.push(part)
  }
  return out
}

/** function_call_output.output: a string or input parts */
function outputParts(output: unknown, field: string): CanonPart[] {
  if (output === undefined || output === null) return []
  if (typeof output === 'string') return output ? [{ type: 'text', text: output }] : []
  return contentParts(output, field, false)
}

const joinTexts = (list: unknown, type: string): string => {
  if (!Array.isArray(list)) return ''
  let out = ''
  for (const s of list) if (isObject(s) && s.type === type && typeof s.text === 'string' && s.text) out += (out ? '\n\n' : '') + s.text
  return out
}

function reasoningPart(item: Json): CanonPart | undefined {
  // the summary is what the user saw; raw reasoning_text (open-weight models) is the fallback
  const text = joinTexts(item.summary, 'summary_text') || joinTexts(item.content, 'reasoning_text')
  const encrypted = typeof item.encrypted_content === 'string' && item.encrypted_content ? item.encrypted_content : undefined
  // Claude's thinking that we parked in the item on an earlier turn
  const carried = encrypted ? unpackAnthropicReasoning(encrypted) : undefined
  if (carried) return carried
  if (!text && !encrypted) return undefined
  const part: CanonPart = { type: 'reasoning', text, origin: 'openai' }
  if (encrypted) part.encrypted = encrypted
  if (typeof item.id === 'string' && item.id) part.itemId = item.id
  return part
}

const stringArg = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v))

export function decodeInput(input: unknown, warnings: string[], dropped: string[] = []): DecodedInput {
  const system: CanonPart[] = []
  const messages: CanonMessage[] = []
  if (typeof input === 'string') {
    messages.push({ role: 'user', parts: [{ type: 'text', text: input }] })
    return { system, messages }
  }
  const list = input as unknown[]
  /** call id → tool name (Gemini needs the name on results) */
  const callNames = new Map<string, string>()
  /** a carried Gemini signature waiting for the call item after it */
  let callSignature: string | undefined

  const last = () => messages[messages.length - 1]
  const assistantTurn = (): CanonPart[] => {
    const m = last()
    if (m && m.role === 'assistant') return m.parts
    const parts: CanonPart[] = []
    messages.push({ role: 'assistant', parts })
    return parts
  }
  /** the user turn that holds tool results, if the last message is one */
  const resultTurn = (): CanonMessage | undefined => {
    const m = last()
    return m && m.role === 'user' && m.parts.length && m.parts[m.parts.length - 1].type === 'tool_result' ? m : undefined
  }

  for (let i = 0; i < list.length; i++) {
    const field = `input[${i}]`
    const item = needObject(list[i], field)
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined)
    switch (type) {
      case 'message': {
        const role = item.role
        if (role === 'system' || role === 'developer') {
          for (const p of contentParts(item.content, `${field}.content`, false)) if (p.type === 'text') system.push(p)
        } else if (role === 'user') {
          const parts = contentParts(item.content, `${field}.content`, false)
          const turn = resultTurn()
          if (turn) for (const p of parts) turn.parts.push(p)
          else if (parts.length) messages.push({ role: 'user', parts })
        } else if (role === 'assistant') {
          const parts = contentParts(item.content, `${field}.content`, true)
          if (parts.length) assistantTurn().push(...parts)
        } else {
          throw badRequest(`Invalid value for '${field}.role': expected one of user, assistant, system, developer.`, `${field}.role`)
        }
        break
      }
      case 'reasoning': {
        // Gemini's signature for the call that follows, parked by us on an earlier turn
        const signature = typeof item.encrypted_content === 'string' ? unpackGeminiCallSignature(item.encrypted_content) : undefined
        if (signature) {
          callSignature = signature
          break
        }
        const part = reasoningPart(item)
        if (part) assistantTurn().push(part)
        break
      }
      case 'function_call':
      case 'custom_tool_call': {
        const custom = type === 'custom_tool_call'
        if (typeof item.name !== 'string' || !item.name) throw badRequest(`Missing required parameter: '${field}.name'.`, `${field}.name`)
        const id = typeof item.call_id === 'string' && item.call_id ? item.call_id : typeof item.id === 'string' && item.id ? item.id : `call_${i}`
        const args = stringArg(custom ? item.input : item.arguments)
        const part: CanonPart = { type: 'tool_call', id, name: item.name, argumentsJson: args }
        if (custom) part.custom = true
        if (callSignature) part.signature = callSignature
        callSignature = undefined
        callNames.set(id, item.name)
        assistantTurn().push(part)
        break
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const callId = item.call_id
        if (typeof callId !== 'string' || !callId) throw badRequest(`Missing required parameter: '${field}.call_id'.`, `${field}.call_id`)
        const part: ToolResult = { type: 'tool_result', callId, content: outputParts(item.output, `${field}.output`) }
        const name = callNames.get(callId)
        if (name) part.name = name
        if (type === 'custom_tool_call_output') part.custom = true
        const turn = resultTurn()
        if (turn) turn.parts.push(part)
        else messages.push({ role: 'user', parts: [part] })
        break
      }
      default:
        warnings.push(`skipped input item of type '${String(type)}': not translatable`)
        drop(dropped, 'input.item')
    }
  }
  return { system, messages }
}
