// Upstream: a non-streaming Anthropic Message → CanonResponse. Server-tool blocks
// (server_tool_use, web_search_tool_result…) ran at Anthropic and have no canonical form: skipped.
import type { CanonPart } from '../../canonical/request'
import type { CanonResponse } from '../../canonical/response'
import { GatewayError } from '../../errors'
import { usageFromAnthropic } from './convert-usage'
import { errorFromBody } from './encode-error'
import { finishFromAnthropic } from './map-finish-reason'
import { asString, isObject } from './wire'

export function decodeResponse(body: unknown): CanonResponse {
  if (!isObject(body)) throw new GatewayError(502, 'upstream returned a response that is not a JSON object')
  if (body.type === 'error') throw errorFromBody(0, body)
  const parts: CanonPart[] = []
  let hasToolCalls = false
  const content = Array.isArray(body.content) ? body.content : []
  for (const b of content) {
    if (!isObject(b)) continue
    switch (b.type) {
      case 'text':
        if (typeof b.text === 'string' && b.text.length) parts.push({ type: 'text', text: b.text })
        break
      case 'thinking': {
        const part: CanonPart = { type: 'reasoning', text: asString(b.thinking) ?? '', origin: 'anthropic' }
        const signature = asString(b.signature)
        if (signature) part.signature = signature
        parts.push(part)
        break
      }
      case 'redacted_thinking':
        if (typeof b.data === 'string') parts.push({ type: 'reasoning', text: '', redacted: b.data, origin: 'anthropic' })
        break
      case 'tool_use': {
        hasToolCalls = true
        const input = b.input
        parts.push({ type: 'tool_call', id: asString(b.id) ?? '', name: asString(b.name) ?? '', argumentsJson: input === undefined || input === null ? '{}' : JSON.stringify(input) })
        break
      }
      default:
        break
    }
  }
  const res: CanonResponse = {
    id: asString(body.id) ?? '',
    model: asString(body.model) ?? '',
    created: 0,
    parts,
    finish: finishFromAnthropic(body.stop_reason, hasToolCalls),
    usage: usageFromAnthropic(body.usage),
  }
  const stopSequence = asString(body.stop_sequence)
  if (stopSequence !== undefined) res.stopSequence = stopSequence
  return res
}
