// Front door: a Gemini generateContent body → CanonRequest. camelCase and snake_case both read.
//
// The model and the stream switch are in Gemini's URL (`/v1beta/models/{model}:streamGenerateContent`),
// not the body: the route layer passes them as `model` / `stream` on a copy of the body (a
// `models/` prefix is stripped). Unknown fields (safetySettings, cachedContent, labels…) and
// built-in tools (googleSearch, codeExecution) are ignored.
import { builtinTools } from '../builtin-tools'
import type { CanonReasoning, CanonRequest, CanonTool, ReasoningEffort, ResponseFormat } from '../../canonical/request'
import { badRequest } from '../../errors'
import { schemaFromGemini } from './convert-schema'
import { decodeContents, decodeSystem } from './decode-contents'
import { bareModel } from './encode-request'
import { needObject, optArray, optBoolean, optNumber, optObject, optString, wrongType } from './validate'
import { asString, field, isObject, type Json } from './wire'
import { drop } from '../dropped'
import type { DecodeContext } from '../dialect'

const LEVELS = new Set(['minimal', 'low', 'medium', 'high'])

export function decodeRequest(body: Json, ctx?: DecodeContext): CanonRequest {
  const contents = field(body, 'contents', 'contents')
  if (contents === undefined || contents === null) throw badRequest("Invalid value at 'contents': contents is required", 'contents')
  if (!Array.isArray(contents)) throw wrongType('contents', 'a list', contents)
  const system = decodeSystem(field(body, 'systemInstruction', 'system_instruction'))
  const messages = decodeContents(contents, system)
  const model = asString(body.model)
  const req: CanonRequest = { model: model ? bareModel(model) : '', system, messages, stream: body.stream === true }

  const dropped = ctx?.dropped ?? []
  const tools = decodeTools(optArray(body, 'tools'), dropped)
  // a Gemini built-in is the tool object's key: {googleSearch: {}}, {codeExecution: {}}
  const builtins = builtinTools(optArray(body, 'tools'), (t) => (t.functionDeclarations || t.function_declarations ? undefined : Object.keys(t)[0]))
  if (builtins) req.builtinTools = builtins
  if (tools.length) req.tools = tools
  const toolConfig = optObject(body, 'toolConfig', 'tool_config')
  const fcc = toolConfig && optObject(toolConfig, 'functionCallingConfig', 'function_calling_config', 'tool_config.function_calling_config')
  if (fcc) decodeToolChoice(fcc, req)

  const g = optObject(body, 'generationConfig', 'generation_config')
  if (g) decodeGenerationConfig(g, req)
  return req
}

function decodeTools(list: unknown[] | undefined, dropped: string[]): CanonTool[] {
  const out: CanonTool[] = []
  if (!list) return out
  for (let i = 0; i < list.length; i++) {
    const t = needObject(list[i], `tools[${i}]`)
    const decls = optArray(t, 'functionDeclarations', 'function_declarations', `tools[${i}].function_declarations`)
    // googleSearch, codeExecution, urlContext…: Google runs them, no other upstream can
    if (!decls) {
      drop(dropped, 'tools.builtin')
      continue
    }
    for (let k = 0; k < decls.length; k++) {
      const path = `tools[${i}].function_declarations[${k}]`
      const d = needObject(decls[k], path)
      const name = optString(d, 'name', 'name', `${path}.name`)
      if (!name) throw badRequest(`Invalid value at '${path}.name': name is required`, `${path}.name`)
      const jsonSchema = optObject(d, 'parametersJsonSchema', 'parameters_json_schema', `${path}.parameters_json_schema`)
      const openApi = optObject(d, 'parameters', 'parameters', `${path}.parameters`)
      const tool: CanonTool = { name, parameters: jsonSchema ?? (openApi ? schemaFromGemini(openApi) : { type: 'object', properties: {} }) }
      const description = optString(d, 'description', 'description', `${path}.description`)
      if (description) tool.description = description
      out.push(tool)
    }
  }
  return out
}

