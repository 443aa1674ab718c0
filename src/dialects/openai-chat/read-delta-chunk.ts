// The Chat chunk almost every stream is made of, read without JSON.parse: one choice, index 0,
// whose delta holds only text, not finished, no usage, no error. As OpenAI, vLLM, Ollama and
// DeepSeek write it (compact JSON):
//   {…id, object, created, model…,"choices":[{"index":0,"delta":{"content":" tok"}
//     ,"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"…"}
// and as llama.cpp / LM Studio do: {"choices":[{"finish_reason":null,"index":0,"delta":{…}}],
// "created":…,"id":…}. The members before `choices` must be flat (no nested object) and hold no
// `error`; the choice is matched byte for byte; the members after it must be scalars (a non-null
// usage, an error or any object sends the chunk to JSON.parse). Anything else answers false and
// goes to JSON.parse: tool calls, a finish, usage, logprobs, Azure's content filter results,
// spaced JSON.
import { StringAt, stringEnd } from '../json-scan'

const CHOICES = '"choices":[{'
/** the choice's members before its delta: OpenAI's order, and llama.cpp's */
const HEAD_INDEX = '"index":0,"delta":{'
const HEAD_FINISH = '"finish_reason":null,"index":0,"delta":{'
/** members a text delta may hold besides its text (role: Ollama repeats it on every chunk) */
const QUIET = ['"role":"assistant"', '"content":null', '"reasoning_content":null', '"refusal":null']
const USAGE_NULL = '"usage":null'
const CHOICE_TAILS = ['"logprobs":null,"finish_reason":null}]', '"finish_reason":null}]', '"finish_reason":null,"logprobs":null}]']

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
    let at = c + CHOICES.length
    if (s.startsWith(HEAD_INDEX, at)) {
      at = this.delta(s, at + HEAD_INDEX.length)
      if (at < 0 || s.charCodeAt(at) !== 44) return false
      at = this.oneOf(s, at + 1, CHOICE_TAILS)
    } else if (s.startsWith(HEAD_FINISH, at)) {
      at = this.delta(s, at + HEAD_FINISH.length)
      if (at < 0 || !s.startsWith('}]', at)) return false
      at += 2
    } else return false
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

  /** the top-level members after the choices (scalars only; usage null; no error), then the end */
  private tail(s: string, at: number): boolean {
    for (;;) {
      const c = s.charCodeAt(at)
      if (c === 125) return at + 1 === s.length
      if (c !== 44 || s.charCodeAt(at + 1) !== 34) return false
      // OpenAI's own member first, in one compare
      if (s.startsWith(USAGE_NULL, at + 1)) {
        at += 1 + USAGE_NULL.length
        continue
      }
      // the key: no escapes, then a colon
      const start = at + 2
      const end = s.indexOf('"', start)
      if (end === -1 || s.charCodeAt(end + 1) !== 58) return false
      for (let i = start; i < end; i++) if (s.charCodeAt(i) === 92) return false
      const key = end - start
      at = end + 2
      if (key === 5 && s.startsWith('usage', start)) {
        if (!s.startsWith('null', at)) return false
        at += 4
        continue
      }
      if ((key === 5 && s.startsWith('error', start)) || (key === 7 && s.startsWith('choices', start))) return false
      at = scalarEnd(s, at)
      if (at < 0) return false
    }
  }

  /** the index after whichever of `words` is at `at`, or -1 */
  private oneOf(s: string, at: number, words: readonly string[]): number {
    for (let i = 0; i < words.length; i++) if (s.startsWith(words[i]!, at)) return at + words[i]!.length
    return -1
  }
}

/** past a string, number, true, false or null value at `at`; -1 for anything else (an object, an array) */
function scalarEnd(s: string, at: number): number {
  const c = s.charCodeAt(at)
  if (c === 34) {
    const q = stringEnd(s, at + 1)
    return q === -1 ? -1 : q + 1
  }
  if (s.startsWith('null', at)) return at + 4
  if (s.startsWith('true', at)) return at + 4
  if (s.startsWith('false', at)) return at + 5
  let i = at
  for (let d = s.charCodeAt(i); (d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69; d = s.charCodeAt(++i));
  return i > at ? i : -1
}
