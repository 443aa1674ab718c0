// Converse `stopReason` → canonical finish. A tool call makes it tool_calls whatever was said
// (pitfall C5), except when the output was cut by the token limit.
import type { CanonFinish } from '../../canonical/response'

export function finishFromConverse(reason: unknown, hasToolCalls: boolean): CanonFinish {
  switch (reason) {
    case 'max_tokens':
      return 'length'
    case 'model_context_window_exceeded':
      return 'context_overflow'
    case 'tool_use':
    case 'malformed_tool_use':
      return 'tool_calls'
    case 'stop_sequence':
      return hasToolCalls ? 'tool_calls' : 'stop_sequence'
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter'
    case 'malformed_model_output':
      return 'error'
    default:
      return hasToolCalls ? 'tool_calls' : 'stop'
  }
}
