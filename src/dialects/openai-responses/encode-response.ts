// Front door: CanonResponse → the Responses body. One output item per canonical part, in order:
// reasoning (rs_), text/refusal (msg_), tool calls (fc_, or ctc_ for tools the client declared
// `custom`). Reasoning from another provider keeps its text but never its signature; Claude's
// signed thinking is carried in encrypted_content for clients that ask for it (carried-reasoning.ts).
import type { CanonResponse } from '../../canonical/response'
import type { ResponseContext } from '../dialect'
import { packAnthropicReasoning, packGeminiCallSignature, wantsCarriedReasoning } from './carried-reasoning'
import { usageToResponses } from './convert-usage'
import { outcomeForFinish } from './map-finish-reason'
import { customCallItem, customInput, customToolNames, functionCallItem, messageItem, outputText, reasoningItem } from './output-items'
import { echoFields } from './response-object'
import type { Json } from './wire'
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'

export function encodeResponse(res: CanonResponse, ctx: ResponseContext): Json {
  const custom = customToolNames(ctx.request)
  const carry = wantsCarriedReasoning(ctx.request)
  const output: Json[] = []
  let text = ''
  for (const p of res.parts) {
    switch (p.type) {
      case 'reasoning': {
        // OpenAI's own encrypted state is replayable, and Claude's thinking packed by us; any other
        // provider's signature is never sent
        const encrypted = p.origin === 'openai' ? p.encrypted : carry && p.origin === ANTHROPIC_ORIGIN ? packAnthropicReasoning(p.text, p.signature, p.redacted) : undefined
        if (!p.text && !encrypted) break
        output.push(reasoningItem((p.origin === 'openai' && p.itemId) || ctx.newId('rs_'), p.text, encrypted))
        break
      }
      case 'text':
        if (!p.text) break
        output.push(messageItem(ctx.newId('msg_'), [outputText(p.text)]))
        text += p.text
        break
      case 'refusal':
        output.push(messageItem(ctx.newId('msg_'), [{ type: 'refusal', refusal: p.text }]))
        break
      case 'tool_call': {
        // Gemini's signature on the call rides in a reasoning item just before it
        if (carry && p.signature) output.push(reasoningItem(ctx.newId('rs_'), '', packGeminiCallSignature(p.signature)))
        const input = customInput(p.custom, p.name, p.argumentsJson, custom)
        if (input !== undefined) output.push(customCallItem(ctx.newId('ctc_'), p.id, p.name, input))
        else output.push(functionCallItem(ctx.newId('fc_'), p.id, p.name, p.argumentsJson || '{}'))
        break
      }
      default:
        break
    }
  }
  const outcome = outcomeForFinish(res.finish)
  const now = ctx.now()
  const body: Json = {
    id: ctx.newId('resp_'),
    object: 'response',
    created_at: now,
    status: outcome.status,
    completed_at: outcome.status === 'completed' ? now : null,
    error: outcome.error ?? null,
    incomplete_details: outcome.reason ? { reason: outcome.reason } : null,
    model: ctx.model,
    output,
    output_text: text,
    usage: usageToResponses(res.usage),
    ...echoFields(ctx.request, ctx.keep),
  }
  if (ctx.keep && outcome.status === 'completed') ctx.keep.save(body.id as string, JSON.stringify(body))
  return body
}
