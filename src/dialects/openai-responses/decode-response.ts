// Upstream: a non-streaming Response object → CanonResponse. Built-in tool items (web_search_call…)
// have no canonical form and are skipped. A `failed` response becomes a GatewayError.
import type { CanonPart } from '../../canonical/request'
import type { CanonResponse } from '../../canonical/response'
import { emptyUsage, mergeUsage } from '../../canonical/usage'
import { GatewayError, kindForStatus } from '../../errors'
import { usageFromResponses } from './convert-usage'
import { statusForErrorCode } from './encode-error'
import { finishFromResponses } from './map-finish-reason'
import { asString, isObject, type Json } from './wire'

const joinTexts = (list: unknown, type: string): string => {
  if (!Array.isArray(list)) return ''
  let out = ''
  for (const s of list) if (isObject(s) && s.type === type && typeof s.text === 'string' && s.text) out += (out ? '\n\n' : '') + s.text
  return out
}

export function decodeResponse(body: unknown): CanonResponse {
  if (!isObject(body)) throw new GatewayError(502, 'upstream returned a response that is not a JSON object')
  if (body.status === 'failed') {
    const e: Json = isObject(body.error) ? body.error : {}
    const status = statusForErrorCode(asString(e.code), undefined)
    throw new GatewayError(status, asString(e.message) || 'upstream response failed', { kind: kindForStatus(status), code: asString(e.code) })
  }
  const parts: CanonPart[] = []
  let hasToolCalls = false
  const output = Array.isArray(body.output) ? body.output : []
  for (const item of output) {
    if (!isObject(item)) continue
    switch (item.type) {
      case 'reasoning': {
        const text = joinTexts(item.summary, 'summary_text') || joinTexts(item.content, 'reasoning_text')
        const part: CanonPart = { type: 'reasoning', text, origin: 'openai' }
        if (typeof item.encrypted_content === 'string' && item.encrypted_content) part.encrypted = item.encrypted_content
        if (typeof item.id === 'string') part.itemId = item.id
        if (text || part.encrypted) parts.push(part)
        break
      }
      case 'message':
        if (Array.isArray(item.content))
          for (const c of item.content) {
            if (!isObject(c)) continue
            if (c.type === 'output_text' && typeof c.text === 'string' && c.text) parts.push({ type: 'text', text: c.text })
            else if (c.type === 'refusal' && typeof c.refusal === 'string') parts.push({ type: 'refusal', text: c.refusal })
          }
        break
      case 'function_call':
      case 'custom_tool_call': {
        const custom = item.type === 'custom_tool_call'
        const id = asString(item.call_id) || asString(item.id) || `call_${parts.length}`
        const args = asString(custom ? item.input : item.arguments) ?? ''
        const part: CanonPart = { type: 'tool_call', id, name: asString(item.name) ?? '', argumentsJson: args }
        if (custom) part.custom = true
        parts.push(part)
        hasToolCalls = true
        break
      }
      default:
        break
    }
  }
  const details = body.incomplete_details
  return {
    id: asString(body.id) ?? '',
    model: asString(body.model) ?? '',
    created: typeof body.created_at === 'number' ? body.created_at : 0,
    parts,
    finish: finishFromResponses(body.status, isObject(details) ? details.reason : undefined, hasToolCalls),
    usage: mergeUsage(emptyUsage(), usageFromResponses(body.usage)),
  }
}
