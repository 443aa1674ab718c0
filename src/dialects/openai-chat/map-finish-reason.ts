// Chat `finish_reason` ⇄ canonical finish (protocols/README.md §2.11, pitfall C5).
import type { CanonFinish } from '../../canonical/response'

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

/**
 * Upstream → canonical. Some compatible servers answer `stop` while returning tool calls:
 * the content decides (any tool call → tool_calls), so agent loops still run the tools.
 */
export function finishFromChat(reason: unknown, hasToolCalls: boolean): CanonFinish {
  switch (reason) {
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content_filter'
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/**
 * Canonical → client. Any emitted tool call wins (C5) unless the output was cut by the token
 * limit (its arguments are then truncated). Chat has no refusal/pause/error reasons: a refusal
 * is reported as content_filter, a context overflow as length, the rest as stop.
 */
export function finishToChat(finish: CanonFinish, hasToolCalls: boolean): ChatFinishReason {
  if (finish === 'length' || finish === 'context_overflow') return 'length'
  if (hasToolCalls) return 'tool_calls'
  if (finish === 'content_filter' || finish === 'refusal') return 'content_filter'
  return 'stop'
}
