// Gemini usageMetadata ⇄ canonical usage (protocols/README.md §2.12, pitfall E2).
// promptTokenCount already includes cachedContentTokenCount; candidatesTokenCount EXCLUDES
// thoughtsTokenCount, so canonical outputTokens is their sum. Stream chunks carry running totals,
// and Vertex's early chunks carry no counts at all (`{trafficType}` only): known counts are never
// overwritten by missing ones.
import type { CanonUsage } from '../../canonical/usage'
import { asNumber, isObject } from './wire'

export interface GeminiUsage {
  promptTokenCount: number
  candidatesTokenCount: number
  totalTokenCount: number
  cachedContentTokenCount?: number
  thoughtsTokenCount?: number
}

/** the raw counters reported so far */
export interface RawUsage {
  prompt?: number
  toolPrompt?: number
  cached?: number
  candidates?: number
  thoughts?: number
}

/** overwrite `raw` with the counts present in `u`; true when a count changed */
export function readUsage(u: unknown, raw: RawUsage): boolean {
  if (!isObject(u)) return false
  const prompt = asNumber(u.promptTokenCount)
  const toolPrompt = asNumber(u.toolUsePromptTokenCount)
  const cached = asNumber(u.cachedContentTokenCount)
  const candidates = asNumber(u.candidatesTokenCount)
  const thoughts = asNumber(u.thoughtsTokenCount)
  let changed = false
  if (prompt !== undefined && prompt !== raw.prompt) (raw.prompt = prompt), (changed = true)
  if (toolPrompt !== undefined && toolPrompt !== raw.toolPrompt) (raw.toolPrompt = toolPrompt), (changed = true)
  if (cached !== undefined && cached !== raw.cached) (raw.cached = cached), (changed = true)
  if (candidates !== undefined && candidates !== raw.candidates) (raw.candidates = candidates), (changed = true)
  if (thoughts !== undefined && thoughts !== raw.thoughts) (raw.thoughts = thoughts), (changed = true)
  return changed
}

/** canonical view of the raw counters (only what was reported) */
export function canonUsage(raw: RawUsage): Partial<CanonUsage> {
  const out: Partial<CanonUsage> = {}
  if (raw.prompt !== undefined || raw.toolPrompt !== undefined) out.inputTokens = (raw.prompt ?? 0) + (raw.toolPrompt ?? 0)
  if (raw.cached !== undefined) out.cacheReadTokens = raw.cached
  if (raw.candidates !== undefined || raw.thoughts !== undefined) out.outputTokens = (raw.candidates ?? 0) + (raw.thoughts ?? 0)
  if (raw.thoughts !== undefined) out.reasoningTokens = raw.thoughts
  return out
}

export function usageFromGemini(u: unknown): CanonUsage {
  const raw: RawUsage = {}
  readUsage(u, raw)
  const c = canonUsage(raw)
  return { ...c, inputTokens: c.inputTokens ?? 0, outputTokens: c.outputTokens ?? 0 }
}

export function usageToGemini(u: Partial<CanonUsage>): GeminiUsage {
  const input = u.inputTokens ?? 0
  const output = u.outputTokens ?? 0
  const thoughts = u.reasoningTokens ?? 0
  const out: GeminiUsage = { promptTokenCount: input, candidatesTokenCount: Math.max(0, output - thoughts), totalTokenCount: input + output }
  if (u.cacheReadTokens) out.cachedContentTokenCount = u.cacheReadTokens
  if (thoughts) out.thoughtsTokenCount = thoughts
  return out
}
