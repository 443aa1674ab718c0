// Vertex AI URLs: models are served under the project and location, per publisher
// (`publishers/google/models/{model}:streamGenerateContent`, `publishers/anthropic/models/{model}:rawPredict`).
// The host (config/normalize-vertex.ts) is `{location}-aiplatform.googleapis.com`; `global` has no prefix.
import type { ProviderConfig, VertexConfig } from '../config/types'
import type { VertexPublisher } from '../dialects/vertex-publisher'

/** the path under the host for one model */
export function vertexPath(v: VertexConfig, pub: VertexPublisher, model: string, stream: boolean): string {
  const bare = model.startsWith('models/') ? model.slice(7) : model
  return `/v1/projects/${encodeURIComponent(v.project)}/locations/${encodeURIComponent(v.location)}/publishers/${pub.publisher}/models/${encodeModel(bare)}:${pub.method(stream)}`
}

export const isVertex = (p: ProviderConfig): p is ProviderConfig & { vertex: VertexConfig } => p.vertex !== undefined

/** Vertex takes OAuth bearer tokens */
export const VERTEX_AUTH = { header: 'authorization', scheme: 'Bearer' }

/** model ids keep their `@version` (claude-sonnet-4@20250514), everything else is escaped */
const encodeModel = (m: string): string => encodeURIComponent(m).replaceAll('%40', '@')