function decodeToolChoice(c: Json, req: CanonRequest): void {
  const mode = asString(c.mode)
  const allowed = field(c, 'allowedFunctionNames', 'allowed_function_names')
  if (mode === 'NONE') req.toolChoice = { type: 'none' }
  else if (mode === 'ANY') {
    // a single allowed name is a forced tool; a subset of several has no canonical form
    req.toolChoice = Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === 'string' ? { type: 'tool', name: allowed[0] } : { type: 'required' }
  } else if (mode === 'AUTO' || mode === 'VALIDATED') req.toolChoice = { type: 'auto' }
}

function decodeGenerationConfig(g: Json, req: CanonRequest): void {
  const p = 'generation_config'
  const max = optNumber(g, 'maxOutputTokens', 'max_output_tokens', `${p}.max_output_tokens`)
  if (max !== undefined) req.maxOutputTokens = max
  const temperature = optNumber(g, 'temperature', 'temperature', `${p}.temperature`)
  if (temperature !== undefined) req.temperature = temperature
  const topP = optNumber(g, 'topP', 'top_p', `${p}.top_p`)
  if (topP !== undefined) req.topP = topP
  const topK = optNumber(g, 'topK', 'top_k', `${p}.top_k`)
  if (topK !== undefined) req.topK = topK
  const stop = optArray(g, 'stopSequences', 'stop_sequences', `${p}.stop_sequences`)
  if (stop?.length) req.stop = stop.filter((s): s is string => typeof s === 'string')
  const seed = optNumber(g, 'seed', 'seed', `${p}.seed`)
  if (seed !== undefined) req.seed = seed
  const presence = optNumber(g, 'presencePenalty', 'presence_penalty', `${p}.presence_penalty`)
  if (presence !== undefined) req.presencePenalty = presence
  const frequency = optNumber(g, 'frequencyPenalty', 'frequency_penalty', `${p}.frequency_penalty`)
  if (frequency !== undefined) req.frequencyPenalty = frequency
  const n = optNumber(g, 'candidateCount', 'candidate_count', `${p}.candidate_count`)
  if (n !== undefined && n > 1) req.n = n
  const format = responseFormat(g)
  if (format) req.responseFormat = format
  const thinking = optObject(g, 'thinkingConfig', 'thinking_config', `${p}.thinking_config`)
  if (thinking) {
    const r = decodeThinking(thinking)
    if (r) req.reasoning = r
  }
}

function responseFormat(g: Json): ResponseFormat | undefined {
  const mime = optString(g, 'responseMimeType', 'response_mime_type', 'generation_config.response_mime_type')
  if (mime !== 'application/json') return undefined
  const jsonSchema = field(g, 'responseJsonSchema', 'response_json_schema')
  if (isObject(jsonSchema)) return { type: 'json_schema', name: 'response', schema: jsonSchema }
  const schema = field(g, 'responseSchema', 'response_schema')
  if (isObject(schema)) return { type: 'json_schema', name: 'response', schema: schemaFromGemini(schema) }
  return { type: 'json_object' }
}

function decodeThinking(t: Json): CanonReasoning | undefined {
  const p = 'generation_config.thinking_config'
  const r: CanonReasoning = {}
  const budget = optNumber(t, 'thinkingBudget', 'thinking_budget', `${p}.thinking_budget`)
  if (budget === 0) r.enabled = false
  else if (budget !== undefined && budget < 0) r.enabled = true
  else if (budget !== undefined) {
    r.enabled = true
    r.budgetTokens = budget
  }
  const level = optString(t, 'thinkingLevel', 'thinking_level', `${p}.thinking_level`)?.toLowerCase()
  if (level && LEVELS.has(level) && r.enabled !== false) {
    r.enabled = true
    r.effort = level as ReasoningEffort
  }
  if (optBoolean(t, 'includeThoughts', 'include_thoughts', `${p}.include_thoughts`) === true && r.enabled !== false) {
    r.enabled = true
    r.summary = 'auto'
  }
  return r.enabled === undefined ? undefined : r
}
