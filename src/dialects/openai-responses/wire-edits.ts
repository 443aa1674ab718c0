// How pass-through transforms edit a Responses body (dialect.ts WireEdits).
import type { SystemEdit, WireEdits } from '../dialect'
import { replaceAll, replaceInSystemMessages, replacements } from '../wire-edit'

type Body = Record<string, unknown>

function system(body: Body, out: Body, t: SystemEdit): void {
  const pairs = replacements(t)
  let instructions = typeof body.instructions === 'string' ? body.instructions : ''
  if (pairs) instructions = replaceAll(instructions, pairs)
  if (t.prepend) instructions = instructions ? `${t.prepend}\n\n${instructions}` : t.prepend
  if (t.append) instructions = instructions ? `${instructions}\n\n${t.append}` : t.append
  if (instructions !== (body.instructions ?? '')) out.instructions = instructions
  // system/developer messages inside `input` are system text too
  if (pairs && Array.isArray(body.input)) {
    const input = replaceInSystemMessages(body.input, pairs)
    if (input !== body.input) out.input = input
  }
}

export const responsesWireEdits: WireEdits = {
  keys: { stop: null, stop_sequences: null, seed: null, presence_penalty: null, frequency_penalty: null, n: null, top_k: null },
  maxTokensKey: () => 'max_output_tokens',
  special: {
    reasoning_effort(out, v, force) {
      const r = out.reasoning as Body | undefined
      if (force || r?.effort === undefined) out.reasoning = { ...r, effort: v }
    },
  },
  system,
}
