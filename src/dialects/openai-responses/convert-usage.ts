// Responses `usage` ⇄ canonical usage. Both use the OpenAI convention (totals include the cached and
// reasoning subsets), so this is renaming only.
import type { CanonUsage } from '../../canonical/usage'
import { asNumber, isObject } from './wire'

export interface ResponsesUsage {
  input_tokens: number
  input_tokens_details: { cached_tokens: number }
  output_tokens: number
  output_tokens_details: { reasoning_tokens: number }
  total_tokens: number
}

/** only the fields the upstream reported */
export function usageFromResponses(u: unknown): Partial<CanonUsage> {
  const out: Partial<CanonUsage> = {}
  if (!isObject(u)) return out
  const input = asNumber(u.input_tokens)
  const output = asNumber(u.output_tokens)
  if (input !== undefined) out.inputTokens = input
  if (output !== undefined) out.outputTokens = output
  const id = u.input_tokens_details
  if (isObject(id)) {
    const cached = asNumber(id.cached_tokens)
    const written = asNumber(id.cache_write_tokens)
    if (cached !== undefined) out.cacheReadTokens = cached
    if (written !== undefined) out.cacheWriteTokens = written
  }
  const od = u.output_tokens_details
  if (isObject(od)) {
    const reasoning = asNumber(od.reasoning_tokens)
    if (reasoning !== undefined) out.reasoningTokens = reasoning
  }
  return out
}

/** always complete: Codex fails to parse response.completed if a count is missing */
export function usageToResponses(u: Partial<CanonUsage>): ResponsesUsage {
  const input = u.inputTokens ?? 0
  const output = u.outputTokens ?? 0
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    total_tokens: input + output,
  }
}
