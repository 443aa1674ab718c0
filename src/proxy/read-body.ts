// Reads a JSON request body within the size limit. Every failure is a 4xx GatewayError.
import { GatewayError } from '../errors'
import { jsonDepthOver, MAX_JSON_DEPTH, newTopLevel, type TopLevel } from './json-depth'
import type { RawBody } from './model-splice'

export const tooLarge = (limit: number) =>
  new GatewayError(413, `request body is larger than the limit of ${limit} bytes (server.max_body_size)`, {
    code: 'request_too_large',
  })

/** A body that stopped arriving: the client hung up (499), or sent a body HTTP cannot frame (400). */
function unreadable(request: Request, err: unknown): GatewayError {
  if (err instanceof GatewayError) return err
  const detail = err instanceof Error ? err.message : String(err)
  if (request.signal.aborted || /abort|closed|reset|disconnect/i.test(detail))
    return new GatewayError(499, 'client disconnected while sending the request body', { code: 'client_disconnected', retryable: false })
  return new GatewayError(400, `the request body could not be read: ${detail}`, { code: 'invalid_request' })
}

/** The body as text; refuses by content-length before reading, and stops reading once over the limit. */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  try {
    return await readBodyTextUnguarded(request, limit)
  } catch (err) {
    throw unreadable(request, err)
  }
}

async function readBodyTextUnguarded(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!request.body) return ''
  if (declared !== null) {
    // the length is known and within the limit: one read, no chunk bookkeeping
    const text = await request.text()
    if (text.length > limit) throw tooLarge(limit)
    return text
  }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      reader.cancel().catch(() => {})
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}

export interface JsonBody {
  body: Record<string, unknown>
  /** characters of the raw text, for cheap estimates */
  size: number
  /** the text as sent, for a pass-through that only changes its model (model-splice.ts) */
  raw: RawBody
}

export async function readJsonObject(request: Request, limit: number): Promise<JsonBody> {
  const text = await readBodyText(request, limit)
  if (text.trim() === '') throw new GatewayError(400, 'request body is empty: send a JSON object', { code: 'invalid_request' })
  const top = newTopLevel()
  const parsed = parseJsonBody(text, top)
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new GatewayError(400, `request body must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`, {
      code: 'invalid_request',
    })
  return { body: parsed as Record<string, unknown>, size: text.length, raw: { text, top } }
}

/** Any JSON body a client sends: too deep is a fast 400 before parsing (no recursion, and no
 *  stack overflow later when it is serialised again), bad JSON a 400 naming the problem. */
export function parseJsonBody(text: string, top?: TopLevel): unknown {
  if (jsonDepthOver(text, MAX_JSON_DEPTH, top))
    throw new GatewayError(400, `request body is nested more than ${MAX_JSON_DEPTH} levels deep`, { code: 'invalid_request' })
  try {
    return JSON.parse(text)
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err)
    throw new GatewayError(400, `request body is not valid JSON: ${detail}`, { code: 'invalid_json' })
  }
}
