// GET /v1/models in OpenAI's list shape (the default for clients that name no dialect).
import type { ListedModel } from '../dialect'

export function openaiModelList(models: ListedModel[], startedAtMs: number) {
  const created = Math.floor(startedAtMs / 1000)
  return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created, owned_by: m.owned_by })) }
}
