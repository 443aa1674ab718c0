// The provider's `cache` pattern on a Bedrock body. InvokeModel bodies are Anthropic bodies and get
// Anthropic's markers; Converse bodies get `cachePoint` blocks at the same places (end of the
// tools, end of the system prompt, end of the last 1–3 user turns), at most 4, and only when the
// request placed none itself.
import { addCacheMarkers, MAX_BREAKPOINTS } from '../anthropic/cache-markers'
import type { CachePattern } from '../dialect'
import type { Json } from '../anthropic/wire'

const POINT = { cachePoint: { type: 'default' } }
const USER_TURNS: Record<CachePattern, number> = { tools_only: 0, system_and_tools: 0, last_user_message: 1, last_2_user_messages: 2, last_3_user_messages: 3 }

const hasPoint = (blocks: unknown): boolean => Array.isArray(blocks) && blocks.some((b) => b && typeof b === 'object' && 'cachePoint' in b)

export function cacheMarkers(body: Json, pattern: CachePattern): Json {
  if (body.anthropic_version !== undefined) return addCacheMarkers(body, pattern)
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : []
  const tools = (body.toolConfig as Json | undefined)?.tools
  if (hasPoint(body.system) || hasPoint(tools) || messages.some((m) => hasPoint(m.content))) return body
  const out: Json = { ...body }
  let budget = MAX_BREAKPOINTS
  let want = USER_TURNS[pattern]
  if (want > 0) {
    const copy = messages.slice()
    for (let i = copy.length - 1; i >= 0 && want > 0 && budget > 0; i--) {
      const m = copy[i]
      if (m.role !== 'user' || !Array.isArray(m.content) || !m.content.length) continue
      copy[i] = { ...m, content: [...m.content, POINT] }
      want--
      budget--
    }
    out.messages = copy
  }
  if (pattern !== 'tools_only' && budget > 0 && Array.isArray(body.system) && body.system.length) {
    out.system = [...body.system, POINT]
    budget--
  }
  if (budget > 0 && Array.isArray(tools) && tools.length) out.toolConfig = { ...(body.toolConfig as Json), tools: [...tools, POINT] }
  return out
}
