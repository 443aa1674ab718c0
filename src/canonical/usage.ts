// Token usage in the OpenAI convention: totals include their cached / reasoning subsets.

export interface CanonUsage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
  reasoningTokens?: number
}

export const emptyUsage = (): CanonUsage => ({ inputTokens: 0, outputTokens: 0 })

/** Later reports win per field (streams report running totals). */
export function mergeUsage(into: CanonUsage, patch: Partial<CanonUsage>): CanonUsage {
  if (patch.inputTokens !== undefined) into.inputTokens = patch.inputTokens
  if (patch.outputTokens !== undefined) into.outputTokens = patch.outputTokens
  if (patch.cacheReadTokens !== undefined) into.cacheReadTokens = patch.cacheReadTokens
  if (patch.cacheWriteTokens !== undefined) into.cacheWriteTokens = patch.cacheWriteTokens
  if (patch.reasoningTokens !== undefined) into.reasoningTokens = patch.reasoningTokens
  return into
}
