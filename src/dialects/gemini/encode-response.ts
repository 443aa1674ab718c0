// Front door: CanonResponse → a GenerateContentResponse, as @google/genai reads it. The model turn
// always has role "model" and at least one part (an empty `{"text":""}` when there is no content:
// the SDK's chat history drops turns with no parts).
import type { CanonResponse } from '../../canonical/response'
import type { ResponseContext } from '../dialect'
import { usageToGemini, type GeminiUsage } from './convert-usage'
import { modelPartsToGemini } from './encode-contents'
import { finishToGemini, type GeminiFinishReason } from './map-finish-reason'
import type { Json } from './wire'

export interface GeminiResponse {
  candidates: Array<{ content: { role: 'model'; parts: Json[] }; finishReason: GeminiFinishReason; index: number }>
  usageMetadata: GeminiUsage
  modelVersion: string
  responseId: string
}

/** the upstream's id, or a fresh one (Gemini's ids are opaque strings) */
export const responseId = (id: string, ctx: ResponseContext): string => id || ctx.newId('')

export function encodeResponse(res: CanonResponse, ctx: ResponseContext): GeminiResponse {
  const parts: Json[] = []
  modelPartsToGemini(res.parts, parts, true)
  if (parts.length === 0) parts.push({ text: '' })
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: finishToGemini(res.finish), index: 0 }],
    usageMetadata: usageToGemini(res.usage),
    modelVersion: ctx.model,
    responseId: responseId(res.id, ctx),
  }
}
