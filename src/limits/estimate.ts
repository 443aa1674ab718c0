// What a request may cost, reserved at admission against tpm and budget and settled to the real
// figure when it ends. Cheap by design (no tokenizer on the hot path):
// - input: body bytes / 4. JSON keys, quotes and roles make this an over-estimate for text.
// - output: the request's own cap (max_tokens, max_completion_tokens, max_output_tokens, Gemini's
//   generationConfig.maxOutputTokens), else DEFAULT_OUTPUT_ESTIMATE.
// - cost: the dearest price among the plan's targets (a failover may land on any of them);
//   unpriced targets cost 0.
import type { Config } from '../config/types'
import { costOf, priceFor } from '../observe/pricing'

/** output tokens assumed for a request that names no cap of its own */
export const DEFAULT_OUTPUT_ESTIMATE = 4096
/** a client's max_tokens beyond this is not believed (it would reserve a whole budget) */
const MAX_OUTPUT_ESTIMATE = 1_000_000

export interface Estimate {
  tokens: number
  costUsd: number
}

const positiveInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.ceil(v) : undefined)

/** The output cap a request names, in any dialect's field. */
export function requestedMaxOutput(body: Record<string, unknown>): number | undefined {
  const gen = body.generationConfig
  return (
    positiveInt(body.max_tokens) ??
    positiveInt(body.max_completion_tokens) ??
    positiveInt(body.max_output_tokens) ??
    (gen && typeof gen === 'object' ? positiveInt((gen as Record<string, unknown>).maxOutputTokens) : undefined)
  )
}

export function estimateRequest(body: Record<string, unknown>, bodySize: number, pricing: Config['pricing'], upstreamModels: readonly string[]): Estimate {
  const inputTokens = Math.ceil(bodySize / 4)
  const outputTokens = Math.min(requestedMaxOutput(body) ?? DEFAULT_OUTPUT_ESTIMATE, MAX_OUTPUT_ESTIMATE)
  let costUsd = 0
  for (const model of upstreamModels) {
    const price = priceFor(pricing, model)
    if (price) costUsd = Math.max(costUsd, costOf(price, { inputTokens, outputTokens }))
  }
  return { tokens: inputTokens + outputTokens, costUsd }
}
