// Chat `usage` ⇄ canonical usage. Both use the OpenAI convention (totals include the cached and
// reasoning subsets), so this is renaming only.
import type { CanonUsage } from '../../canonical/usage'
import { asNumber, isObject } from './wire'

export interface ChatUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}

/** only the fields the upstream actually reported (streams merge partial reports) */
export function usageFromChat(u: unknown): Partial<CanonUsage> {
  const out: Partial<CanonUsage> = {}
  if (!isObject(u)) return out
  const input = asNumber(u.prompt_tokens)
  const output = asNumber(u.completion_tokens)
  if (input !== undefined) out.inputTokens = input
  if (output !== undefined) out.outputTokens = output
  const pd = u.prompt_tokens_details
  if (isObject(pd)) {
    const cached = asNumber(pd.cached_tokens)
    const written = asNumber(pd.cache_write_tokens)
    if (cached !== undefined) out.cacheReadTokens = cached
    if (written !== undefined) out.cacheWriteTokens = written
  }
  const cd = u.completion_tokens_details
  if (isObject(cd)) {
    const reasoning = asNumber(cd.reasoning_tokens)
    if (reasoning !== undefined) out.reasoningTokens = reasoning
  }
  return out
}

export function usageToChat(u: Partial<CanonUsage>): ChatUsage {
  const input = u.inputTokens ?? 0
  const output = u.outputTokens ?? 0
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
  }
}
