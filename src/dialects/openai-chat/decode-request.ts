// Front door: a Chat Completions request body → CanonRequest. Unknown fields are ignored; known
// fields of the wrong type are a 400 naming the field.
import { builtinTools } from '../builtin-tools'
import type { CanonReasoning, CanonRequest, ReasoningEffort, ResponseFormat } from '../../canonical/request'
import { badRequest } from '../../errors'
import { decodeMessages } from './decode-messages'
import { decodeToolChoice, decodeTools } from './decode-tools'
import { oneOf, optArray, optBoolean, optInteger, optNumber, optObject, readUserAndMetadata } from './validate'
import { isObject, type Json } from './wire'
import type { DecodeContext } from '../dialect'
import { readNumbers, type NumericSpec } from '../validate'

const EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']

/**
 * Chat fields that mean the same in Responses, kept in `extras` under their wire names for
 * same-family upstreams (see encode-request.ts).
 */
export const CHAT_EXTRAS = ['prompt_cache_key', 'verbosity', 'service_tier'] as const

const READERS = { optNumber, optInteger }
// max_completion_tokens wins over the older max_tokens (which is then not read)
const SAMPLING: readonly NumericSpec[] = [
  ['max_completion_tokens', 'maxOutputTokens', 'integer'],
  ['max_tokens', 'maxOutputTokens', 'integer'],
  ['temperature', 'temperature', 'number'],
  ['top_p', 'topP', 'number'],
]
const PENALTIES: readonly NumericSpec[] = [
  ['seed', 'seed', 'integer'],
  ['presence_penalty', 'presencePenalty', 'number'],
  ['frequency_penalty', 'frequencyPenalty', 'number'],
  ['n', 'n', 'integer'],
]

export function decodeRequest(body: Json, ctx?: DecodeContext): CanonRequest {
  const model = body.model
  if (typeof model !== 'string' || !model) throw badRequest("Missing required parameter: 'model'.", 'model')
  const list = body.messages
  if (!Array.isArray(list)) throw badRequest("Missing required parameter: 'messages' (an array).", 'messages')
  if (list.length === 0) throw badRequest("Invalid 'messages': empty array. Expected at least one message.", 'messages')

  const { system, messages } = decodeMessages(list)
  const req: CanonRequest = { model, system, messages, stream: optBoolean(body, 'stream') ?? false }

  const dropped = ctx?.dropped ?? []
  const tools = decodeTools(optArray(body, 'tools'), optArray(body, 'functions'), dropped)
  const builtins = builtinTools(optArray(body, 'tools'), (t) => (t.type === 'function' || t.type === 'custom' || (t.type === undefined && t.function) ? undefined : String(t.type)))
  if (builtins) req.builtinTools = builtins
  if (tools) req.tools = tools
  const choice = decodeToolChoice(body.tool_choice, body.function_call)
  if (choice) req.toolChoice = choice
  const parallel = optBoolean(body, 'parallel_tool_calls')
  if (parallel !== undefined) req.parallelToolCalls = parallel

  readNumbers(body, req, READERS, SAMPLING)
  const stop = decodeStop(body.stop)
  if (stop) req.stop = stop
  readNumbers(body, req, READERS, PENALTIES)

  const format = decodeResponseFormat(optObject(body, 'response_format'))
  if (format) req.responseFormat = format
  const effort = oneOf(body, 'reasoning_effort', EFFORTS)
  if (effort) {
    const reasoning: CanonReasoning = { effort }
    if (effort === 'none') reasoning.enabled = false
    req.reasoning = reasoning
  }

  readUserAndMetadata(body, req)
  // the extra `choices: []` usage chunk goes only to a client that asked for it (clients that
  // read choices[0] of every chunk crash on it)
  const streamOptions = optObject(body, 'stream_options')
  if (req.stream && streamOptions?.include_usage !== true) req.streamUsage = false

  let extras: Record<string, unknown> | undefined
  for (const k of CHAT_EXTRAS) {
    const v = body[k]
    if (typeof v === 'string') (extras ??= {})[k] = v
  }
  if (extras) req.extras = extras
  return req
}

function decodeStop(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return v ? [v] : undefined
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v.length ? (v as string[]) : undefined
  throw badRequest("Invalid type for 'stop': expected a string or an array of strings.", 'stop')
}

/** an OpenAI json_schema format object (Chat's `json_schema`, Responses' `text.format`) */
export function jsonSchemaFormat(js: Json): ResponseFormat {
  const out: ResponseFormat = {
    type: 'json_schema',
    name: typeof js.name === 'string' ? js.name : 'response',
    schema: isObject(js.schema) ? js.schema : {},
  }
  if (typeof js.strict === 'boolean') out.strict = js.strict
  if (typeof js.description === 'string') out.description = js.description
  return out
}

function decodeResponseFormat(f: Json | undefined): ResponseFormat | undefined {
  if (!f) return undefined
  if (f.type === 'text') return { type: 'text' }
  if (f.type === 'json_object') return { type: 'json_object' }
  if (f.type === 'json_schema') {
    const js = f.json_schema
    if (!isObject(js)) throw badRequest("Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema')
    return jsonSchemaFormat(js)
  }
  throw badRequest("Invalid value for 'response_format.type': expected 'text', 'json_object' or 'json_schema'.", 'response_format.type')
}
