// Shared by the dialect unit tests: run a stream translator over an array, a deterministic
// response context, and frames back to SSE text.
import type { CanonRequest } from '../../src/canonical/request'
import type { ResponseContext, StreamTranslator } from '../../src/dialects/dialect'
import { formatSse, type SseFrame } from '../../src/framing/sse'

/** every output of `t` for `inputs`, with its end() unless told otherwise */
export function runAll<I, O>(t: StreamTranslator<I, O>, inputs: readonly I[], callEnd = true): O[] {
  const out: O[] = []
  const emit = (o: O) => {
    // encoder frames go out through formatLine, which relies on one-line data
    const data = (o as { data?: unknown }).data
    if (typeof data === 'string' && /[\r\n]/.test(data)) throw new Error(`a frame's data spans lines: ${JSON.stringify(data)}`)
    out.push(o)
  }
  for (const x of inputs) t.push(x, emit)
  if (callEnd) t.end(emit)
  return out
}

/** ids `<prefix>test1`, `<prefix>test2`…, a fixed clock */
export function testCtx(model = 'client-model', request?: CanonRequest): ResponseContext {
  let n = 0
  return { model, newId: (prefix) => `${prefix}test${++n}`, now: () => 1700000000, ...(request ? { request } : {}) }
}

export const sseText = (frames: SseFrame[]): string => frames.map(formatSse).join('')
