// Upstream: CanonRequest → a Converse / ConverseStream body (protocols: bedrock.md).
//
// Bedrock's rules: messages start with a user turn and alternate (same-role turns are merged, a
// leading assistant turn gets a "(continue)" user turn before it); no blank text blocks; tool
// results in user turns; `toolConfig` must be present whenever the history holds tool blocks
// (tools it names but the request no longer declares are declared with an open schema).
// Reasoning replays only with a signature that came from Claude (tagged Anthropic's); for
// Claude, thinking and top_k go in `additionalModelRequestFields` under their native names, with
// the sampling rules of the Anthropic encoder. `tool_choice: none` has no Converse form: the
// tools are left out, unless the history holds tool blocks (then they are declared, without a
// choice).
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonMessage, CanonPart, CanonRequest, ToolChoice } from '../../canonical/request'
import { parseInput } from '../anthropic/encode-messages'
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'
import { thinkingBudget } from '../anthropic/encode-request'
import { sanitizeToolId } from '../anthropic/tool-id'
import { hasKeys, type Json } from '../anthropic/wire'
import { drop } from '../dropped'
import { cachePoint, mediaBlock } from './encode-content'
import { isClaudeModel } from './model-id'

const NON_BLANK = /\S/
const OPEN_SCHEMA = { type: 'object', properties: {} }

/** the body, and the request fields Converse (or this model family) has no place for */
export function encodeConverse(req: CanonRequest, model: string, defaultMaxTokens: number): { body: Json; dropped: string[] } {
  const claude = isClaudeModel(model)
  const dropped: string[] = []
  if (req.seed !== undefined) drop(dropped, 'seed')
  if (req.presencePenalty !== undefined) drop(dropped, 'presence_penalty')
  if (req.frequencyPenalty !== undefined) drop(dropped, 'frequency_penalty')
  if (req.n !== undefined && req.n !== 1) drop(dropped, 'n')
  if (req.user) drop(dropped, 'user')
  if (req.metadata) drop(dropped, 'metadata')
  if (req.parallelToolCalls === false) drop(dropped, 'parallel_tool_calls')
  if (req.responseFormat?.type === 'json_object') drop(dropped, 'response_format')
  if (req.reasoning && !claude && thinkingBudget(req.reasoning) !== undefined) drop(dropped, 'reasoning')
  if (req.topK !== undefined && !claude) drop(dropped, 'top_k')
  const used = new Set<string>()
  const messages = encodeMessages(req.messages, used)
  const body: Json = { messages }
  const system = encodeSystem(req.system)
  if (system.length) body.system = system

  let maxTokens = req.maxOutputTokens ?? defaultMaxTokens
  const inference: Json = {}
  const extra: Json = {}
  const budget = claude ? thinkingBudget(req.reasoning) : undefined
  const thinking = budget !== undefined && lastToolTurnKeepsThinking(messages)
  if (budget !== undefined && !thinking) drop(dropped, 'reasoning')
  if (thinking) {
    if (req.temperature !== undefined) drop(dropped, 'temperature')
    if (req.topK !== undefined) drop(dropped, 'top_k')
    if (req.topP !== undefined && req.topP < 0.95) drop(dropped, 'top_p')
    extra.thinking = { type: 'enabled', budget_tokens: budget }
    if (maxTokens <= budget!) maxTokens += budget!
    if (req.topP !== undefined && req.topP >= 0.95) inference.topP = Math.min(1, req.topP)
  } else {
    // Converse takes 0–1 for every model (OpenAI clients may send up to 2)
    if (req.temperature !== undefined) inference.temperature = Math.min(1, Math.max(0, req.temperature))
    if (req.topP !== undefined) inference.topP = req.topP
    if (req.topK !== undefined && claude) extra.top_k = req.topK
  }
  inference.maxTokens = maxTokens
  if (req.stop?.length) inference.stopSequences = req.stop
  body.inferenceConfig = inference
  if (hasKeys(extra)) body.additionalModelRequestFields = extra

  const toolConfig = encodeTools(req, used, thinking)
  if (toolConfig) body.toolConfig = toolConfig
  const format = req.responseFormat
  if (format?.type === 'json_schema')
    body.outputConfig = { textFormat: { type: 'json_schema', structure: { jsonSchema: { schema: JSON.stringify(format.schema), name: format.name } } } }
  return { body, dropped }
}

function encodeSystem(parts: CanonPart[]): Json[] {
  const out: Json[] = []
  for (const p of parts) {
    if (p.type !== 'text') continue
    if (NON_BLANK.test(p.text)) out.push({ text: p.text })
    if (p.cache && out.length) out.push(cachePoint(p.cache))
  }
  return out
}

interface Turn {
  role: 'user' | 'assistant'
  content: Json[]
}

