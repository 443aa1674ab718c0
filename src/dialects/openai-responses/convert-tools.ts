// Responses `tools` / `tool_choice` ⇄ canonical. Function tools are flat ({type, name, parameters});
// `custom` tools (Codex apply_patch) keep their grammar; built-ins (web_search, local_shell, mcp…)
// have no canonical form and are dropped with a warning, never rejected.
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonTool, ToolChoice } from '../../canonical/request'
import { badRequest } from '../../errors'
import { needObject } from './validate'
import { isObject, type Json } from './wire'
import { drop } from '../dropped'

/** a tool without parameters takes no arguments */
const EMPTY_SCHEMA: Record<string, unknown> = { type: 'object', properties: {} }

function requireName(t: Json, field: string): string {
  if (typeof t.name !== 'string' || !t.name) throw badRequest(`Missing required parameter: '${field}.name'.`, `${field}.name`)
  return t.name
}

export function decodeTools(tools: unknown[], warnings: string[], dropped: string[] = []): CanonTool[] {
  const out: CanonTool[] = []
  for (let i = 0; i < tools.length; i++) {
    const field = `tools[${i}]`
    const t = needObject(tools[i], field)
    if (t.type === 'function') {
      // tolerate the Chat shape ({type, function:{…}}) some clients send here
      const fn = typeof t.name !== 'string' && isObject(t.function) ? t.function : t
      const tool: CanonTool = { name: requireName(fn, field), parameters: isObject(fn.parameters) ? fn.parameters : EMPTY_SCHEMA }
      if (typeof fn.description === 'string') tool.description = fn.description
      if (typeof fn.strict === 'boolean') tool.strict = fn.strict
      out.push(tool)
    } else if (t.type === 'custom') {
      const tool: CanonTool = { name: requireName(t, field), parameters: CUSTOM_INPUT_SCHEMA, custom: t.format === undefined ? {} : { format: t.format } }
      if (typeof t.description === 'string') tool.description = t.description
      out.push(tool)
    } else {
      warnings.push(`dropped tool of type '${String(t.type)}': no equivalent outside OpenAI Responses`)
      drop(dropped, 'tools.builtin')
    }
  }
  return out
}

const invalidChoice = () => badRequest("Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named tool.", 'tool_choice')

export function decodeToolChoice(choice: unknown, warnings: string[], dropped: string[] = []): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice }
  if (!isObject(choice)) throw invalidChoice()
  if ((choice.type === 'function' || choice.type === 'custom') && typeof choice.name === 'string') return { type: 'tool', name: choice.name }
  // allowed_tools restricts the set further; the closest canonical choice is its mode
  if (choice.type === 'allowed_tools') return { type: choice.mode === 'required' ? 'required' : 'auto' }
  if (typeof choice.type === 'string') {
    warnings.push(`tool_choice '${choice.type}' names a dropped built-in tool: using 'auto'`)
    drop(dropped, 'tool_choice')
    return { type: 'auto' }
  }
  throw invalidChoice()
}

/** canonical tools → wire tools (upstream requests and the echo in response objects) */
export function encodeTool(t: CanonTool): Json {
  if (t.custom) {
    const out: Json = { type: 'custom', name: t.name }
    if (t.description) out.description = t.description
    if (t.custom.format !== undefined) out.format = t.custom.format
    return out
  }
  // explicit false when unset: strict mode (documented as the Responses default) rejects most
  // hand-written schemas (optional properties, no additionalProperties:false)
  return { type: 'function', name: t.name, description: t.description ?? null, parameters: t.parameters, strict: t.strict ?? false }
}

export function encodeToolChoice(c: ToolChoice, tools: CanonTool[] | undefined): Json | string {
  if (c.type !== 'tool') return c.type
  const custom = tools?.some((t) => t.name === c.name && t.custom)
  return { type: custom ? 'custom' : 'function', name: c.name }
}
