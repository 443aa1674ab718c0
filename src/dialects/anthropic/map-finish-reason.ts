// Anthropic `stop_reason` ⇄ canonical finish (protocols/README.md §2.11, pitfall C5).
import type { CanonFinish } from '../../canonical/response'

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'

/** upstream → canonical; a missing or unknown reason is derived from the content */
export function finishFromAnthropic(reason: unknown, hasToolCalls: boolean): CanonFinish {
  switch (reason) {
    case 'end_turn':
      return hasToolCalls ? 'tool_calls' : 'stop'
    case 'max_tokens':
      return 'length'
    case 'stop_sequence':
      return 'stop_sequence'
    case 'tool_use':
      return 'tool_calls'
    case 'pause_turn':
      return 'pause'
    case 'refusal':
      return 'refusal'
    case 'model_context_window_exceeded':
      return 'context_overflow'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}

/**
 * Canonical → client. Any tool call makes it `tool_use` (Claude Code runs tools only then), except
 * when the output was cut by a limit: the call's input is truncated and must not be executed.
 * Conversely a `tool_calls` finish without any call emitted is an ordinary end_turn.
 */
export function finishToAnthropic(finish: CanonFinish | undefined, hasToolCalls: boolean): AnthropicStopReason {
  if (finish === 'length') return 'max_tokens'
  if (finish === 'context_overflow') return 'model_context_window_exceeded'
  if (hasToolCalls) return 'tool_use'
  switch (finish) {
    case 'stop_sequence':
      return 'stop_sequence'
    case 'content_filter':
    case 'refusal':
      return 'refusal'
    case 'pause':
      return 'pause_turn'
    default:
      return 'end_turn'
  }
}
