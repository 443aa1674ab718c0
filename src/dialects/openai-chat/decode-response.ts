// Upstream: a Chat Completions body → CanonResponse. Only choices[0] is read.
import type { CanonPart } from '../../canonical/request'
import type { CanonResponse } from '../../canonical/response'
import { emptyUsage, mergeUsage } from '../../canonical/usage'
import { GatewayError } from '../../errors'
import { usageFromChat } from './convert-usage'
import { errorFromBody } from './encode-error'
import { finishFromChat } from './map-finish-reason'
import { asNumber, asString, isObject } from './wire'

const invalid = (why: string) => new GatewayError(502, `upstream returned an invalid chat completion: ${why}`, { kind: 'api_error' })

export function decodeResponse(body: unknown): CanonResponse {
  if (!isObject(body)) throw invalid('not a JSON object')
  // some compatible servers answer 200 with an error body
  if (isObject(body.error)) throw errorFromBody(502, body)
  const choices = body.choices
  if (!Array.isArray(choices) || !choices.length) throw invalid('no choices')
  const choice = choices.find((c) => isObject(c) && (c.index === 0 || c.index === undefined)) ?? choices[0]
  if (!isObject(choice) || !isObject(choice.message)) throw invalid('choices[0].message missing')
  const msg = choice.message

  const parts: CanonPart[] = []
  const reasoning = asString(msg.reasoning_content) || asString(msg.reasoning)
  if (reasoning) parts.push({ type: 'reasoning', text: reasoning, origin: 'openai' })
  const content = msg.content
  if (typeof content === 'string') {
    if (content) parts.push({ type: 'text', text: content })
  } else if (Array.isArray(content)) {
    // a few compatible servers return text parts here
    for (const p of content) if (isObject(p) && typeof p.text === 'string' && p.text) parts.push({ type: 'text', text: p.text })
  }
  const refusal = asString(msg.refusal)
  if (refusal) parts.push({ type: 'refusal', text: refusal })

  let calls = 0
  if (Array.isArray(msg.tool_calls)) {
    for (const c of msg.tool_calls) {
      if (!isObject(c)) continue
      const id = asString(c.id) || `call_${calls}`
      if (c.type === 'custom' && isObject(c.custom)) {
        parts.push({ type: 'tool_call', id, name: asString(c.custom.name) ?? '', argumentsJson: asString(c.custom.input) ?? '', custom: true })
      } else {
        const fn = isObject(c.function) ? c.function : {}
        parts.push({ type: 'tool_call', id, name: asString(fn.name) ?? '', argumentsJson: asString(fn.arguments) ?? '' })
      }
      calls++
    }
  }
  const legacy = msg.function_call
  if (isObject(legacy) && typeof legacy.name === 'string') {
    parts.push({ type: 'tool_call', id: `call_${legacy.name}`, name: legacy.name, argumentsJson: asString(legacy.arguments) ?? '' })
    calls++
  }

  return {
    id: asString(body.id) ?? '',
    model: asString(body.model) ?? '',
    created: asNumber(body.created) ?? 0,
    parts,
    finish: finishFromChat(choice.finish_reason, calls > 0),
    usage: mergeUsage(emptyUsage(), usageFromChat(body.usage)),
  }
}
