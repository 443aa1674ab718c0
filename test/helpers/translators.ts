// Shared by the dialect unit tests: run a stream translator over an array, a deterministic
// response context, and frames back to SSE text.
import type { CanonEvent } from '../../src/canonical/event'
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

/**
 * Decoded events with their `quoted` hint checked and removed: a decoder may attach the JSON
 * literal it read a delta from, which must be exactly the text's JSON; tests compare the rest.
 */
export function unquoted(events: CanonEvent[]): CanonEvent[] {
  return events.map((ev) => {
    if (!('quoted' in ev) || ev.quoted === undefined) return ev
    const { quoted, ...rest } = ev
    const value = rest.type === 'tool_args_delta' ? rest.json : (rest as { text: string }).text
    if (JSON.parse(quoted) !== value) throw new Error(`quoted ${quoted} is not the JSON of ${JSON.stringify(value)}`)
    return rest as CanonEvent
  })
}

/** ids `<prefix>test1`, `<prefix>test2`…, a fixed clock */
export function testCtx(model = 'client-model', request?: CanonRequest): ResponseContext {
  let n = 0
  return { model, newId: (prefix) => `${prefix}test${++n}`, now: () => 1700000000, ...(request ? { request } : {}) }
}

export const sseText = (frames: SseFrame[]): string => frames.map(formatSse).join('')
