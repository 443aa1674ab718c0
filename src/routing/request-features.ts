// The facts about a decoded request that routing rules look at, in one walk over it.
import type { CanonPart, CanonRequest } from '../canonical/request'

export interface RequestFeatures {
  thinking: boolean
  /** an image anywhere: messages, system, or inside tool results */
  images: boolean
  tools: boolean
  webSearch: boolean
  metadata: Record<string, string>
}

function hasImage(parts: readonly CanonPart[]): boolean {
  for (const p of parts) {
    if (p.type === 'image') return true
    if (p.type === 'file' && p.mediaType?.startsWith('image/')) return true
    if (p.type === 'tool_result' && hasImage(p.content)) return true
  }
  return false
}

const WEB_SEARCH = /web_search|google_search|web-search/

export function requestFeatures(req: CanonRequest): RequestFeatures {
  const r = req.reasoning
  const thinking = !!r && r.enabled !== false && r.effort !== 'none' && (r.effort !== undefined || (r.budgetTokens ?? 0) > 0 || r.enabled === true)
  let images = hasImage(req.system)
  for (let i = 0; !images && i < req.messages.length; i++) images = hasImage(req.messages[i].parts)
  const builtins = req.builtinTools ?? []
  return {
    thinking,
    images,
    tools: (req.tools?.length ?? 0) > 0 || builtins.length > 0,
    webSearch: builtins.some((t) => WEB_SEARCH.test(t)),
    metadata: req.metadata ?? {},
  }
}
