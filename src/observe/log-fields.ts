// logging.fields: the request line's fields renamed (lm-proxy's logger field mapping) or dropped
// (`false`). Pure; the names it may map are the request line's own.

/** the fields of the JSON request line, as the proxy names them */
export const REQUEST_LINE_FIELDS = [
  'id',
  'method',
  'path',
  'front',
  'key',
  'group',
  'model',
  'provider',
  'upstream_model',
  'rule',
  'status',
  'stream',
  'attempts',
  'tried',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'reasoning_tokens',
  'cost_usd',
  'ttft_ms',
  'duration_ms',
  'overhead_ms',
  'disconnected',
  'usage_estimated',
  'error_class',
  'error',
  'remote_addr',
] as const

export type FieldMap = Record<string, string | false>

/** the line with mapped fields renamed or dropped; fields not in the map keep their names */
export function mapFields(line: Record<string, unknown>, map: FieldMap | undefined): Record<string, unknown> {
  if (!map) return line
  const out: Record<string, unknown> = {}
  for (const k in line) {
    const to = map[k]
    if (to === false) continue
    out[to ?? k] = line[k]
  }
  return out
}