function encodeMessages(messages: CanonMessage[], used: Set<string>): Json[] {
  const turns: Turn[] = []
  let docs = 0
  for (const m of messages) {
    const content: Json[] = []
    for (const p of m.parts) docs = m.role === 'user' ? userPart(p, content, docs) : assistantPart(p, content, used)
    if (!content.length) continue
    const last = turns[turns.length - 1]
    if (last && last.role === m.role) for (const b of content) last.content.push(b)
    else turns.push({ role: m.role, content })
  }
  if (turns.length && turns[0].role === 'assistant') turns.unshift({ role: 'user', content: [{ text: '(continue)' }] })
  // tool results lead their user turn
  for (const t of turns) if (t.role === 'user' && t.content.some((b) => b.toolResult)) t.content.sort((a, b) => (b.toolResult ? 1 : 0) - (a.toolResult ? 1 : 0))
  return turns as unknown as Json[]
}

function withCache(out: Json[], block: Json, p: { cache?: { ttl?: '5m' | '1h' | '30m' } }): void {
  out.push(block)
  if (p.cache) out.push(cachePoint(p.cache))
}

function userPart(p: CanonPart, out: Json[], docs: number): number {
  switch (p.type) {
    case 'text':
      if (NON_BLANK.test(p.text)) withCache(out, { text: p.text }, p)
      else if (p.cache && out.length) out.push(cachePoint(p.cache))
      return docs
    case 'image':
    case 'file':
      withCache(out, mediaBlock(p, docs + 1), p)
      return p.type === 'file' ? docs + 1 : docs
    case 'tool_result': {
      const content: Json[] = []
      for (const c of p.content) {
        if (c.type === 'text') {
          if (NON_BLANK.test(c.text)) content.push({ text: c.text })
        } else if (c.type === 'image' || c.type === 'file') content.push(mediaBlock(c, ++docs))
      }
      if (!content.length) content.push({ text: p.isError ? 'error' : '(no output)' })
      const result: Json = { toolUseId: sanitizeToolId(p.callId), content }
      if (p.isError) result.status = 'error'
      withCache(out, { toolResult: result }, p)
      return docs
    }
    default:
      return docs
  }
}

function assistantPart(p: CanonPart, out: Json[], used: Set<string>): number {
  switch (p.type) {
    case 'text':
    case 'refusal':
      if (NON_BLANK.test(p.text)) out.push({ text: p.text })
      break
    case 'reasoning':
      // signed Claude thinking only: another provider's signature is invalid here
      if (p.origin !== ANTHROPIC_ORIGIN) break
      if (p.redacted) out.push({ reasoningContent: { redactedContent: p.redacted } })
      else if (p.signature) out.push({ reasoningContent: { reasoningText: { text: p.text, signature: p.signature } } })
      break
    case 'tool_call': {
      used.add(p.name)
      const input = p.custom ? { input: p.argumentsJson } : parseInput(p.argumentsJson)
      withCache(out, { toolUse: { toolUseId: sanitizeToolId(p.id), name: p.name, input } }, p)
      break
    }
    default:
      break
  }
  return 0
}

/** with thinking on, the last assistant tool turn must start with its signed reasoning (pitfall D4) */
function lastToolTurnKeepsThinking(messages: Json[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as unknown as Turn
    if (m.role !== 'assistant') continue
    if (!m.content.some((b) => b.toolUse)) return true
    return m.content[0].reasoningContent !== undefined
  }
  return true
}

function encodeTools(req: CanonRequest, used: Set<string>, thinking: boolean): Json | undefined {
  const tools: Json[] = []
  const declared = new Set<string>()
  const none = req.toolChoice?.type === 'none'
  if (none && used.size === 0) return undefined
  for (const t of req.tools ?? []) {
    declared.add(t.name)
    const spec: Json = { name: t.name, inputSchema: { json: t.custom ? CUSTOM_INPUT_SCHEMA : schemaOf(t.parameters) } }
    if (t.description) spec.description = t.description
    tools.push({ toolSpec: spec })
    if (t.cache) tools.push(cachePoint(t.cache))
  }
  for (const name of used) if (!declared.has(name)) tools.push({ toolSpec: { name, inputSchema: { json: OPEN_SCHEMA } } })
  if (!tools.length) return undefined
  const config: Json = { tools }
  const choice = encodeChoice(req.toolChoice, thinking)
  if (choice && req.tools?.length) config.toolChoice = choice
  return config
}

function schemaOf(p: Record<string, unknown> | undefined): Json {
  if (!hasKeys(p)) return OPEN_SCHEMA
  return p.type === undefined ? { type: 'object', ...p } : p
}

function encodeChoice(c: ToolChoice | undefined, thinking: boolean): Json | undefined {
  if (!c) return undefined
  // Claude with thinking takes only auto: a forced choice is relaxed
  if (thinking && (c.type === 'required' || c.type === 'tool')) return { auto: {} }
  if (c.type === 'required') return { any: {} }
  if (c.type === 'tool') return { tool: { name: c.name } }
  if (c.type === 'auto') return { auto: {} }
  return undefined
}
