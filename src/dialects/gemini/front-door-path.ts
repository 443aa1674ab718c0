// Gemini's front-door URLs carry the model and the method: `{base}/v1beta/models/{model}:{method}`
// (also `/v1/…`). Pure: path in, call out. The model may hold `/` or `:` (`provider/model`,
// `provider:model`), so the method is what follows the LAST colon.
import type { PathCall } from '../dialect'

export type GeminiMethod = 'generateContent' | 'streamGenerateContent' | 'countTokens'

export interface GeminiCall {
  model: string
  method: GeminiMethod
}

/** the versions the SDKs use; the route table registers `{version}/models/*` for each */
export const GEMINI_VERSIONS = ['/v1beta', '/v1'] as const
export const MODELS_SEGMENT = '/models/'
const METHODS = new Set<string>(['generateContent', 'streamGenerateContent', 'countTokens'])
/** a model id longer than this is no model (it would only reach logs and URLs) */
const MAX_MODEL = 256

/** `rest` is what follows `/models/` in the path, still %-encoded */
export function parseGeminiCall(rest: string): GeminiCall | undefined {
  const colon = rest.lastIndexOf(':')
  if (colon <= 0) return undefined
  const method = rest.slice(colon + 1)
  if (!METHODS.has(method)) return undefined
  const model = decode(rest.slice(0, colon))
  if (model === undefined || model.length > MAX_MODEL || /[\x00-\x1f\x7f]/.test(model)) return undefined
  return { model: model.startsWith('models/') ? model.slice(7) : model, method: method as GeminiMethod }
}

/** `alt=sse` asks for SSE; without it streamGenerateContent answers one JSON array, streamed */
export const wantsSse = (url: URL): boolean => url.search.length > 1 && url.searchParams.get('alt') === 'sse'

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s)
  } catch {
    return undefined
  }
}

export function geminiPathCall(rest: string, url: URL): PathCall | undefined {
  const c = parseGeminiCall(rest)
  if (!c) return undefined
  if (c.method === 'countTokens') return { model: c.model, action: 'count_tokens', stream: false, jsonArray: false }
  const stream = c.method === 'streamGenerateContent'
  return { model: c.model, action: 'generate', stream, jsonArray: stream && !wantsSse(url) }
}
