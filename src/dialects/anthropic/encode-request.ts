// Upstream: CanonRequest → an Anthropic Messages request (`POST /v1/messages`, API 2023-06-01).
//
// Choices: reasoning maps to `thinking: {type:"enabled", budget_tokens}` (the long-established
// form every Claude model with thinking accepts; adaptive thinking has no budget → medium);
// thinking forces the sampling rules Anthropic enforces (no temperature/top_k, top_p ≥ 0.95,
// tool_choice only auto/none, max_tokens > budget), and is left off when the last tool turn lost
// its signed thinking. Metadata keys other than the user id are dropped (Anthropic rejects them);
// json_object has no equivalent and is dropped.
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonReasoning, CanonRequest, CanonTool, ToolChoice } from '../../canonical/request'
import type { EncodeOptions, WireRequest } from '../dialect'
import { cacheTo } from './convert-content'
import { encodeMessages, encodeSystem } from './encode-messages'
import { hasKeys, type Json } from './wire'
import { drop, withDropped } from '../dropped'

export const ANTHROPIC_VERSION = '2023-06-01'
const MIN_BUDGET = 1024
const BUDGET_BY_EFFORT: Record<string, number> = { minimal: 1024, low: 1024, medium: 2048, high: 4096, xhigh: 8192, max: 8192 }
const EMPTY_SCHEMA = { type: 'object', properties: {} }

export function encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest {
  let maxTokens = req.maxOutputTokens ?? opts.defaultMaxTokens
  const messages = encodeMessages(req.messages)
  const body: Json = { model: opts.model, max_tokens: maxTokens, messages }
  const dropped: string[] = []
  // no Messages field for these
  if (req.seed !== undefined) drop(dropped, 'seed')
  if (req.presencePenalty !== undefined) drop(dropped, 'presence_penalty')
  if (req.frequencyPenalty !== undefined) drop(dropped, 'frequency_penalty')
  if (req.n !== undefined && req.n !== 1) drop(dropped, 'n')
  if (req.metadata) drop(dropped, 'metadata')
  const system = encodeSystem(req.system)
  if (system) body.system = system
  if (req.stream) body.stream = true

  const wanted = thinkingBudget(req.reasoning)
  const budget = wanted !== undefined && toolTurnKeepsThinking(messages) ? wanted : undefined
  if (wanted !== undefined && budget === undefined) drop(dropped, 'reasoning')
  if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget }
    // the budget counts against max_tokens, which must exceed it: keep the asked-for answer room
    if (maxTokens <= budget) body.max_tokens = maxTokens = budget + maxTokens
    if (req.topP !== undefined && req.topP >= 0.95) body.top_p = Math.min(1, req.topP)
    // thinking forbids these
    if (req.temperature !== undefined) drop(dropped, 'temperature')
    if (req.topK !== undefined) drop(dropped, 'top_k')
    if (req.topP !== undefined && req.topP < 0.95) drop(dropped, 'top_p')
  } else {
    if (req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature))
    if (req.topP !== undefined) body.top_p = req.topP
    if (req.topK !== undefined) body.top_k = req.topK
  }
  if (req.stop?.length) body.stop_sequences = req.stop

  if (req.tools?.length) {
    body.tools = req.tools.map(encodeTool)
    const choice = encodeToolChoice(req.toolChoice, req.parallelToolCalls, budget !== undefined)
    if (choice) body.tool_choice = choice
  }
  if (req.user) body.metadata = { user_id: req.user }
  const format = req.responseFormat
  if (format?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: format.schema } }
  else if (format?.type === 'json_object') drop(dropped, 'response_format')
  return withDropped({ path: '/v1/messages', body, headers: { 'anthropic-version': ANTHROPIC_VERSION } }, dropped)
}

/** With thinking on, Claude 400s when the last assistant turn calls tools without starting with
 *  its signed thinking block (pitfall D4). Clients that cannot carry signatures (Chat, Responses
 *  with store on) send such turns mid tool loop: thinking is then left off for this request. */
function toolTurnKeepsThinking(messages: Json[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m.role !== 'assistant') continue
    const blocks = m.content as Json[]
    if (!blocks.some((b) => b.type === 'tool_use')) return true
    return blocks[0].type === 'thinking' || blocks[0].type === 'redacted_thinking'
  }
  return true
}

/** budget_tokens for the request, undefined = no thinking */
export function thinkingBudget(r: CanonReasoning | undefined): number | undefined {
  if (!r || r.enabled === false || r.effort === 'none') return undefined
  if (r.budgetTokens !== undefined) return r.budgetTokens > 0 ? Math.max(MIN_BUDGET, r.budgetTokens) : undefined
  if (r.effort) return BUDGET_BY_EFFORT[r.effort]
  return r.enabled ? BUDGET_BY_EFFORT.medium : undefined
}

function encodeTool(t: CanonTool): Json {
  const tool: Json = { name: t.name }
  if (t.description) tool.description = t.description
  // custom (free-form) tools become a function with one string `input` (canonical/custom-tools.ts)
  tool.input_schema = t.custom ? CUSTOM_INPUT_SCHEMA : inputSchema(t.parameters)
  if (t.strict !== undefined) tool.strict = t.strict
  if (t.cache) tool.cache_control = cacheTo(t.cache)
  return tool
}

/** Anthropic requires `type: "object"`; OpenAI allows an omitted or typeless schema */
function inputSchema(p: Record<string, unknown> | undefined): Json {
  if (!hasKeys(p)) return EMPTY_SCHEMA
  return p.type === undefined ? { type: 'object', ...p } : p
}

function encodeToolChoice(c: ToolChoice | undefined, parallel: boolean | undefined, thinking: boolean): Json | undefined {
  let type = c?.type ?? 'auto'
  // with thinking only auto/none are allowed: a forced choice becomes auto
  if (thinking && (type === 'required' || type === 'tool')) type = 'auto'
  const noParallel = parallel === false
  if (type === 'none') return { type: 'none' }
  if (!c && !noParallel) return undefined
  const out: Json = type === 'required' ? { type: 'any' } : type === 'tool' && c?.type === 'tool' ? { type: 'tool', name: c.name } : { type: 'auto' }
  if (noParallel) out.disable_parallel_tool_use = true
  return out
}
