// Gemini's models list (`GET /v1beta/models`, `/v1beta/models/{id}`), and how a request on the
// shared `/v1/models` path (or an unknown path) shows it comes from a Gemini client: the key
// where Google SDKs put it, or a `/v1beta/` path.
import type { ListedModel as Listed } from '../dialect'

const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens']

export const geminiModel = (m: Listed) => ({
  name: `models/${m.id}`,
  baseModelId: m.id,
  version: '001',
  displayName: m.id,
  description: `served by llm-proxy (${m.owned_by})`,
  supportedGenerationMethods: METHODS,
})

export const geminiModelList = (models: Listed[]) => ({ models: models.map(geminiModel) })

export const isGeminiClient = (headers: Headers, url?: URL): boolean =>
  headers.has('x-goog-api-key') || (url !== undefined && (url.pathname.includes('/v1beta/') || (url.search.length > 1 && url.searchParams.has('key'))))
