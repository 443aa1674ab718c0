// Output items in their completed form, as the non-streaming body, `response.output_item.done` and
// the terminal event's `output` carry them. Ids: rs_ / msg_ / fc_ / ctc_ from the context.
import { unwrapCustomInput } from '../../canonical/custom-tools'
import type { CanonRequest } from '../../canonical/request'
import type { Json } from './wire'

export const outputText = (text: string): Json => ({ type: 'output_text', annotations: [], logprobs: [], text })

export const messageItem = (id: string, content: Json[], status = 'completed'): Json => ({ id, type: 'message', status, role: 'assistant', content })

export function reasoningItem(id: string, text: string, encrypted?: string): Json {
  const item: Json = { id, type: 'reasoning', summary: text ? [{ type: 'summary_text', text }] : [] }
  if (encrypted) item.encrypted_content = encrypted
  return item
}

export const functionCallItem = (id: string, callId: string, name: string, args: string, status = 'completed'): Json => ({
  id,
  type: 'function_call',
  status,
  arguments: args,
  call_id: callId,
  name,
})

export const customCallItem = (id: string, callId: string, name: string, input: string): Json => ({
  id,
  type: 'custom_tool_call',
  call_id: callId,
  name,
  input,
})

/** names of the tools the client declared as `custom`: their calls go back as custom_tool_call */
export function customToolNames(req: CanonRequest | undefined): Set<string> | undefined {
  let names: Set<string> | undefined
  if (req?.tools) for (const t of req.tools) if (t.custom) (names ??= new Set()).add(t.name)
  return names
}

/**
 * The raw input of a custom call, or undefined for a function call: a call flagged custom already
 * carries raw input (a Responses upstream); a declared custom tool called through a function-style
 * upstream carries `{"input": raw}` (canonical/custom-tools.ts).
 */
export function customInput(flagged: boolean | undefined, name: string, args: string, custom: Set<string> | undefined): string | undefined {
  if (flagged) return args
  if (custom?.has(name)) return unwrapCustomInput(args)
  return undefined
}
