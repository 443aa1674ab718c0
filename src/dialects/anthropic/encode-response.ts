// Front door: CanonResponse → an Anthropic Message, as the SDK and Claude Code read it.
import { wrapCustomInput } from '../../canonical/custom-tools'
import type { CanonResponse } from '../../canonical/response'
import type { ResponseContext } from '../dialect'
import { usageToAnthropic, type AnthropicUsage } from './convert-usage'
import { parseInput } from './encode-messages'
import { finishToAnthropic, type AnthropicStopReason } from './map-finish-reason'
import type { Json } from './wire'

export interface AnthropicMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: Json[]
  stop_reason: AnthropicStopReason
  stop_sequence: string | null
  usage: AnthropicUsage
}

/** the upstream's id when it is already an Anthropic one, else a fresh `msg_` id */
export const messageId = (id: string, ctx: ResponseContext): string => (id.startsWith('msg_') ? id : ctx.newId('msg_'))

export function encodeResponse(res: CanonResponse, ctx: ResponseContext): AnthropicMessage {
  const content: Json[] = []
  let hasToolCalls = false
  for (const p of res.parts) {
    switch (p.type) {
      case 'text':
      case 'refusal':
        if (p.text.length) content.push({ type: 'text', text: p.text })
        break
      case 'reasoning':
        if (p.redacted && p.origin === 'anthropic') content.push({ type: 'redacted_thinking', data: p.redacted })
        // a foreign signature would come back to us as Anthropic's: the client gets none
        else if (p.text.length || p.signature) content.push({ type: 'thinking', thinking: p.text, signature: p.origin === 'anthropic' ? (p.signature ?? '') : '' })
        break
      case 'tool_call':
        hasToolCalls = true
        content.push({
          type: 'tool_use',
          id: p.id || ctx.newId('toolu_'),
          name: p.name,
          input: p.custom ? JSON.parse(wrapCustomInput(p.argumentsJson)) : parseInput(p.argumentsJson),
        })
        break
      default:
        break
    }
  }
  const stopReason = finishToAnthropic(res.finish, hasToolCalls)
  return {
    id: messageId(res.id, ctx),
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? (res.stopSequence ?? null) : null,
    usage: usageToAnthropic(res.usage),
  }
}
