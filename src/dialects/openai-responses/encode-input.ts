// Canonical system + turns → Responses `instructions` and `input` items.
// Reasoning is replayed only as OpenAI produced it (origin openai with encrypted_content): other
// origins' signatures mean nothing here, and a summary without its encrypted state cannot be replayed.
import type { CanonMessage, CanonPart, CanonRequest } from '../../canonical/request'
import { partToResponses } from './convert-content'
import type { Json } from './wire'

export function encodeInstructions(req: CanonRequest): string | undefined {
  let text = ''
  for (const p of req.system) if (p.type === 'text' && p.text) text += (text ? '\n\n' : '') + p.text
  return text || undefined
}

export function encodeInput(messages: CanonMessage[]): Json[] {
  const out: Json[] = []
  for (const m of messages) {
    if (m.role === 'assistant') encodeAssistant(m.parts, out)
    else encodeUser(m.parts, out)
  }
  return out
}

/** tool results first (as their own items), then the turn's other parts as one user message */
function encodeUser(parts: CanonPart[], out: Json[]): void {
  const content: Json[] = []
  for (const p of parts) {
    if (p.type === 'tool_result') out.push(toolOutput(p))
    else {
      const c = partToResponses(p)
      if (c) content.push(c)
    }
  }
  if (content.length) out.push({ type: 'message', role: 'user', content })
}

function toolOutput(p: Extract<CanonPart, { type: 'tool_result' }>): Json {
  let output: string | Json[]
  if (p.content.every((c) => c.type === 'text')) {
    output = ''
    for (const c of p.content) if (c.type === 'text') output += (output ? '\n' : '') + c.text
  } else {
    output = []
    for (const c of p.content) {
      const part = partToResponses(c)
      if (part) output.push(part)
    }
  }
  return { type: p.custom ? 'custom_tool_call_output' : 'function_call_output', call_id: p.callId, output }
}

/** text and refusals gather into one assistant message, flushed before each non-text item */
function encodeAssistant(parts: CanonPart[], out: Json[]): void {
  let content: Json[] = []
  const flush = () => {
    if (!content.length) return
    out.push({ type: 'message', role: 'assistant', content })
    content = []
  }
  for (const p of parts) {
    switch (p.type) {
      case 'text':
        if (p.text) content.push({ type: 'output_text', text: p.text })
        break
      case 'refusal':
        content.push({ type: 'refusal', refusal: p.text })
        break
      case 'reasoning': {
        if (p.origin !== 'openai' || !p.encrypted) break
        flush()
        const item: Json = { type: 'reasoning' }
        if (p.itemId) item.id = p.itemId
        item.summary = p.text ? [{ type: 'summary_text', text: p.text }] : []
        item.encrypted_content = p.encrypted
        out.push(item)
        break
      }
      case 'tool_call':
        flush()
        out.push(
          p.custom
            ? { type: 'custom_tool_call', call_id: p.id, name: p.name, input: p.argumentsJson }
            : { type: 'function_call', call_id: p.id, name: p.name, arguments: p.argumentsJson || '{}' },
        )
        break
      default:
        break
    }
  }
  flush()
}
