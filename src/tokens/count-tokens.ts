// Local token counts with the real o200k_base BPE (gpt-4o / gpt-5 family). Used for count_tokens
// estimates, the echo provider's usage and limits checked before a request goes out. Other
// vendors' tokenizers differ by some percent; this is an estimate, never a bill.
import type { CanonPart, CanonRequest, ImageSource } from '../canonical/request'
import { imageSizeFromBase64 } from './image-size'
import { countSteps, newTally, pieces, runAsync, runSync, type Tally, type TokenBudget } from './token-budget'

type Tokenizer = typeof import('gpt-tokenizer/encoding/o200k_base')
let tokenizer: Tokenizer | undefined

/** The BPE tables cost ~0.7 s and ~90 MB to load: only on first use (or at startup via
 *  warmTokenizer), so processes and tests that never count tokens never pay. */
function bpe(): Tokenizer {
  tokenizer ??= require('gpt-tokenizer/encoding/o200k_base') as Tokenizer
  return tokenizer
}

/** true once the BPE tables are in memory (counting is then cheap) */
export const tokenizerLoaded = (): boolean => tokenizer !== undefined

/** Load the tokenizer now (server startup) instead of during the first request that needs it. */
export function warmTokenizer(): void {
  bpe()
}

/** OpenAI's documented chat formula: every message costs 3 tokens, a name 1, the reply priming 3 */
const TOKENS_PER_MESSAGE = 3
const TOKENS_PER_NAME = 1
const REPLY_PRIMING = 3
/** Anthropic's cap: images are downscaled to ≤ 1568 px on the long edge and ≈ 1,600 tokens */
const MAX_IMAGE_EDGE = 1568
const MAX_IMAGE_TOKENS = 1600
/** an image or document whose size we cannot see (URL, file id, PDF): a flat guess */
const UNKNOWN_MEDIA_TOKENS = 1600

// Text that looks like a special token (<|endoftext|>) is ordinary user text here: count it as
// such instead of letting the library throw.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() }

/** set while a time-bounded estimate runs (estimateTokens): past it, text is counted as chars/4 */
let cutoff: number | undefined
const overBudget = (): boolean => cutoff !== undefined && performance.now() > cutoff
const roughCount = (text: string): number => Math.ceil(text.length / 4)

function countPieces(text: string): number {
  if (overBudget()) return roughCount(text)
  const t = bpe()
  let n = 0
  for (const p of pieces(text)) n += overBudget() ? roughCount(p) : t.countTokens(p, PLAIN_TEXT)
  return n
}

/** one piece, never throwing: a rough chars/4 beats failing a request */
function countPiece(piece: string): number {
  if (overBudget()) return roughCount(piece)
  try {
    return bpe().countTokens(piece, PLAIN_TEXT)
  } catch {
    return Math.ceil(piece.length / 4)
  }
}

export function countTextTokens(text: string): number {
  if (text.length === 0) return 0
  try {
    return countPieces(text)
  } catch {
    // the tokenizer should not throw on any string; if it ever does, a rough chars/4 beats failing a request
    return Math.ceil(text.length / 4)
  }
}

/** The longest prefix of `text` that fits in `maxTokens` tokens. */
export function truncateTextTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return ''
  try {
    const { encode, decode } = bpe()
    const tokens = encode(text, PLAIN_TEXT)
    if (tokens.length <= maxTokens) return text
    // a cut inside a multi-byte character decodes to U+FFFD: drop it
    return decode(tokens.slice(0, maxTokens)).replace(/\uFFFD+$/, '')
  } catch {
    return text.slice(0, maxTokens * 4)
  }
}

function base64ImageTokens(data: string): number {
  const size = imageSizeFromBase64(data)
  if (!size) return UNKNOWN_MEDIA_TOKENS
  const scale = Math.min(1, MAX_IMAGE_EDGE / Math.max(size.width, size.height))
  return Math.min(MAX_IMAGE_TOKENS, Math.ceil((size.width * scale * (size.height * scale)) / 750))
}

