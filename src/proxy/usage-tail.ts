// Usage of a non-streamed pass-through answer, read without keeping a full copy of a large body:
// every dialect puts its usage object near the end (`usage`, Gemini's `usageMetadata`). Small
// bodies are kept whole and parsed exactly; past FULL_COPY only the last TAIL bytes are kept and
// the last top-level-looking usage object in them is parsed on its own.
import type { CanonUsage } from '../canonical/usage'
import type { Dialect } from '../dialects/dialect'

const FULL_COPY = 1024 * 1024
const TAIL = 64 * 1024

export class UsageTail {
  private chunks: Uint8Array[] = []
  private kept = 0
  private total = 0

  push(chunk: Uint8Array): void {
    this.total += chunk.byteLength
    this.chunks.push(chunk)
    this.kept += chunk.byteLength
    if (this.total <= FULL_COPY) return
    // drop whole chunks from the front while the rest still covers the tail
    while (this.chunks.length > 1 && this.kept - this.chunks[0].byteLength >= TAIL) this.kept -= this.chunks.shift()!.byteLength
  }

  /** bytes held right now (for tests: bounded by FULL_COPY + one chunk) */
  get held(): number {
    return this.kept
  }

  usage(up: Dialect): CanonUsage | undefined {
    const text = new TextDecoder().decode(Buffer.concat(this.chunks))
    this.chunks = []
    try {
      if (this.total <= FULL_COPY) return up.decodeResponse(JSON.parse(text)).usage
      const found = lastUsageObject(text)
      if (!found) return undefined
      // a minimal body of the dialect's own shape around it (a Chat answer needs a choice)
      const body = { [found.key]: JSON.parse(found.json), choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'stop' }] }
      return up.decodeResponse(body).usage
    } catch {
      return undefined
    }
  }
}

/** the last `"usage":{…}` / `"usageMetadata":{…}` in `text` that is not inside a string */
export function lastUsageObject(text: string): { key: string; json: string } | undefined {
  for (const key of ['usageMetadata', 'usage']) {
    const needle = `"${key}":`
    for (let at = text.lastIndexOf(needle); at > 0; at = text.lastIndexOf(needle, at - 1)) {
      if (text.charCodeAt(at - 1) === 92 /* \ : inside a string */) continue
      let i = at + needle.length
      while (text.charCodeAt(i) === 32) i++
      if (text.charCodeAt(i) !== 123 /* { */) continue
      const end = objectEnd(text, i)
      if (end > 0) return { key, json: text.slice(i, end) }
    }
  }
  return undefined
}

/** the index after the object starting at `start`, or -1 when it does not close */
function objectEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92) i++
      else if (c === 34) inString = false
    } else if (c === 34) inString = true
    else if (c === 123 || c === 91) depth++
    else if (c === 125 || c === 93) {
      if (--depth === 0) return i + 1
    }
  }
  return -1
}
