// Bedrock Converse usage → canonical. Like Anthropic, `inputTokens` excludes cache reads and
// writes (`totalTokens` includes them); the canonical input includes them. Non-streaming answers
// were seen with both `cacheReadInputTokens` and `cacheReadInputTokenCount`: either is read.
import type { CanonUsage } from '../../canonical/usage'
import { asNumber, isObject } from '../anthropic/wire'

export function usageFromConverse(u: unknown): Partial<CanonUsage> {
  if (!isObject(u)) return {}
  const input = asNumber(u.inputTokens)
  const read = asNumber(u.cacheReadInputTokens) ?? asNumber(u.cacheReadInputTokenCount)
  const write = asNumber(u.cacheWriteInputTokens) ?? asNumber(u.cacheWriteInputTokenCount)
  const output = asNumber(u.outputTokens)
  const out: Partial<CanonUsage> = {}
  if (input !== undefined || read !== undefined || write !== undefined) out.inputTokens = (input ?? 0) + (read ?? 0) + (write ?? 0)
  if (output !== undefined) out.outputTokens = output
  if (read !== undefined) out.cacheReadTokens = read
  if (write !== undefined) out.cacheWriteTokens = write
  return out
}
