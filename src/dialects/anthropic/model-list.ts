// GET /v1/models in Anthropic's list shape, for clients that send `anthropic-version`.
import type { ListedModel } from '../dialect'

export function anthropicModelList(models: ListedModel[], startedAtMs: number) {
  const createdIso = new Date(startedAtMs).toISOString()
  const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: createdIso }))
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}

/** Anthropic's SDKs and Claude Code always send this header */
export const claimsAnthropic = (headers: Headers): boolean => headers.has('anthropic-version')
