// The built-in price of an upstream model name, used when `pricing:` names no price for it.
// Provider-specific ids map to their base model: Bedrock `us.anthropic.claude-sonnet-4-5-20250929-v1:0`
// and `anthropic.claude-…-v1:0`, Vertex `claude-sonnet-4-5@20250929`, a `models/` or `publishers/…/models/`
// path, a provider prefix. Then: the exact id, the id without a date suffix, or the longest
// known id the name extends at a '-' boundary (gpt-4o-2024-08-06 → gpt-4o-2024-08-06, gpt-5-foo → gpt-5).
import type { Price } from '../../config/types'
import { BUILTIN_PRICES } from './table'

/** Bedrock cross-region inference profiles put a geography first. */
const BEDROCK_GEO = /^(?:us|eu|apac|ap|global|jp|au|ca|us-gov)\./
const BEDROCK_VENDOR = /^(?:anthropic|openai|meta|mistral|cohere|amazon|deepseek|qwen|moonshot|minimax|google)\./
const BEDROCK_VERSION = /-v\d+(?::\d+)?$/
const DATE_SUFFIX = /(?:-\d{8}|-\d{4}-\d{2}-\d{2}|-\d{4})$/
/** Upstream names are open-ended: memoize a bounded number. */
const MAX_MEMO = 4096
const memo = new Map<string, Price | null>()

/** The candidate names to look up, most specific first. Pure. */
export function baseModelIds(model: string): string[] {
  let id = model.trim().toLowerCase()
  id = id.replace(/^.*\/models\//, '').replace(/^models\//, '')
  // a provider prefix as routers write it: openai/gpt-4o, vertex_ai/claude-…
  if (id.includes('/')) id = id.slice(id.lastIndexOf('/') + 1)
  const out = [id]
  const bedrock = id.replace(BEDROCK_GEO, '').replace(BEDROCK_VENDOR, '')
  if (bedrock !== id) out.push(bedrock, bedrock.replace(BEDROCK_VERSION, ''))
  // Vertex: claude-sonnet-4-5@20250929 → claude-sonnet-4-5-20250929 → claude-sonnet-4-5
  if (id.includes('@')) out.push(id.replace('@', '-'), id.slice(0, id.indexOf('@')))
  const last = out[out.length - 1]!
  if (DATE_SUFFIX.test(last)) out.push(last.replace(DATE_SUFFIX, ''))
  return [...new Set(out)]
}

const toPrice = (p: readonly number[]): Price => ({
  input: p[0]!,
  output: p[1]!,
  ...(p[2] !== undefined && { cache_read: p[2] }),
  ...(p[3] !== undefined && { cache_write: p[3] }),
})

/** The table entry this model is billed at, or undefined. */
export function builtinPriceId(model: string, table: Readonly<Record<string, readonly number[]>> = BUILTIN_PRICES): string | undefined {
  const candidates = baseModelIds(model)
  for (const c of candidates) if (table[c]) return c
  // the longest known id the name extends at a '-' boundary (a newer dated or suffixed variant)
  let best: string | undefined
  for (const c of candidates)
    for (let i = c.lastIndexOf('-'); i > 0; i = c.lastIndexOf('-', i - 1)) {
      const prefix = c.slice(0, i)
      if (table[prefix] && (!best || prefix.length > best.length)) best = prefix
      if (best) break
    }
  return best
}

export function builtinPrice(model: string): Price | undefined {
  let p = memo.get(model)
  if (p === undefined) {
    const id = builtinPriceId(model)
    p = id ? toPrice(BUILTIN_PRICES[id]!) : null
    if (memo.size >= MAX_MEMO) memo.clear()
    memo.set(model, p)
  }
  return p ?? undefined
}
