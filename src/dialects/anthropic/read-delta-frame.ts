// The frame almost every Anthropic stream is made of, read without JSON.parse:
//   {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}
// (also thinking_delta, input_json_delta, signature_delta), matched byte for byte as Anthropic
// writes it. Any other frame, or this one spaced or reordered, answers false and goes to JSON.parse.
import { StringAt } from '../json-scan'

export type DeltaType = 'text_delta' | 'input_json_delta' | 'thinking_delta' | 'signature_delta'

const HEAD = '{"type":"content_block_delta","index":'
const DELTA = ',"delta":{"type":"'
/** the text after DELTA up to the string's opening quote, per delta type */
const KINDS: Array<[DeltaType, string]> = [
  ['text_delta', 'text_delta","text":"'],
  ['input_json_delta', 'input_json_delta","partial_json":"'],
  ['thinking_delta', 'thinking_delta","thinking":"'],
  ['signature_delta', 'signature_delta","signature":"'],
]

export class DeltaFrameReader {
  /** after read() answered true */
  index = 0
  type: DeltaType = 'text_delta'
  value = ''
  /** the value's JSON literal as the frame has it */
  quoted = ''
  private readonly str = new StringAt()

  read(s: string): boolean {
    if (!s.startsWith(HEAD, 0)) return false
    let at = HEAD.length
    let index = 0
    let c = s.charCodeAt(at)
    if (c < 48 || c > 57) return false
    do {
      index = index * 10 + c - 48
      c = s.charCodeAt(++at)
    } while (c >= 48 && c <= 57)
    if (!s.startsWith(DELTA, at)) return false
    at += DELTA.length
    for (const [type, text] of KINDS) {
      if (!s.startsWith(text, at)) continue
      // the string, then exactly `}}` and the end
      if (!this.str.read(s, at + text.length)) return false
      const end = this.str.end
      if (end + 2 !== s.length || s.charCodeAt(end) !== 125 || s.charCodeAt(end + 1) !== 125) return false
      this.index = index
      this.type = type
      this.value = this.str.value
      this.quoted = this.str.quoted
      return true
    }
    return false
  }
}
