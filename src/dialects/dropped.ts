// What a codec could not carry to its target (a parameter the target has no field for, a built-in
// tool it cannot run), named by request field in the config / OpenAI spelling. The proxy logs them
// once per request and counts them in llm_proxy_dropped_fields_total: names are code constants,
// never client text, so the metric's label set stays bounded.
import type { WireRequest } from './dialect'

export const DROPPABLE_FIELDS = [
  'temperature',
  'top_p',
  'top_k',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'n',
  'user',
  'metadata',
  'parallel_tool_calls',
  'response_format',
  'reasoning',
  'tool_choice',
  'tools.builtin',
  'input.item',
] as const

export type DroppedField = (typeof DROPPABLE_FIELDS)[number]

const KNOWN = new Set<string>(DROPPABLE_FIELDS)

/** a field name fit for a metric label: a known one, else "other" */
export const droppedLabel = (field: string): string => (KNOWN.has(field) ? field : 'other')

/** adds a field once */
export function drop(list: string[], field: DroppedField): void {
  if (!list.includes(field)) list.push(field)
}

/** sets `dropped` on a result only when something was (keeps results without drops unchanged) */
export function withDropped(result: WireRequest, dropped: string[]): WireRequest {
  if (dropped.length) result.dropped = dropped
  return result
}
