// Gemini `finishReason` ⇄ canonical finish (protocols/README.md §2.11, gemini.md, pitfall C5).
// Gemini has no tool-call reason: STOP with functionCall parts means tool_calls.
import type { CanonFinish } from '../../canonical/response'

export type GeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'OTHER'

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
])

const ERROR = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS', 'OTHER', 'IMAGE_OTHER', 'NO_IMAGE'])

/** upstream → canonical; an unknown or unspecified reason is derived from the content */
export function finishFromGemini(reason: string, hasToolCalls: boolean): CanonFinish {
  if (reason === 'MAX_TOKENS') return 'length'
  // CONTINUATION: the answer is cut and only a follow-up request (which we do not make) would go on
  if (reason === 'CONTINUATION') return 'length'
  if (CONTENT_FILTER.has(reason)) return 'content_filter'
  if (ERROR.has(reason)) return 'error'
  return hasToolCalls ? 'tool_calls' : 'stop'
}

/** canonical → a Gemini client */
export function finishToGemini(finish: CanonFinish | undefined): GeminiFinishReason {
  switch (finish) {
    case 'length':
    case 'context_overflow':
      return 'MAX_TOKENS'
    case 'content_filter':
    case 'refusal':
      return 'SAFETY'
    case 'error':
      return 'OTHER'
    default:
      // stop, stop_sequence, tool_calls (Gemini's own tool answers end with STOP), pause
      return 'STOP'
  }
}
