// Upstream: a non-streaming Bedrock answer → CanonResponse. InvokeModel for Claude answers with
// an Anthropic Message (`type: "message"`), decoded by the Anthropic dialect; Converse answers
// with `{output: {message}, stopReason, usage}`. The shape tells them apart, so one decoder serves
// both APIs without per-request state.
import type { CanonPart } from '../../canonical/request'
import type { CanonResponse } from '../../canonical/response'
import { GatewayError } from '../../errors'
import { decodeResponse as decodeAnthropic } from '../anthropic/decode-response'
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'
import { asString, isObject, type Json } from '../anthropic/wire'
import { usageFromConverse } from './convert-usage'
import { finishFromConverse } from './map-finish-reason'

export function decodeResponse(body: unknown): CanonResponse {
  if (!isObject(body)) throw new GatewayError(502, 'Bedrock returned a response that is not a JSON object', { code: 'bad_upstream_response' })
  if (!isObject(body.output)) return decodeAnthropic(body)
  const message = body.output.message
  const content = isObject(message) && Array.isArray(message.content) ? message.content : []
  const parts: CanonPart[] = []
  let hasToolCalls = false
  for (const b of content) {
    if (!isObject(b)) continue
    if (typeof b.text === 'string') {
      if (b.text.length) parts.push({ type: 'text', text: b.text })
    } else if (isObject(b.toolUse)) {
      hasToolCalls = true
      const t = b.toolUse
      parts.push({ type: 'tool_call', id: asString(t.toolUseId) ?? '', name: asString(t.name) ?? '', argumentsJson: t.input === undefined || t.input === null ? '{}' : JSON.stringify(t.input) })
    } else if (isObject(b.reasoningContent)) {
      const part = reasoningPart(b.reasoningContent)
      if (part) parts.push(part)
    }
    // images, citations, guard content…: nothing a client dialect can take
  }
  const u = usageFromConverse(body.usage)
  const res: CanonResponse = {
    id: '',
    model: '',
    created: 0,
    parts,
    finish: finishFromConverse(body.stopReason, hasToolCalls),
    usage: { ...u, inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0 },
  }
  const extra = body.additionalModelResponseFields
  const seq = isObject(extra) ? asString(extra.stop_sequence) : undefined
  if (seq !== undefined) res.stopSequence = seq
  return res
}

function reasoningPart(r: Json): CanonPart | undefined {
  if (typeof r.redactedContent === 'string') return { type: 'reasoning', text: '', redacted: r.redactedContent, origin: ANTHROPIC_ORIGIN }
  const t = r.reasoningText
  if (!isObject(t)) return undefined
  const part: CanonPart = { type: 'reasoning', text: asString(t.text) ?? '', origin: ANTHROPIC_ORIGIN }
  const signature = asString(t.signature)
  if (signature) part.signature = signature
  return part
}
