// Front door: a Responses request body (as Codex CLI and the openai SDK send it) → CanonRequest.
// Unknown fields are ignored; known fields of the wrong type are a 400 naming the field. What has
// no canonical form (built-in tools, server-side item references) is dropped and listed in
// `extras.warnings` for the request log. Stored state (`previous_response_id`, `conversation`) is
// rejected: this proxy keeps no responses, so the client must send the whole input.
import { builtinTools } from '../builtin-tools'
import type { CanonReasoning, CanonRequest, ReasoningEffort, ResponseFormat } from '../../canonical/request'
import { badRequest } from '../../errors'
import { decodeToolChoice, decodeTools } from './convert-tools'
import { decodeInput } from './decode-input'
import { oneOf, optArray, optBoolean, optInteger, optNumber, optObject, optString, readUserAndMetadata } from './validate'
import { isObject, type Json } from './wire'
import type { DecodeContext } from '../dialect'
import { readNumbers, type NumericSpec } from '../validate'
import { jsonSchemaFormat } from '../openai-chat/decode-request'

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']
const SUMMARIES = ['auto', 'concise', 'detailed'] as const

/** Responses fields kept verbatim in `extras` (same names as the wire) for OpenAI upstreams */
export const RESPONSES_EXTRAS = ['prompt_cache_key', 'prompt_cache_retention', 'service_tier', 'store', 'include', 'client_metadata', 'truncation'] as const

const STATELESS = 'is not supported by this proxy: it does not store responses. Send the full conversation in `input` (as with store: false).'

const SAMPLING: readonly NumericSpec[] = [
  ['max_output_tokens', 'maxOutputTokens', 'integer'],
  ['temperature', 'temperature', 'number'],
  ['top_p', 'topP', 'number'],
]

export function decodeRequest(body: Json, ctx?: DecodeContext): CanonRequest {
  const model = body.model
  if (typeof model !== 'string' || !model) throw badRequest("Missing required parameter: 'model'.", 'model')
  const input = body.input
  if (input === undefined || input === null) throw badRequest("Missing required parameter: 'input'.", 'input')
  if (typeof input !== 'string' && !Array.isArray(input)) throw badRequest("Invalid type for 'input': expected a string or an array of input items.", 'input')
  if (body.previous_response_id !== undefined && body.previous_response_id !== null)
    throw badRequest(`'previous_response_id' ${STATELESS}`, 'previous_response_id')
  if (body.conversation !== undefined && body.conversation !== null) throw badRequest(`'conversation' ${STATELESS}`, 'conversation')

  const warnings: string[] = []
  const dropped = ctx?.dropped ?? []
  const instructions = optString(body, 'instructions')
  const decoded = decodeInput(input, warnings, dropped)
  const system = instructions ? [{ type: 'text' as const, text: instructions }, ...decoded.system] : decoded.system
  const req: CanonRequest = { model, system, messages: decoded.messages, stream: optBoolean(body, 'stream') ?? false }

  const tools = optArray(body, 'tools')
  if (tools) {
    const decodedTools = decodeTools(tools, warnings, dropped)
    const builtins = builtinTools(tools, (t) => (t.type === 'function' || t.type === 'custom' ? undefined : String(t.type)))
    if (builtins) req.builtinTools = builtins
    if (decodedTools.length) req.tools = decodedTools
  }
  const choice = decodeToolChoice(body.tool_choice, warnings, dropped)
  if (choice) req.toolChoice = choice
  const parallel = optBoolean(body, 'parallel_tool_calls')
  if (parallel !== undefined) req.parallelToolCalls = parallel

  readNumbers(body, req, { optNumber, optInteger }, SAMPLING)

  const reasoning = decodeReasoning(optObject(body, 'reasoning'))
  if (reasoning) req.reasoning = reasoning

  const extras: Record<string, unknown> = {}
  const text = optObject(body, 'text')
  if (text) {
    const format = decodeFormat(optObject(text, 'format', 'text.format'))
    if (format) req.responseFormat = format
    const verbosity = optString(text, 'verbosity', 'text.verbosity')
    if (verbosity) extras.verbosity = verbosity
  }

  readUserAndMetadata(body, req)

  for (const k of RESPONSES_EXTRAS) if (body[k] !== undefined && body[k] !== null) extras[k] = body[k]
  if (warnings.length) extras.warnings = warnings
  for (const _ in extras) {
    req.extras = extras
    break
  }
  return req
}

function decodeReasoning(r: Json | undefined): CanonReasoning | undefined {
  if (!r) return undefined
  const out: CanonReasoning = {}
  const effort = oneOf(r, 'effort', EFFORTS, 'reasoning.effort')
  if (effort) out.effort = effort
  if (effort === 'none') out.enabled = false
  // generate_summary is the deprecated name of summary
  const summary = oneOf(r, 'summary', SUMMARIES, 'reasoning.summary') ?? oneOf(r, 'generate_summary', SUMMARIES, 'reasoning.generate_summary')
  if (summary) out.summary = summary
  return out.effort || out.summary ? out : undefined
}

function decodeFormat(f: Json | undefined): ResponseFormat | undefined {
  if (!f) return undefined
  if (f.type === 'text') return { type: 'text' }
  if (f.type === 'json_object') return { type: 'json_object' }
  if (f.type === 'json_schema') return jsonSchemaFormat(f)
  throw badRequest("Invalid value for 'text.format.type': expected 'text', 'json_object' or 'json_schema'.", 'text.format.type')
}
