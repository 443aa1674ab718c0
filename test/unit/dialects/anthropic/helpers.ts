// Shared test helpers for the anthropic dialect: fixtures as frames, translators run over arrays.
import Anthropic from '@anthropic-ai/sdk'
import type { CanonEvent } from '../../../../src/canonical/event'
import { decodeStream } from '../../../../src/dialects/anthropic/decode-stream'
import { encodeStream } from '../../../../src/dialects/anthropic/encode-stream'
import type { SseFrame } from '../../../../src/framing/sse'
import * as fixtures from '../../../helpers/fixtures'
import { runAll, unquoted, sseText, testCtx } from '../../../helpers/translators'

export const readFixture = (name: string): string => fixtures.readFixture('anthropic', name)
export const readJsonFixture = (name: string): Record<string, unknown> => fixtures.readJsonFixture('anthropic', name)

/**
 * `.sse` files are raw SSE; `.chunks.txt` are data payloads, one per line. Chunks get no `event:`
 * line unless `withEvents` (the decoder must dispatch on the JSON type either way).
 */
export const fixtureFrames = (name: string, withEvents = false): SseFrame[] => fixtures.fixtureFrames('anthropic', name, { events: withEvents })

/** an Anthropic event frame with its `event:` line */
export const frame = (o: { type: string } & Record<string, unknown>): SseFrame => ({ event: o.type, data: JSON.stringify(o) })

export const decodeAll = (frames: SseFrame[], callEnd = true): CanonEvent[] => unquoted(runAll(decodeStream(), frames, callEnd))

export { testCtx }

export const encodeAll = (events: CanonEvent[], ctx = testCtx()): SseFrame[] => runAll(encodeStream(ctx), events)

export { sseText }

export const payloads = (frames: SseFrame[]): Record<string, unknown>[] => frames.map((f) => JSON.parse(f.data) as Record<string, unknown>)

/** an Anthropic SDK client whose every request is answered with `body` */
export function sdkReturning(body: string, contentType = 'text/event-stream', status = 200): Anthropic {
  return new Anthropic({
    apiKey: 'test',
    baseURL: 'http://proxy.test',
    maxRetries: 0,
    fetch: async () => new Response(body, { status, headers: { 'content-type': contentType } }),
  })
}

/** what `client.messages.stream(…).finalMessage()` makes of these frames */
export function sdkFinalMessage(frames: SseFrame[]) {
  return sdkReturning(sseText(frames))
    .messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage()
}

/** text per canonical block, concatenated from the deltas */
export function blockTexts(events: CanonEvent[]): Record<number, string> {
  const out: Record<number, string> = {}
  for (const e of events) {
    if (e.type === 'text_delta' || e.type === 'reasoning_delta') out[e.index] = (out[e.index] ?? '') + e.text
    else if (e.type === 'tool_args_delta') out[e.index] = (out[e.index] ?? '') + e.json
  }
  return out
}

/** the canonical guarantees every decoder must keep (event.ts header) */
export function assertWellFormed(events: CanonEvent[]): void {
  const fail = (m: string) => {
    throw new Error(`${m}\n${JSON.stringify(events, null, 1)}`)
  }
  if (events[0]?.type !== 'start') fail('start is not first')
  if (events[events.length - 1]?.type !== 'end') fail('end is not last')
  if (events.filter((e) => e.type === 'start').length !== 1) fail('start not exactly once')
  if (events.filter((e) => e.type === 'end').length !== 1) fail('end not exactly once')
  if (events.filter((e) => e.type === 'finish').length > 1) fail('finish more than once')
  const open = new Set<number>()
  let next = 0
  let finished = false
  const texts: Record<number, string> = {}
  const kinds: Record<number, string> = {}
  for (const e of events) {
    if (e.type === 'block_start') {
      if (finished) fail('block after finish')
      if (e.index !== next++) fail(`block index ${e.index} not contiguous`)
      open.add(e.index)
      kinds[e.index] = e.block.kind
    } else if (e.type === 'block_stop') {
      if (!open.delete(e.index)) fail(`stop of a block not open: ${e.index}`)
    } else if (e.type === 'text_delta' || e.type === 'reasoning_delta' || e.type === 'tool_args_delta' || e.type === 'reasoning_signature') {
      if (!open.has(e.index)) fail(`delta for a block not open: ${e.index}`)
      if (e.type === 'text_delta' && kinds[e.index] !== 'text') fail('text delta outside a text block')
      if ((e.type === 'reasoning_delta' || e.type === 'reasoning_signature') && kinds[e.index] !== 'reasoning') fail('reasoning delta outside a reasoning block')
      if (e.type === 'text_delta') texts[e.index] = (texts[e.index] ?? '') + e.text
    } else if (e.type === 'finish') {
      if (open.size) fail('finish with open blocks')
      finished = true
    }
  }
  for (const k in kinds) if (kinds[k] === 'text' && !texts[k]) fail(`empty text block ${k}`)
}
