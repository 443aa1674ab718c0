// The Chat chunk almost every stream is made of, read without JSON.parse: one choice, index 0,
// whose delta holds only text, not finished, no usage, no error. As OpenAI, vLLM, Ollama and
// DeepSeek write it (compact JSON):
//   {…id, object, created, model…,"choices":[{"index":0,"delta":{"content":" tok"}
//     ,"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"…"}
// The members before `choices` must be flat (no nested object) and hold no `error`;
// every byte from `choices` on is matched. Anything else answers false and goes to JSON.parse:
// tool calls, a finish, usage, logprobs, Azure's content filter results, spaced JSON.
import { StringAt } from '../json-scan'

const CHOICES = '"choices":[{"index":0,"delta":{'
/** members a text delta may hold besides its text (role: Ollama repeats it on every chunk) */
const QUIET = ['"role":"assistant"', '"content":null', '"reasoning_content":null', '"refusal":null']
const CHOICE_TAILS = ['"logprobs":null,"finish_reason":null}]', '"finish_reason":null}]', '"finish_reason":null,"logprobs":null}]']
const NULL_MEMBERS = ['"usage":null', '"system_fingerprint":null']
/** top-level string members that may follow the choices */
const STRING_MEMBERS = ['"obfuscation":"', '"system_fingerprint":"']

export class DeltaChunkReader {
  /** after read() answered true: the delta's text and reasoning text ('' when absent) */
  content = ''
  reasoning = ''
  /** their JSON literals as the chunk has them */
  contentQuoted = ''
  reasoningQuoted = ''
  private readonly str = new StringAt()

  read(s: string): boolean {
    const c = s.indexOf(CHOICES)
    // the first `{` after the root's is the choice's: no nested object before it
    if (c < 1 || s.charCodeAt(0) !== 123 || s.indexOf('{', 1) !== c + 11) return false
    // (a usage object there would be a nested object; a scalar `error` would still be an error)
    const e = s.indexOf('"error"')
    if (e !== -1 && e < c) return false
    this.content = ''
    this.reasoning = ''
    let at = this.delta(s, c + CHOICES.length)
    if (at < 0 || s.charCodeAt(at) !== 44) return false
    at = this.oneOf(s, at + 1, CHOICE_TAILS)
    return at >= 0 && this.tail(s, at)
  }

  /** delta members up to and past its `}`: the index after it, or -1 */
  private delta(s: string, at: number): number {
    for (;;) {
      if (s.startsWith('"content":"', at)) {
        if (!this.str.read(s, at + 11)) return -1
        this.content = this.str.value
        this.contentQuoted = this.str.quoted
        at = this.str.end
      } else if (s.startsWith('"reasoning_content":"', at)) {
        if (!this.str.read(s, at + 21)) return -1
        this.reasoning = this.str.value
        this.reasoningQuoted = this.str.quoted
        at = this.str.end
      } else {
        at = this.oneOf(s, at, QUIET)
        if (at < 0) return -1
      }
      const next = s.charCodeAt(at)
      if (next === 125) return at + 1
      if (next !== 44) return -1
      at++
    }
  }

  /** the top-level members after the choices, then the end of the text */
  private tail(s: string, at: number): boolean {
    for (;;) {
      const c = s.charCodeAt(at)
      if (c === 125) return at + 1 === s.length
      if (c !== 44) return false
      at++
      const nul = this.oneOf(s, at, NULL_MEMBERS)
      if (nul >= 0) {
        at = nul
        continue
      }
      const key = this.oneOf(s, at, STRING_MEMBERS)
      if (key < 0 || !this.str.read(s, key)) return false
      at = this.str.end
    }
  }

  /** the index after whichever of `words` is at `at`, or -1 */
  private oneOf(s: string, at: number, words: readonly string[]): number {
    for (let i = 0; i < words.length; i++) if (s.startsWith(words[i]!, at)) return at + words[i]!.length
    return -1
  }
}
