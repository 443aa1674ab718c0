// The events almost every Responses stream is made of, read without JSON.parse: a flat object
//   {"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_…","output_index":0,
//    "content_index":0,"delta":"Hi","logprobs":[],"obfuscation":"…"}
// in any member order (Azure sorts them). Flat means no `{` after the first: then every
// `"name":` the search finds is a top-level member (inside a string the quotes would be escaped).
// A delta holding a `{` (JSON arguments often do), or any other event, goes to JSON.parse.
import { StringAt } from '../json-scan'

export const TEXT_DELTA = 0
export const REASONING_DELTA = 1
export const ARGS_DELTA = 2

const HEAD = '{"type":"response.'
/** event type suffix after HEAD, with the closing quote → kind */
const TYPES: Array<[string, number]> = [
  ['output_text.delta"', TEXT_DELTA],
  ['function_call_arguments.delta"', ARGS_DELTA],
  ['reasoning_summary_text.delta"', REASONING_DELTA],
  ['refusal.delta"', TEXT_DELTA],
  ['reasoning_text.delta"', REASONING_DELTA],
  ['custom_tool_call_input.delta"', ARGS_DELTA],
]

export class DeltaEventReader {
  /** after read() answered true */
  kind = TEXT_DELTA
  outputIndex = 0
  delta = ''
  /** the delta's JSON literal as the event has it */
  quoted = ''
  private readonly str = new StringAt()

  read(s: string): boolean {
    if (!s.startsWith(HEAD, 0) || s.charCodeAt(s.length - 1) !== 125) return false
    let kind = -1
    for (const [suffix, k] of TYPES)
      if (s.startsWith(suffix, HEAD.length)) {
        kind = k
        break
      }
    if (kind < 0 || s.indexOf('{', 1) !== -1) return false
    const o = s.indexOf('"output_index":')
    const d = s.indexOf('"delta":"')
    if (o === -1 || d === -1) return false
    let at = o + 15
    let c = s.charCodeAt(at)
    if (c < 48 || c > 57) return false
    let index = 0
    do {
      index = index * 10 + c - 48
      c = s.charCodeAt(++at)
    } while (c >= 48 && c <= 57)
    if (c !== 44 && c !== 125) return false
    if (!this.str.read(s, d + 9)) return false
    c = s.charCodeAt(this.str.end)
    if (c !== 44 && c !== 125) return false
    this.kind = kind
    this.outputIndex = index
    this.delta = this.str.value
    this.quoted = this.str.quoted
    return true
  }
}
