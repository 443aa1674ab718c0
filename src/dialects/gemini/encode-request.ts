// Upstream: CanonRequest → a Gemini generateContent / streamGenerateContent request.
//
// Choices: tools are declared with `parametersJsonSchema`, so JSON Schema goes as-is (no OpenAPI
// conversion, no sanitizing); a tool without parameters declares none. Reasoning maps to
// `thinkingConfig {includeThoughts: true, thinkingBudget}` (an explicit budget as given, an effort
// through the table below, "enabled" alone → -1 = dynamic); disabled reasoning sends no
// thinkingConfig, since several models reject a zero budget. Stop sequences beyond Gemini's five
// are dropped; `n`, `user`, `metadata`, parallelToolCalls have no Gemini field. The body holds
// only fields Gemini knows: it rejects unknown ones.
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonReasoning, CanonRequest, CanonTool, ToolChoice } from '../../canonical/request'
import type { EncodeOptions, WireRequest } from '../dialect'
import { encodeContents, encodeSystem } from './encode-contents'
import { hasKeys, type Json } from './wire'
import { drop, withDropped } from '../dropped'
import { modelPathSegment } from '../../canonical/model-name'

const MAX_STOP_SEQUENCES = 5
/** thinking tokens per effort (2.5 Flash accepts up to 24576, Pro 32768) */
const BUDGET_BY_EFFORT: Record<string, number> = { minimal: 512, low: 1024, medium: 4096, high: 16384, xhigh: 24576, max: 24576 }
const DYNAMIC_BUDGET = -1

/** `models/gemini-2.5-flash` → `gemini-2.5-flash` */
export const bareModel = (model: string): string => (model.startsWith('models/') ? model.slice(7) : model)

/** the request path for a model (also what a same-dialect pass-through must call: the model is in the
 *  URL, escaped: a client's model name must not reach another path or query upstream) */
export const geminiPath = (model: string, stream: boolean): string =>
  `/v1beta/models/${modelPathSegment(bareModel(model), 'the Gemini API')}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`

export function encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest {
  const body: Json = { contents: encodeContents(req.messages) }
  const system = encodeSystem(req.system)
  if (system) body.systemInstruction = system
  if (req.tools?.length) {
    body.tools = [{ functionDeclarations: req.tools.map(declaration) }]
    const config = functionCallingConfig(req.toolChoice)
    if (config) body.toolConfig = { functionCallingConfig: config }
  }
  const gen = generationConfig(req)
  if (gen) body.generationConfig = gen
  return withDropped({ path: geminiPath(opts.model, req.stream), body }, droppedFor(req))
}

/** what has no Gemini field */
function droppedFor(req: CanonRequest): string[] {
  const dropped: string[] = []
  if (req.n !== undefined && req.n !== 1) drop(dropped, 'n')
  if (req.user) drop(dropped, 'user')
  if (req.metadata) drop(dropped, 'metadata')
  if (req.parallelToolCalls !== undefined) drop(dropped, 'parallel_tool_calls')
  if ((req.stop?.length ?? 0) > MAX_STOP_SEQUENCES) drop(dropped, 'stop')
  return dropped
}

function declaration(t: CanonTool): Json {
  const d: Json = { name: t.name }
  if (t.description) d.description = t.description
  // custom (free-form) tools become a function with one string `input` (canonical/custom-tools.ts)
  const schema = t.custom ? CUSTOM_INPUT_SCHEMA : t.parameters
  if (hasKeys(schema)) d.parametersJsonSchema = schema.type === undefined ? { type: 'object', ...schema } : schema
  return d
}

function functionCallingConfig(c: ToolChoice | undefined): Json | undefined {
  switch (c?.type) {
    case 'none':
      return { mode: 'NONE' }
    case 'required':
      return { mode: 'ANY' }
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [c.name] }
    case 'auto':
      return { mode: 'AUTO' }
    default:
      return undefined
  }
}

function generationConfig(req: CanonRequest): Json | undefined {
  const g: Json = {}
  if (req.maxOutputTokens !== undefined) g.maxOutputTokens = req.maxOutputTokens
  if (req.temperature !== undefined) g.temperature = Math.min(2, Math.max(0, req.temperature))
  if (req.topP !== undefined) g.topP = req.topP
  if (req.topK !== undefined) g.topK = req.topK
  if (req.stop?.length) g.stopSequences = req.stop.length > MAX_STOP_SEQUENCES ? req.stop.slice(0, MAX_STOP_SEQUENCES) : req.stop
  if (req.seed !== undefined) g.seed = req.seed
  if (req.presencePenalty !== undefined) g.presencePenalty = req.presencePenalty
  if (req.frequencyPenalty !== undefined) g.frequencyPenalty = req.frequencyPenalty
  const format = req.responseFormat
  if (format?.type === 'json_object') g.responseMimeType = 'application/json'
  else if (format?.type === 'json_schema') {
    g.responseMimeType = 'application/json'
    g.responseJsonSchema = format.schema
  }
  const budget = thinkingBudget(req.reasoning)
  if (budget !== undefined) g.thinkingConfig = { includeThoughts: true, thinkingBudget: budget }
  return hasKeys(g) ? g : undefined
}

/** thinkingBudget for the request, undefined = leave thinking to the model's default */
export function thinkingBudget(r: CanonReasoning | undefined): number | undefined {
  if (!r || r.enabled === false || r.effort === 'none') return undefined
  if (r.budgetTokens !== undefined) return r.budgetTokens > 0 ? r.budgetTokens : undefined
  if (r.effort) return BUDGET_BY_EFFORT[r.effort]
  return r.enabled || r.summary ? DYNAMIC_BUDGET : undefined
}
