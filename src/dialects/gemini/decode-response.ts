// Upstream: a non-streaming GenerateContentResponse → CanonResponse. Candidate 0 only.
// Parts: thought text → gemini reasoning; text → text, its thoughtSignature → a text-less gemini
// reasoning part right after it; functionCall → tool_call (id synthesized when absent, signature
// kept on the part). A prompt blocked before generation (no candidates, promptFeedback.blockReason)
// is an empty content_filter answer.
import type { CanonPart } from '../../canonical/request'
import type { CanonFinish, CanonResponse } from '../../canonical/response'
import { GatewayError } from '../../errors'
import { usageFromGemini } from './convert-usage'
import { readError } from './encode-error'
import { finishFromGemini } from './map-finish-reason'
import { callId } from './tool-id'
import { asString, isObject } from './wire'

export function decodeResponse(body: unknown): CanonResponse {
  // streamGenerateContent without alt=sse answers a JSON array of chunks: take the first object
  if (Array.isArray(body) && body.length === 1) body = body[0]
  if (!isObject(body)) throw new GatewayError(502, 'upstream returned a response that is not a JSON object')
  if (body.error !== undefined) {
    const e = readError(body.error, 502)
    throw new GatewayError(e.status, e.message || 'upstream error', { kind: e.kind, retryAfter: e.retryAfter })
  }
  const id = asString(body.responseId) ?? ''
  const parts: CanonPart[] = []
  let hasToolCalls = false
  let finish: CanonFinish
  const candidate = Array.isArray(body.candidates) ? body.candidates[0] : undefined
  if (isObject(candidate)) {
    const content = candidate.content
    const list = isObject(content) && Array.isArray(content.parts) ? content.parts : []
    let calls = 0
    for (const p of list) {
      if (!isObject(p)) continue
      const signature = asString(p.thoughtSignature)
      const fc = p.functionCall
      if (isObject(fc)) {
        hasToolCalls = true
        const part: CanonPart = { type: 'tool_call', id: asString(fc.id) || callId(id, calls), name: asString(fc.name) ?? '', argumentsJson: JSON.stringify(isObject(fc.args) ? fc.args : {}) }
        calls++
        if (signature) part.signature = signature
        parts.push(part)
        continue
      }
      const text = asString(p.text)
      if (p.thought === true) {
        if (!text && !signature) continue
        const part: CanonPart = { type: 'reasoning', text: text ?? '', origin: 'gemini' }
        if (signature) part.signature = signature
        parts.push(part)
        continue
      }
      if (text) parts.push({ type: 'text', text })
      if (signature) parts.push({ type: 'reasoning', text: '', signature, origin: 'gemini' })
      // executableCode, codeExecutionResult, inline images…: no canonical part
    }
    finish = finishFromGemini(asString(candidate.finishReason) ?? '', hasToolCalls)
  } else {
    const feedback = body.promptFeedback
    finish = isObject(feedback) && feedback.blockReason !== undefined ? 'content_filter' : 'stop'
  }
  // Vertex stamps createTime (RFC 3339); the Gemini API gives no time
  const time = typeof body.createTime === 'string' ? Date.parse(body.createTime) : NaN
  const created = Number.isFinite(time) ? Math.floor(time / 1000) : 0
  return { id, model: asString(body.modelVersion) ?? '', created, parts, finish, usage: usageFromGemini(body.usageMetadata) }
}
