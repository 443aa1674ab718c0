// Step one of an attempt: the upstream request, as a plain object. Pure: the client's body and
// headers, the target and the key in; URL, headers and body out, plus what the response step needs
// to know (pass-through or translated, frames to hide). Nothing is sent here.
import type { CanonRequest } from '../canonical/request'
import type { Dialect } from '../dialects/dialect'
import { applyTransformsToBody, transformsPassThrough } from '../routing/apply-transforms'
import { buildUpstreamRequest } from '../upstream/build-request'
import { isVertex, VERTEX_AUTH, vertexPath } from '../upstream/vertex'
import type { Attempt } from './context'
import { spliceModel, type RawBody } from './model-splice'

export interface PrepareInput {
  /** the client's dialect (front door) and the target's */
  front: Dialect
  up: Dialect
  attempt: Attempt
  /** the client's JSON body, untouched */
  body: Record<string, unknown>
  /** its text as sent, when nothing but the parse made `body` (model-splice.ts) */
  raw?: RawBody
  /** the client's request decoded, with the target's transforms (called only when translating) */
  canonical: () => CanonRequest
  clientHeaders: Headers
  clientQuery: URLSearchParams
  /** the upstream key (the provider's, or the client's own on a pass-through provider) */
  key: string | undefined
  /** send a pass-through body without the proxy's own additions (the upstream refused them) */
  asIs?: boolean
  /** the client asked for a stream (a dialect whose URL says so needs it for the path) */
  stream?: boolean
  /** translate even between the same dialects (the response cache stores canonical events) */
  translate?: boolean
}

export interface PreparedRequest {
  url: string
  headers: Headers
  body: string
  /** same dialect on both sides: bytes pass through */
  same: boolean
  /** the canonical request, when translated (the response encoders may need it) */
  canonical?: CanonRequest
  /** pass-through stream frames the proxy asked for and the client did not */
  hide?: (data: string) => boolean
  /** request fields the target dialect cannot carry (translated requests; dialects/dropped.ts names) */
  dropped?: string[]
}

export function prepareUpstream(i: PrepareInput): PreparedRequest {
  const { attempt, up, front } = i
  const { provider } = attempt
  // transforms a dialect's raw body cannot take are applied on the translated path instead
  const same = up.name === front.name && transformsPassThrough(front.name, attempt.entry) && !i.translate
  let path: string
  let body: Record<string, unknown>
  let extraHeaders: Record<string, string> | undefined
  let canonical: CanonRequest | undefined
  let hide: PreparedRequest['hide']
  let dropped: string[] | undefined
  /** the client's text with only its model changed says the same as `body` */
  let asSent = false
  if (same) {
    path = up.passthroughPath ? up.passthroughPath(attempt.model, i.stream === true) : up.upstreamPath
    const transformed = attempt.entry ? applyTransformsToBody(front.name, i.body, attempt.entry) : i.body
    body = { ...transformed, model: attempt.model }
    asSent = transformed === i.body && i.raw !== undefined
    if (up.adaptPassthrough && !i.asIs) {
      const adapted = up.adaptPassthrough(body)
      if (adapted.body !== body) asSent = false
      body = adapted.body
      hide = adapted.hide
    }
  } else {
    canonical = i.canonical()
    const wire = up.encodeRequest(canonical, { model: attempt.model, defaultMaxTokens: provider.default_max_tokens, provider })
    path = wire.path
    body = wire.body
    extraHeaders = wire.headers
    dropped = wire.dropped
  }
  if (provider.cache && up.cacheMarkers) {
    const marked = up.cacheMarkers(body, provider.cache)
    if (marked !== body) asSent = false
    body = marked
  }
  if (isVertex(provider) && up.vertex) {
    asSent = false
    // Vertex: the model is in the URL, the key an OAuth token
    const v = up.vertex.adapt(body, extraHeaders)
    body = v.body
    extraHeaders = v.headers
    path = vertexPath(provider.vertex, up.vertex, attempt.model, i.stream === true)
  }
  const init = buildUpstreamRequest({
    provider,
    model: attempt.model,
    path,
    body: (asSent && spliceModel(i.raw!, attempt.model)) || JSON.stringify(body),
    key: i.key,
    auth: provider.vertex ? VERTEX_AUTH : up.auth,
    clientHeaders: same ? i.clientHeaders : undefined,
    clientQuery: same ? i.clientQuery : undefined,
    extraHeaders,
  })
  return { ...init, same, canonical, hide, ...(dropped && { dropped }) }
}
