// Prompt-cache breakpoints for Anthropic upstreams, per the provider's `cache` pattern, on the
// Anthropic wire body. Only when the client marked nothing itself (a client that places its own
// breakpoints knows its prompt better). Cache order is tools → system → messages, so:
//   tools_only            the last tool
//   system_and_tools      + the last system block
//   last_user_message     + the last user message (last_2 / last_3: the last 2 / 3 user messages)
// Anthropic allows 4 breakpoints; when a pattern wants more, the tools marker goes first, then
// the system one (a later breakpoint's prefix already covers them). Empty text blocks are never
// marked (Anthropic rejects that); such a message's previous block is marked instead.
import type { CachePattern } from '../dialect'

type Body = Record<string, unknown>
export type { CachePattern }

export const MAX_BREAKPOINTS = 4
const EPHEMERAL = { type: 'ephemeral' } as const

const USER_MESSAGES: Record<CachePattern, number> = {
  tools_only: 0,
  system_and_tools: 0,
  last_user_message: 1,
  last_2_user_messages: 2,
  last_3_user_messages: 3,
}

const isObj = (v: unknown): v is Body => typeof v === 'object' && v !== null

function blocksHaveMarker(blocks: unknown): number {
  if (!Array.isArray(blocks)) return 0
  let n = 0
  for (const b of blocks) {
    if (!isObj(b)) continue
    if (b.cache_control !== undefined) n++
    if (Array.isArray(b.content)) n += blocksHaveMarker(b.content) // tool_result content
  }
  return n
}

/** Breakpoints the client already placed (top-level automatic caching counts as one). */
export function countBreakpoints(body: Body): number {
  let n = body.cache_control !== undefined ? 1 : 0
  n += blocksHaveMarker(body.system) + blocksHaveMarker(body.tools)
  if (Array.isArray(body.messages)) for (const m of body.messages) if (isObj(m)) n += blocksHaveMarker(m.content)
  return n
}

const markable = (b: unknown): b is Body =>
  isObj(b) && b.type !== 'thinking' && b.type !== 'redacted_thinking' && !(b.type === 'text' && (typeof b.text !== 'string' || b.text.trim() === ''))

/**
 * Content (string or blocks) with a marker on its last markable block; undefined when none can
 * carry one. Copies only the array and the marked block.
 */
function markContent(content: unknown): unknown[] | undefined {
  if (typeof content === 'string') return content.trim() ? [{ type: 'text', text: content, cache_control: EPHEMERAL }] : undefined
  if (!Array.isArray(content)) return undefined
  for (let i = content.length - 1; i >= 0; i--) {
    if (!markable(content[i])) continue
    const out = content.slice()
    out[i] = { ...(content[i] as Body), cache_control: EPHEMERAL }
    return out
  }
  return undefined
}

/** The body with markers added per `pattern`; `body` itself when nothing is added. */
export function addCacheMarkers(body: Body, pattern: CachePattern): Body {
  if (countBreakpoints(body) > 0) return body
  let budget = MAX_BREAKPOINTS
  const out: Body = { ...body }
  let changed = false

  const wantUsers = USER_MESSAGES[pattern]
  if (wantUsers > 0 && Array.isArray(body.messages)) {
    let messages: unknown[] | undefined
    let marked = 0
    for (let i = body.messages.length - 1; i >= 0 && marked < wantUsers && budget > 0; i--) {
      const m = body.messages[i]
      if (!isObj(m) || m.role !== 'user') continue
      const content = markContent(m.content)
      if (!content) continue
      messages ??= body.messages.slice()
      messages[i] = { ...m, content }
      marked++
      budget--
    }
    if (messages) {
      out.messages = messages
      changed = true
    }
  }

  // system before tools: with one slot left, the system marker's prefix covers the tools too
  if (pattern !== 'tools_only' && budget > 0 && body.system !== undefined) {
    const system = markContent(body.system)
    if (system) {
      out.system = system
      budget--
      changed = true
    }
  }

  if (budget > 0 && Array.isArray(body.tools) && body.tools.length > 0) {
    const last = body.tools.length - 1
    if (isObj(body.tools[last])) {
      const tools = body.tools.slice()
      tools[last] = { ...(body.tools[last] as Body), cache_control: EPHEMERAL }
      out.tools = tools
      changed = true
    }
  }
  return changed ? out : body
}
