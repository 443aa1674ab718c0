// Front door: Anthropic `system` and `messages` → canonical system parts and messages.
// `role: "system"` entries inside `messages` (newest API) are hoisted into the system prompt in
// order; consecutive same-role turns are merged, as the Anthropic API itself does.
import type { CanonMessage, CanonPart } from '../../canonical/request'
import { badRequest } from '../../errors'
import { cacheFrom, mediaFromBlock } from './convert-content'
import { missing, needObject, needString, wrongType } from './validate'
import { asString, isObject, type Json } from './wire'

export function decodeSystem(system: unknown, field = 'system', out: CanonPart[] = []): CanonPart[] {
  if (system === undefined || system === null) return out
  if (typeof system === 'string') {
    if (system) out.push({ type: 'text', text: system })
    return out
  }
  if (!Array.isArray(system)) throw wrongType(field, 'a valid string or list of text blocks', system)
  for (let i = 0; i < system.length; i++) {
    const b = needObject(system[i], `${field}.${i}`)
    if (b.type === 'text') mediaFromBlock(b, `${field}.${i}`, out)
  }
  return out
}

export function decodeMessages(list: unknown[], system: CanonPart[]): CanonMessage[] {
  const messages: CanonMessage[] = []
  /** tool_use id → name, for results (Gemini needs the name) */
  const names = new Map<string, string>()
  for (let i = 0; i < list.length; i++) {
    const field = `messages.${i}`
    const m = needObject(list[i], field)
    const role = m.role
    if (role === 'system') {
      decodeSystem(m.content, `${field}.content`, system)
      continue
    }
    if (role !== 'user' && role !== 'assistant') {
      if (role === undefined) throw missing(`${field}.role`)
      throw badRequest(`${field}.role: Input should be 'user' or 'assistant'`, `${field}.role`)
    }
    const parts = decodeContent(m.content, `${field}.content`, role, names)
    const last = messages[messages.length - 1]
    if (last && last.role === role) {
      for (let k = 0; k < parts.length; k++) last.parts.push(parts[k])
    } else messages.push({ role, parts })
  }
  return messages
}

function decodeContent(content: unknown, field: string, role: 'user' | 'assistant', names: Map<string, string>): CanonPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (content === undefined || content === null) throw missing(field)
  if (!Array.isArray(content)) throw wrongType(field, 'a valid string or list of content blocks', content)
  const out: CanonPart[] = []
  for (let i = 0; i < content.length; i++) {
    const f = `${field}.${i}`
    const b = needObject(content[i], f)
    switch (b.type) {
      case 'tool_use': {
        const id = needString(b.id, `${f}.id`)
        const name = needString(b.name, `${f}.name`)
        names.set(id, name)
        const input = b.input
        const part: CanonPart = { type: 'tool_call', id, name, argumentsJson: input === undefined || input === null ? '{}' : JSON.stringify(input) }
        const cache = cacheFrom(b.cache_control)
        if (cache) part.cache = cache
        out.push(part)
        break
      }
      case 'tool_result':
        out.push(toolResult(b, f, names))
        break
      case 'thinking': {
        const part: CanonPart = { type: 'reasoning', text: asString(b.thinking) ?? '', origin: 'anthropic' }
        const signature = asString(b.signature)
        if (signature) part.signature = signature
        out.push(part)
        break
      }
      case 'redacted_thinking':
        out.push({ type: 'reasoning', text: '', redacted: needString(b.data, `${f}.data`), origin: 'anthropic' })
        break
      case undefined:
        throw missing(`${f}.type`)
      default:
        // text, image, document; server-tool blocks and unknown types are dropped
        if (role === 'user' || b.type === 'text') mediaFromBlock(b, f, out)
    }
  }
  return out
}

function toolResult(b: Json, field: string, names: Map<string, string>): CanonPart {
  const callId = needString(b.tool_use_id, `${field}.tool_use_id`)
  const content: CanonPart[] = []
  const c = b.content
  if (typeof c === 'string') content.push({ type: 'text', text: c })
  else if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) {
      const inner = c[i]
      if (isObject(inner)) mediaFromBlock(inner, `${field}.content.${i}`, content)
    }
  } else if (c !== undefined && c !== null) throw wrongType(`${field}.content`, 'a valid string or list of content blocks', c)
  const part: CanonPart = { type: 'tool_result', callId, content }
  const name = names.get(callId)
  if (name !== undefined) part.name = name
  if (b.is_error === true) part.isError = true
  const cache = cacheFrom(b.cache_control)
  if (cache) part.cache = cache
  return part
}
