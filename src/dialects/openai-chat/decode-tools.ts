// Chat `tools` / `tool_choice` (and the legacy `functions` / `function_call`) → canonical.
import { CUSTOM_INPUT_SCHEMA } from '../../canonical/custom-tools'
import type { CanonTool, ToolChoice } from '../../canonical/request'
import { badRequest } from '../../errors'
import { needObject } from './validate'
import { isObject, type Json } from './wire'
import { drop } from '../dropped'

/** a tool without parameters takes no arguments */
export const EMPTY_SCHEMA: Record<string, unknown> = { type: 'object', properties: {} }

function functionTool(fn: Json, field: string): CanonTool {
  if (typeof fn.name !== 'string' || !fn.name) throw badRequest(`Missing required parameter: '${field}.name'.`, `${field}.name`)
  const tool: CanonTool = { name: fn.name, parameters: isObject(fn.parameters) ? fn.parameters : EMPTY_SCHEMA }
  if (typeof fn.description === 'string') tool.description = fn.description
  if (typeof fn.strict === 'boolean') tool.strict = fn.strict
  return tool
}

/** tools of unknown types (built-ins of other products) are dropped, not rejected */
export function decodeTools(tools: unknown[] | undefined, functions: unknown[] | undefined, dropped: string[] = []): CanonTool[] | undefined {
  const out: CanonTool[] = []
  if (tools) {
    for (let i = 0; i < tools.length; i++) {
      const field = `tools[${i}]`
      const t = needObject(tools[i], field)
      if (t.type === 'function' || (t.type === undefined && isObject(t.function))) {
        out.push(functionTool(needObject(t.function, `${field}.function`), `${field}.function`))
      } else if (t.type === 'custom') {
        const c = needObject(t.custom, `${field}.custom`)
        if (typeof c.name !== 'string' || !c.name) throw badRequest(`Missing required parameter: '${field}.custom.name'.`, `${field}.custom.name`)
        const tool: CanonTool = { name: c.name, parameters: CUSTOM_INPUT_SCHEMA, custom: c.format === undefined ? {} : { format: c.format } }
        if (typeof c.description === 'string') tool.description = c.description
        out.push(tool)
      } else drop(dropped, 'tools.builtin')
    }
  }
  if (functions) {
    for (let i = 0; i < functions.length; i++) out.push(functionTool(needObject(functions[i], `functions[${i}]`), `functions[${i}]`))
  }
  return out.length ? out : undefined
}

const invalidChoice = (field: string) =>
  badRequest(`Invalid value for '${field}': expected 'none', 'auto', 'required' or a named tool.`, field)

export function decodeToolChoice(choice: unknown, legacy: unknown): ToolChoice | undefined {
  if (choice === undefined || choice === null) return legacy === undefined || legacy === null ? undefined : legacyChoice(legacy)
  if (choice === 'auto' || choice === 'none' || choice === 'required') return { type: choice }
  if (!isObject(choice)) throw invalidChoice('tool_choice')
  if (choice.type === 'function' && isObject(choice.function) && typeof choice.function.name === 'string')
    return { type: 'tool', name: choice.function.name }
  if (choice.type === 'custom' && isObject(choice.custom) && typeof choice.custom.name === 'string')
    return { type: 'tool', name: choice.custom.name }
  // allowed_tools restricts the set further; the closest canonical choice is its mode
  if (choice.type === 'allowed_tools' && isObject(choice.allowed_tools))
    return { type: choice.allowed_tools.mode === 'required' ? 'required' : 'auto' }
  throw invalidChoice('tool_choice')
}

function legacyChoice(v: unknown): ToolChoice {
  if (v === 'auto' || v === 'none') return { type: v }
  if (isObject(v) && typeof v.name === 'string') return { type: 'tool', name: v.name }
  throw invalidChoice('function_call')
}
