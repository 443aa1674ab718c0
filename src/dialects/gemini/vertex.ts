// Gemini on Vertex AI: the same generateContent body, under publishers/google. The model and the
// stream switch are in the URL; a pass-through body may still hold the copies the route put there.
import type { VertexPublisher } from '../vertex-publisher'

export const geminiOnVertex: VertexPublisher = {
  publisher: 'google',
  method: (stream) => (stream ? 'streamGenerateContent?alt=sse' : 'generateContent'),
  adapt(body, headers) {
    if (!('model' in body) && !('stream' in body)) return { body, headers }
    const { model: _m, stream: _s, ...rest } = body
    return { body: rest, headers }
  },
}
