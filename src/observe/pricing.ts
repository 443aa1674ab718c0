// Cost of one request from the pricing table (USD per million tokens, first matching glob wins),
// else from the built-in table (prices/, generated from LiteLLM's price list).
// Usage follows the OpenAI convention: input includes cache reads and writes, output includes
// reasoning. Pure; the model → price lookup is cached per pricing table.
import type { CanonUsage } from '../canonical/usage'
import type { Config, Price } from '../config/types'
import { globMatcher } from '../routing/glob'
import { builtinPrice, builtinPriceId } from './prices/builtin'

export type PricingTable = Config['pricing']

export interface Cost {
  usd: number
  /** false when no pricing entry matches the model (usd is then 0) */
  priced: boolean
}

const PER_TOKEN = 1 / 1_000_000
/** Upstream model names are open-ended (provider/* routes); bound the memo. */
const MAX_MEMO = 4096
const memo = new WeakMap<PricingTable, Map<string, Price | null>>()

export function priceFor(pricing: PricingTable, model: string): Price | undefined {
  let byModel = memo.get(pricing)
  if (!byModel) memo.set(pricing, (byModel = new Map()))
  let price = byModel.get(model)
  if (price === undefined) {
    price = null
    for (const e of pricing)
      if (globMatcher(e.pattern)(model)) {
        price = e.price
        break
      }
    if (byModel.size >= MAX_MEMO) byModel.clear()
    byModel.set(model, price)
  }
  return price ?? undefined
}

export function costOf(price: Price, usage: CanonUsage): number {
  const cacheRead = usage.cacheReadTokens ?? 0
  const cacheWrite = usage.cacheWriteTokens ?? 0
  const freshInput = Math.max(0, usage.inputTokens - cacheRead - cacheWrite)
  return (
    (freshInput * price.input +
      cacheRead * (price.cache_read ?? price.input) +
      cacheWrite * (price.cache_write ?? price.input) +
      usage.outputTokens * price.output) *
    PER_TOKEN
  )
}

/** Where a model's price comes from, for `llm-proxy check`. */
export function priceSource(pricing: PricingTable, model: string): { price?: Price; from: string } {
  const entry = pricing.find((e) => globMatcher(e.pattern)(model))
  if (entry) return { price: entry.price, from: `pricing "${entry.pattern}"` }
  const id = builtinPriceId(model)
  return id ? { price: builtinPrice(model), from: `built-in ${id}` } : { from: 'none' }
}

export function costUsd(pricing: PricingTable, upstreamModel: string, usage: CanonUsage): Cost {
  const price = priceFor(pricing, upstreamModel) ?? builtinPrice(upstreamModel)
  return price ? { usd: costOf(price, usage), priced: true } : { usd: 0, priced: false }
}
