// Anthropic usage ⇄ canonical. Anthropic's input_tokens EXCLUDES cache reads and writes; the
// canonical inputTokens includes them (OpenAI convention), so the three are summed going in and
// split again going out.
import type { CanonUsage } from '../../canonical/usage'
import { asNumber, isObject } from './wire'

export interface AnthropicUsage {
  input_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
  output_tokens: number
}

/** the raw counters reported so far (streams repeat cumulative values: later reports overwrite) */
export interface RawUsage {
  input?: number
  read?: number
  write?: number
  output?: number
  thinking?: number
}

/** overwrite `raw` with the fields present in `u` */
export function readUsage(u: unknown, raw: RawUsage): void {
  if (!isObject(u)) return
  const input = asNumber(u.input_tokens)
  if (input !== undefined) raw.input = input
  const read = asNumber(u.cache_read_input_tokens)
  if (read !== undefined) raw.read = read
  const write = asNumber(u.cache_creation_input_tokens)
  if (write !== undefined) raw.write = write
  const output = asNumber(u.output_tokens)
  if (output !== undefined) raw.output = output
  const details = u.output_tokens_details
  if (isObject(details)) {
    const thinking = asNumber(details.thinking_tokens)
    if (thinking !== undefined) raw.thinking = thinking
  }
}

/** canonical view of the raw counters (only what was reported) */
export function canonUsage(raw: RawUsage): Partial<CanonUsage> {
  const out: Partial<CanonUsage> = {}
  if (raw.input !== undefined || raw.read !== undefined || raw.write !== undefined)
    out.inputTokens = (raw.input ?? 0) + (raw.read ?? 0) + (raw.write ?? 0)
  if (raw.read !== undefined) out.cacheReadTokens = raw.read
  if (raw.write !== undefined) out.cacheWriteTokens = raw.write
  if (raw.output !== undefined) out.outputTokens = raw.output
  if (raw.thinking !== undefined) out.reasoningTokens = raw.thinking
  return out
}

export function usageFromAnthropic(u: unknown): CanonUsage {
  const raw: RawUsage = {}
  readUsage(u, raw)
  const c = canonUsage(raw)
  return { ...c, inputTokens: c.inputTokens ?? 0, outputTokens: c.outputTokens ?? 0 }
}

export function usageToAnthropic(u: Partial<CanonUsage>): AnthropicUsage {
  const read = u.cacheReadTokens ?? 0
  const write = u.cacheWriteTokens ?? 0
  return {
    input_tokens: Math.max(0, (u.inputTokens ?? 0) - read - write),
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
    output_tokens: u.outputTokens ?? 0,
  }
}
