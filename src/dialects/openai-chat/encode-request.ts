// Upstream: CanonRequest → a Chat Completions request.
//
// Choices: the output budget goes in `max_completion_tokens` only (reasoning models reject the
// deprecated `max_tokens`; current compatible servers accept the new name). `metadata` is dropped
// (OpenAI accepts it only with `store`), cache hints are dropped (caching is automatic), and an
// explicit "thinking off" without an effort sends nothing (non-reasoning models reject
// `reasoning_effort`).
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonReasoning, CanonRequest, CanonTool, ReasoningEffort, ResponseFormat, ToolChoice } from '../../canonical/request'
import type { EncodeOptions, WireRequest } from '../dialect'
import { CHAT_EXTRAS } from './decode-request'
import { EMPTY_SCHEMA } from './decode-tools'
import { encodeMessages } from './encode-messages'
import type { Json } from './wire'
import { drop, withDropped } from '../dropped'
import { hasKeys } from '../wire-json'

/** OpenAI accepts at most 4 stop sequences */
const MAX_STOP = 4

export function encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest {
  const body: Json = { model: opts.model, messages: encodeMessages(req) }
  const dropped: string[] = []
  if (req.stream) {
    body.stream = true
    // usage only comes with include_usage; every front dialect needs it
    body.stream_options = { include_usage: true }
  }
  if (req.maxOutputTokens !== undefined) body.max_completion_tokens = req.maxOutputTokens
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.topP !== undefined) body.top_p = req.topP
  if (req.topK !== undefined) drop(dropped, 'top_k')
  if (req.metadata) drop(dropped, 'metadata')
  if (req.stop?.length) {
    body.stop = req.stop.length > MAX_STOP ? req.stop.slice(0, MAX_STOP) : req.stop
    if (req.stop.length > MAX_STOP) drop(dropped, 'stop')
  }
  if (req.seed !== undefined) body.seed = req.seed
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty
  if (req.n !== undefined && req.n !== 1) body.n = req.n
  if (req.responseFormat) body.response_format = encodeResponseFormat(req.responseFormat)
  const effort = reasoningEffort(req.reasoning)
  if (effort) body.reasoning_effort = effort
  if (req.tools?.length) {
    body.tools = req.tools.map(encodeTool)
    if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice)
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls
  }
  if (req.user) body.user = req.user
  if (req.extras) for (const k of CHAT_EXTRAS) if (typeof req.extras[k] === 'string') body[k] = req.extras[k]
  return withDropped({ path: '/chat/completions', body }, dropped)
}

function encodeTool(t: CanonTool): Json {
  // custom (free-form) tools become a function with one string `input` (canonical/custom-tools.ts)
  const fn: Json = { name: t.name }
  if (t.description) fn.description = t.description
  fn.parameters = t.custom ? CUSTOM_INPUT_SCHEMA : hasKeys(t.parameters) ? t.parameters : EMPTY_SCHEMA
  if (t.strict !== undefined) fn.strict = t.strict
  return { type: 'function', function: fn }
}

function encodeToolChoice(c: ToolChoice): Json | string {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type
}

function encodeResponseFormat(f: ResponseFormat): Json {
  if (f.type !== 'json_schema') return { type: f.type }
  const js: Json = { name: f.name, schema: f.schema }
  if (f.strict !== undefined) js.strict = f.strict
  if (f.description) js.description = f.description
  return { type: 'json_schema', json_schema: js }
}

/** effort as given; a budget alone maps like LiteLLM (≤1024 low, ≤4096 medium, else high) */
export function reasoningEffort(r: CanonReasoning | undefined): ReasoningEffort | undefined {
  if (!r) return undefined
  if (r.effort) return r.effort
  const b = r.budgetTokens
  if (r.enabled === false || b === undefined || b <= 0) return undefined
  return b <= 1024 ? 'low' : b <= 4096 ? 'medium' : 'high'
}
