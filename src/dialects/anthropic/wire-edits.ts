// How pass-through transforms edit a Messages body (dialect.ts WireEdits).
import type { SystemEdit, WireEdits } from '../dialect'
import { replaceContent, replacements } from '../wire-edit'

type Body = Record<string, unknown>

function system(body: Body, out: Body, t: SystemEdit): void {
  const pairs = replacements(t)
  let system: unknown = body.system
  if (pairs) system = replaceContent(system, pairs)
  if (t.prepend || t.append) {
    const blocks: unknown[] =
      typeof system === 'string' ? (system ? [{ type: 'text', text: system }] : []) : Array.isArray(system) ? system.slice() : []
    if (t.prepend) blocks.unshift({ type: 'text', text: t.prepend })
    if (t.append) blocks.push({ type: 'text', text: t.append })
    system = blocks
  }
  if (system !== body.system) out.system = system
}

export const anthropicWireEdits: WireEdits = {
  keys: {
    stop: 'stop_sequences',
    seed: null,
    presence_penalty: null,
    frequency_penalty: null,
    n: null,
    parallel_tool_calls: null,
    user: null,
    reasoning_effort: null,
  },
  listKeys: ['stop_sequences'],
  maxTokensKey: () => 'max_tokens',
  system,
}
