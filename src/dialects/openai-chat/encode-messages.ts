// Canonical system + turns → Chat `messages`.
import { wrapCustomInput } from '../../canonical/custom-tools'
import type { CanonMessage, CanonPart, CanonRequest } from '../../canonical/request'
import { partToChat } from './convert-content'
import type { Json } from './wire'

/** what a tool message says when its images travel in the user message after it (pitfall C6) */
export const IMAGE_BELOW = '[image attached below]'

export function encodeMessages(req: CanonRequest): Json[] {
  const out: Json[] = []
  let system = ''
  for (const p of req.system) if (p.type === 'text' && p.text) system += (system ? '\n\n' : '') + p.text
  if (system) out.push({ role: 'system', content: system })
  for (const m of req.messages) {
    if (m.role === 'assistant') encodeAssistant(m, out)
    else encodeUser(m, out)
  }
  return out
}

/**
 * Tool results first, one `tool` message per call (Chat wants them right after the assistant
 * turn); images or files inside results, then the turn's own parts, in one user message after them.
 */
function encodeUser(m: CanonMessage, out: Json[]): void {
  const content: Json[] = []
  for (const p of m.parts) {
    if (p.type === 'tool_result') out.push(toolMessage(p, content))
    else {
      const c = partToChat(p)
      if (c) content.push(c)
    }
  }
  if (!content.length) return
  const msg: Json = { role: 'user', content: content.length === 1 && content[0].type === 'text' ? content[0].text : content }
  if (m.name) msg.name = m.name
  out.push(msg)
}

function toolMessage(p: Extract<CanonPart, { type: 'tool_result' }>, carry: Json[]): Json {
  let text = ''
  let carried = false
  for (const c of p.content) {
    if (c.type === 'text') text += (text ? '\n' : '') + c.text
    else {
      const moved = partToChat(c)
      if (moved) {
        carry.push(moved)
        carried = true
      }
    }
  }
  if (carried && !text) text = IMAGE_BELOW
  return { role: 'tool', tool_call_id: p.callId, content: text }
}

/** reasoning is dropped (Chat has no standard field for it); a refusal becomes plain text */
function encodeAssistant(m: CanonMessage, out: Json[]): void {
  let text = ''
  const calls: Json[] = []
  for (const p of m.parts) {
    if (p.type === 'text' || p.type === 'refusal') {
      if (p.text) text += (text ? '\n\n' : '') + p.text
    } else if (p.type === 'tool_call') {
      const args = p.custom ? wrapCustomInput(p.argumentsJson) : p.argumentsJson || '{}'
      calls.push({ id: p.id, type: 'function', function: { name: p.name, arguments: args } })
    }
  }
  if (!text && !calls.length) return
  const msg: Json = { role: 'assistant', content: text || null }
  if (calls.length) msg.tool_calls = calls
  if (m.name) msg.name = m.name
  out.push(msg)
}
