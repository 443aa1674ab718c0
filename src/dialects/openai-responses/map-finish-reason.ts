// Responses status ⇄ canonical finish (protocols/README.md §2.11). Responses has no finish
// reason: `completed` (+ tool calls), `incomplete` + incomplete_details.reason, `failed`.
import type { CanonFinish } from '../../canonical/response'

export function finishFromResponses(status: unknown, incompleteReason: unknown, hasToolCalls: boolean): CanonFinish {
  if (status === 'incomplete') return incompleteReason === 'content_filter' ? 'content_filter' : 'length'
  if (status === 'failed') return 'error'
  return hasToolCalls ? 'tool_calls' : 'stop'
}

export interface ResponsesOutcome {
  status: 'completed' | 'incomplete' | 'failed'
  /** incomplete_details.reason */
  reason?: 'max_output_tokens' | 'content_filter'
  /** response.error for a failed response */
  error?: { code: string; message: string }
}

/** a refusal is reported like a content filter; a context overflow fails with the code Codex knows */
export function outcomeForFinish(finish: CanonFinish | undefined): ResponsesOutcome {
  switch (finish) {
    case 'length':
      return { status: 'incomplete', reason: 'max_output_tokens' }
    case 'content_filter':
    case 'refusal':
      return { status: 'incomplete', reason: 'content_filter' }
    case 'context_overflow':
      return { status: 'failed', error: { code: 'context_length_exceeded', message: 'the input exceeds the context window of the model' } }
    case 'error':
      return { status: 'failed', error: { code: 'server_error', message: 'the model failed to produce a response' } }
    default:
      return { status: 'completed' }
  }
}