function imageTokens(source: ImageSource): number {
  if (source.kind === 'base64') return base64ImageTokens(source.data)
  const comma = source.url.startsWith('data:') ? source.url.indexOf(',') : -1
  return comma > 0 ? base64ImageTokens(source.url.slice(comma + 1)) : UNKNOWN_MEDIA_TOKENS
}

/** Exact up to 64K characters per request on the caller's thread (echo's usage, a few ms at most). */
const SYNC_BUDGET: TokenBudget = { exactChars: 64 * 1024, sampleChars: 32 * 1024 }
/** The count_tokens endpoint: exact up to 256K characters, in slices that yield to the event loop. */
const ASYNC_BUDGET: TokenBudget = { exactChars: 256 * 1024, sampleChars: 64 * 1024 }

function* partSteps(part: CanonPart, tally: Tally): Generator<void, number> {
  switch (part.type) {
    case 'text':
    case 'refusal':
      return yield* countSteps(part.text, tally, countPiece)
    case 'image':
      return imageTokens(part.source)
    case 'file':
      if (part.data && part.mediaType?.startsWith('text/')) return yield* countSteps(Buffer.from(part.data, 'base64').toString('utf8'), tally, countPiece)
      return UNKNOWN_MEDIA_TOKENS
    case 'tool_call':
      return (yield* countSteps(part.name, tally, countPiece)) + (yield* countSteps(part.argumentsJson, tally, countPiece))
    case 'tool_result': {
      let n = part.name ? yield* countSteps(part.name, tally, countPiece) : 0
      for (const p of part.content) n += yield* partSteps(p, tally)
      return n
    }
    case 'reasoning':
      // redacted/encrypted reasoning is opaque: its size upstream is unknowable here
      return yield* countSteps(part.text, tally, countPiece)
  }
}

/** schemas come from parsed JSON, but a hand-built request could hold a cycle or a BigInt */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}

function* partsSteps(parts: CanonPart[], tally: Tally): Generator<void, number> {
  let n = 0
  for (const p of parts) n += yield* partSteps(p, tally)
  return n
}

/** Input tokens of a request: system, messages, tool definitions, with chat-format overhead. */
function* requestSteps(req: CanonRequest, tally: Tally): Generator<void, number> {
  const text = (s: string) => countSteps(s, tally, countPiece)
  let n = REPLY_PRIMING
  if (req.system.length) n += TOKENS_PER_MESSAGE + (yield* partsSteps(req.system, tally))
  for (const m of req.messages) {
    n += TOKENS_PER_MESSAGE + (yield* partsSteps(m.parts, tally))
    if (m.name) n += TOKENS_PER_NAME + (yield* text(m.name))
  }
  if (req.tools) {
    for (const t of req.tools) {
      n += (yield* text(t.name)) + (yield* text(jsonText(t.parameters)))
      if (t.description) n += yield* text(t.description)
      if (t.custom?.format !== undefined) n += yield* text(jsonText(t.custom.format))
    }
  }
  return n
}

/** Input tokens of a request, on this thread: exact for ordinary requests, estimated beyond 64K characters. */
export function countRequestTokens(req: CanonRequest): number {
  return runSync(requestSteps(req, newTally(SYNC_BUDGET)))
}

/** Input tokens of a request without holding the event loop more than a few ms at a time; `estimated`
 *  when part of it was too large to count exactly (then within a few percent for uniform text). */
export async function countRequestTokensAsync(req: CanonRequest): Promise<{ tokens: number; estimated: boolean }> {
  const tally = newTally(ASYNC_BUDGET)
  const tokens = await runAsync(requestSteps(req, tally))
  return { tokens, estimated: tally.estimated }
}

/** how long a count on a response's path may take before the rest is estimated as chars/4 */
export const ESTIMATE_BUDGET_MS = 10

/**
 * A count that never stalls a response: the real tokenizer when it is already loaded, for at most
 * `budgetMs` (the rest as chars/4); chars/4 alone while it is not loaded (loading costs ~0.7 s).
 */
export function estimateTokens<T>(count: (x: T) => number, x: T, budgetMs = ESTIMATE_BUDGET_MS): number {
  cutoff = tokenizer ? performance.now() + budgetMs : -Infinity
  try {
    return count(x)
  } finally {
    cutoff = undefined
  }
}
