// Front door: an Anthropic Messages request body (what Claude Code and the SDKs send) →
// CanonRequest. Unknown fields (context_management, container, mcp_servers, service_tier…) are
// ignored; known fields of the wrong type are a 400 naming the field.
import { builtinTools } from '../builtin-tools'
import type { CanonReasoning, CanonRequest, CanonTool, ReasoningEffort, ToolChoice } from '../../canonical/request'
import { badRequest } from '../../errors'
import { cacheFrom } from './convert-content'
import { decodeMessages, decodeSystem } from './decode-messages'
import { missing, needObject, needString, optArray, optBoolean, optInteger, optNumber, optObject, optString, wrongType } from './validate'
import { asString, isObject, type Json } from './wire'
import { drop } from '../dropped'
import type { DecodeContext } from '../dialect'
import { readNumbers, type NumericSpec } from '../validate'

const EFFORTS = new Set<string>(['low', 'medium', 'high', 'xhigh', 'max'])

const SAMPLING: readonly NumericSpec[] = [
  ['max_tokens', 'maxOutputTokens', 'integer'],
  ['temperature', 'temperature', 'number'],
  ['top_p', 'topP', 'number'],
  ['top_k', 'topK', 'integer'],
]

export function decodeRequest(body: Json, ctx?: DecodeContext): CanonRequest {
  const model = body.model
  if (model === undefined || model === null || model === '') throw missing('model')
  if (typeof model !== 'string') throw wrongType('model', 'a valid string', model)
  const list = body.messages
  if (list === undefined || list === null) throw missing('messages')
  if (!Array.isArray(list)) throw wrongType('messages', 'a valid list', list)

  const system = decodeSystem(body.system)
  const messages = decodeMessages(list, system)
  const req: CanonRequest = { model, system, messages, stream: optBoolean(body, 'stream') ?? false }

  readNumbers(body, req, { optNumber, optInteger }, SAMPLING)
  const stop = optArray(body, 'stop_sequences')
  if (stop?.length) {
    for (let i = 0; i < stop.length; i++) if (typeof stop[i] !== 'string') throw wrongType(`stop_sequences.${i}`, 'a valid string', stop[i])
    req.stop = stop as string[]
  }

  const dropped = ctx?.dropped ?? []
  const tools = decodeTools(optArray(body, 'tools'), dropped)
  const builtins = builtinTools(optArray(body, 'tools'), (t) => (t.type !== undefined && t.type !== null && t.type !== 'custom' ? String(t.type) : undefined))
  if (builtins) req.builtinTools = builtins
  if (tools.length) req.tools = tools
  decodeToolChoice(optObject(body, 'tool_choice'), req)

  const reasoning = decodeReasoning(optObject(body, 'thinking'), optObject(body, 'output_config'))
  if (reasoning) req.reasoning = reasoning
  const format = optObject(body, 'output_config')?.format
  if (isObject(format) && format.type === 'json_schema') {
    const schema = needObject(format.schema, 'output_config.format.schema')
    req.responseFormat = { type: 'json_schema', name: 'response', schema }
  }

  const metadata = optObject(body, 'metadata')
  if (metadata) {
    const user = optString(metadata, 'user_id', 'metadata.user_id')
    if (user) req.user = user
  }
  return req
}

function decodeTools(list: unknown[] | undefined, dropped: string[]): CanonTool[] {
  const out: CanonTool[] = []
  if (!list) return out
  for (let i = 0; i < list.length; i++) {
    const t = needObject(list[i], `tools.${i}`)
    // server tools (web_search_20250305, bash_20250124, tool search…) run at Anthropic only
    if (t.type !== undefined && t.type !== null && t.type !== 'custom') {
      drop(dropped, 'tools.builtin')
      continue
    }
    const name = needString(t.name, `tools.${i}.name`)
    const schema = t.input_schema
    if (schema === undefined || schema === null) throw missing(`tools.${i}.input_schema`)
    // kept as sent (JSON Schema 2020-12 keywords, defer_loading is a sibling and simply dropped)
    const tool: CanonTool = { name, parameters: needObject(schema, `tools.${i}.input_schema`) }
    const description = asString(t.description)
    if (description) tool.description = description
    if (typeof t.strict === 'boolean') tool.strict = t.strict
    const cache = cacheFrom(t.cache_control)
    if (cache) tool.cache = cache
    out.push(tool)
  }
  return out
}

function decodeToolChoice(c: Json | undefined, req: CanonRequest): void {
  if (!c) return
  let choice: ToolChoice
  switch (c.type) {
    case 'auto':
      choice = { type: 'auto' }
      break
    case 'any':
      choice = { type: 'required' }
      break
    case 'none':
      choice = { type: 'none' }
      break
    case 'tool':
      choice = { type: 'tool', name: needString(c.name, 'tool_choice.name') }
      break
    default:
      throw badRequest("tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'", 'tool_choice.type')
  }
  req.toolChoice = choice
  if (optBoolean(c, 'disable_parallel_tool_use', 'tool_choice.disable_parallel_tool_use') === true) req.parallelToolCalls = false
}

function decodeReasoning(thinking: Json | undefined, outputConfig: Json | undefined): CanonReasoning | undefined {
  let r: CanonReasoning | undefined
  if (thinking) {
    switch (thinking.type) {
      case 'enabled': {
        r = { enabled: true }
        const budget = optInteger(thinking, 'budget_tokens', 'thinking.budget_tokens')
        if (budget !== undefined) r.budgetTokens = budget
        break
      }
      case 'adaptive':
      case 'between_tools':
        r = { enabled: true }
        break
      case 'disabled':
        r = { enabled: false }
        break
      default:
        throw badRequest("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'", 'thinking.type')
    }
  }
  const effort = outputConfig ? optString(outputConfig, 'effort', 'output_config.effort') : undefined
  if (effort !== undefined) {
    if (!EFFORTS.has(effort)) throw badRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'", 'output_config.effort')
    // effort without thinking still tunes the answer; with thinking disabled it stays disabled
    r ??= {}
    if (r.enabled !== false) r.effort = effort as ReasoningEffort
  }
  return r
}
