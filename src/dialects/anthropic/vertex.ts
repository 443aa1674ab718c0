// Claude on Vertex AI: the Messages body under publishers/anthropic (`rawPredict` /
// `streamRawPredict`), with the model in the URL instead of the body and the API version as
// `anthropic_version: vertex-2023-10-16` in the body instead of a header. `anthropic-beta`
// headers are forwarded: Vertex reads them.
import type { VertexPublisher } from '../vertex-publisher'

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16'

export const anthropicOnVertex: VertexPublisher = {
  publisher: 'anthropic',
  method: (stream) => (stream ? 'streamRawPredict' : 'rawPredict'),
  adapt(body, headers) {
    const { model: _m, ...rest } = body
    let out = headers
    if (headers && 'anthropic-version' in headers) {
      const { 'anthropic-version': _v, ...others } = headers
      out = others
    }
    return { body: { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest }, headers: out }
  },
}
