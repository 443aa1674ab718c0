// The chunk almost every Gemini stream is made of, read without JSON.parse: the candidate is
// matched byte for byte as Gemini and Vertex write it,
//   {"candidates":[{"content":{"parts":[{"text":"…"}],"role":"model"},"index":0}],
//    "usageMetadata":{…},"modelVersion":"…","responseId":"…"}
// (Vertex puts role first and has no index). The members after the candidates are only searched
// for an error or a prompt verdict; the running usage they carry is handed back as text, which the
// decoder parses only when it needs the counts (every chunk repeats them, the last one wins). A
// thought part, a signature, a function call, a finish or a second part or candidate answers
// false, and the decoder parses the chunk whole.
import { StringAt } from '../json-scan'

const HEAD = '{"candidates":[{"content":{'
const PARTS = '"parts":[{"text":"'
const ROLE = '"role":"model"'

export class TextChunkReader {
  /** after read() answered true: the text and its JSON literal */
  text = ''
  quoted = ''
  /** the members after the candidates as a JSON object text, when they hold usageMetadata */
  usageText: string | undefined
  private readonly str = new StringAt()

  read(s: string): boolean {
    if (!s.startsWith(HEAD, 0)) return false
    let at = HEAD.length
    const roleFirst = s.startsWith(ROLE, at)
    if (roleFirst) {
      at += ROLE.length
      if (s.charCodeAt(at++) !== 44) return false
    }
    if (!s.startsWith(PARTS, at) || !this.str.read(s, at + PARTS.length)) return false
    at = this.str.end
    // the part and its list end, then the content ends (after its role, unless that came first)
    const close = roleFirst ? '}]}' : `}],${ROLE}}`
    if (!s.startsWith(close, at)) return false
    at += close.length
    if (s.startsWith(',"index":0}]', at)) at += 12
    else if (s.startsWith('}]', at)) at += 2
    else return false
    let usageText: string | undefined
    const c = s.charCodeAt(at)
    if (c === 44) {
      if (s.charCodeAt(s.length - 1) !== 125) return false
      // an error or a prompt verdict beside the text: the decoder's full path decides
      if (s.indexOf('"error"', at) !== -1 || s.indexOf('"promptFeedback"', at) !== -1) return false
      if (s.indexOf('"usageMetadata"', at) !== -1) usageText = `{${s.slice(at + 1)}`
    } else if (c !== 125 || at + 1 !== s.length) return false
    this.text = this.str.value
    this.quoted = this.str.quoted
    this.usageText = usageText
    return true
  }
}
