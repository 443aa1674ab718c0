// The ConverseStream event almost every stream is made of, read without JSON.parse:
//   {"contentBlockIndex":N,"delta":{"text":"…"}}            (also reasoningContent.text, toolUse.input)
// optionally followed by Bedrock's random padding member `,"p":"abc…"` before the closing brace
// (any string without quotes or escapes).
// Matched byte for byte as Bedrock writes it; anything else answers false and goes to JSON.parse.
import { StringAt } from '../json-scan'

export const TEXT_DELTA = 1
export const REASONING_DELTA = 2
export const TOOL_DELTA = 3

const HEAD = '{"contentBlockIndex":'
/** after the index: the member path up to the string's opening quote, and the braces closing it */
const KINDS: Array<[kind: number, head: string, close: number]> = [
  [TEXT_DELTA, ',"delta":{"text":"', 1],
  [REASONING_DELTA, ',"delta":{"reasoningContent":{"text":"', 2],
  [TOOL_DELTA, ',"delta":{"toolUse":{"input":"', 2],
]
const PAD = ',"p":"'

export class DeltaEventReader {
  index = 0
  kind = TEXT_DELTA
  value = ''
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
    for (let k = 0; k < KINDS.length; k++) {
      const [kind, head, close] = KINDS[k]
      if (!s.startsWith(head, at)) continue
      if (!this.str.read(s, at + head.length)) return false
      let end = this.str.end
      for (let i = 0; i < close; i++) if (s.charCodeAt(end++) !== 125 /* } */) return false
      if (!closes(s, end)) return false
      this.index = index
      this.kind = kind
      this.value = this.str.value
      this.quoted = this.str.quoted
      return true
    }
    return false
  }
}

/** s[at…] is `}` at the end, or the padding member (no quote or escape in it) and `}` at the end */
function closes(s: string, at: number): boolean {
  const n = s.length
  if (at === n - 1) return s.charCodeAt(at) === 125
  if (!s.startsWith(PAD, at) || s.charCodeAt(n - 1) !== 125) return false
  const from = at + PAD.length
  return s.indexOf('"', from) === n - 2 && s.indexOf('\\', from) === -1
}
