// Anthropic (and Bedrock) count thinking inside output_tokens and report no reasoning figure: a
// client of another dialect would see reasoning_tokens 0 for a turn that thought. When the
// upstream thought and gave no count, the figure is counted from the thinking text (time-bounded,
// an estimate like every local count) and never exceeds the output tokens.
import type { CanonEvent } from '../canonical/event'
import type { CanonResponse } from '../canonical/response'
import type { CanonUsage } from '../canonical/usage'
import { countTextTokens, estimateTokens } from '../tokens/count-tokens'

/** thinking beyond this many characters is estimated as chars/4 without being kept */
const MAX_KEPT = 256 * 1024

const estimate = (text: string, extraChars: number, usage: CanonUsage): number => {
  const n = estimateTokens(countTextTokens, text) + Math.ceil(extraChars / 4)
  return usage.outputTokens > 0 ? Math.min(n, usage.outputTokens) : n
}

/** A stream's thinking text, and the usage event to add before its finish when nothing counted it. */
export class ReasoningTally {
  private text = ''
  private extra = 0

  add(ev: CanonEvent): void {
    if (ev.type !== 'reasoning_delta') return
    if (this.text.length + ev.text.length <= MAX_KEPT) this.text += ev.text
    else this.extra += ev.text.length
  }

  /** the usage event to send first, if the upstream thought and said nothing of it */
  missing(usage: CanonUsage): CanonEvent | undefined {
    if (usage.reasoningTokens !== undefined || (this.text.length === 0 && this.extra === 0)) return undefined
    return { type: 'usage', usage: { reasoningTokens: estimate(this.text, this.extra, usage) } }
  }
}

export function withReasoningEstimate(res: CanonResponse): CanonResponse {
  if (res.usage.reasoningTokens !== undefined) return res
  let text = ''
  for (const p of res.parts) if (p.type === 'reasoning') text += p.text
  if (!text) return res
  return { ...res, usage: { ...res.usage, reasoningTokens: estimate(text, 0, res.usage) } }
}
