// Upstream: CanonRequest → a Responses request (`/responses`).
//
// Choices: always `store: false` (this proxy replays state itself; nothing is kept upstream) and,
// when reasoning is asked for, `include: ["reasoning.encrypted_content"]` so reasoning can be
// replayed on the next turn. `max_output_tokens` is raised to the API minimum of 16 (clients send 1
// to probe). Stop sequences, seed, penalties and top_k have no Responses field and are dropped; a
// user id longer than OpenAI's 64 characters (Claude Code's) is dropped too.
import type { CanonReasoning, CanonRequest, ReasoningEffort, ResponseFormat } from '../../canonical/request'
import type { EncodeOptions, WireRequest } from '../dialect'
import { encodeTool, encodeToolChoice } from './convert-tools'
import { encodeInput, encodeInstructions } from './encode-input'
import type { Json } from './wire'
import { drop, withDropped } from '../dropped'

const MIN_OUTPUT_TOKENS = 16
const MAX_USER_ID = 64
const ENCRYPTED = 'reasoning.encrypted_content'
/** extras forwarded verbatim when they have the right type */
const STRING_EXTRAS = ['prompt_cache_key', 'prompt_cache_retention', 'service_tier', 'truncation'] as const

export function encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest {
  const body: Json = { model: opts.model }
  const dropped: string[] = []
  // no Responses field for these
  if (req.stop?.length) drop(dropped, 'stop')
  if (req.seed !== undefined) drop(dropped, 'seed')
  if (req.presencePenalty !== undefined) drop(dropped, 'presence_penalty')
  if (req.frequencyPenalty !== undefined) drop(dropped, 'frequency_penalty')
  if (req.topK !== undefined) drop(dropped, 'top_k')
  if (req.n !== undefined && req.n !== 1) drop(dropped, 'n')
  const instructions = encodeInstructions(req)
  if (instructions) body.instructions = instructions
  body.input = encodeInput(req.messages)
  if (req.tools?.length) {
    body.tools = req.tools.map(encodeTool)
    if (req.toolChoice) body.tool_choice = encodeToolChoice(req.toolChoice, req.tools)
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls
  } else if (req.toolChoice?.type === 'none') body.tool_choice = 'none'
  if (req.maxOutputTokens !== undefined) body.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, req.maxOutputTokens)
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.topP !== undefined) body.top_p = req.topP

  const text: Json = {}
  if (req.responseFormat) text.format = encodeFormat(req.responseFormat)
  const verbosity = req.extras?.verbosity
  if (typeof verbosity === 'string') text.verbosity = verbosity
  if (text.format || text.verbosity) body.text = text

  const reasoning = encodeReasoning(req.reasoning)
  if (reasoning) body.reasoning = reasoning
  body.store = false
  const include = req.extras?.include
  const wantsEncrypted = (reasoning !== undefined && reasoning.effort !== 'none') || (Array.isArray(include) && include.includes(ENCRYPTED))
  if (wantsEncrypted) body.include = [ENCRYPTED]

  if (req.user && req.user.length <= MAX_USER_ID) body.user = req.user
  else if (req.user) drop(dropped, 'user')
  if (req.metadata) body.metadata = req.metadata
  if (req.extras) for (const k of STRING_EXTRAS) if (typeof req.extras[k] === 'string') body[k] = req.extras[k]
  if (req.stream) body.stream = true
  return withDropped({ path: '/responses', body }, dropped)
}

export function encodeFormat(f: ResponseFormat): Json {
  if (f.type !== 'json_schema') return { type: f.type }
  const out: Json = { type: 'json_schema', name: f.name, schema: f.schema }
  if (f.strict !== undefined) out.strict = f.strict
  if (f.description) out.description = f.description
  return out
}

/** effort as given; a budget alone maps like LiteLLM (≤1024 low, ≤4096 medium, else high) */
function encodeReasoning(r: CanonReasoning | undefined): { effort?: ReasoningEffort; summary?: string } | undefined {
  if (!r) return undefined
  let effort = r.effort
  if (!effort && r.enabled !== false && r.budgetTokens !== undefined && r.budgetTokens > 0)
    effort = r.budgetTokens <= 1024 ? 'low' : r.budgetTokens <= 4096 ? 'medium' : 'high'
  const out: { effort?: ReasoningEffort; summary?: string } = {}
  if (effort) out.effort = effort
  if (r.summary && effort !== 'none') out.summary = r.summary
  return out.effort || out.summary ? out : undefined
}
