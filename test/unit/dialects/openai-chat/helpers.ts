// Shared test helpers for the openai-chat dialect: fixtures as frames, translators run over arrays.
import OpenAI from 'openai'
import type { CanonEvent } from '../../../../src/canonical/event'
import { decodeStream } from '../../../../src/dialects/openai-chat/decode-stream'
import { encodeStream } from '../../../../src/dialects/openai-chat/encode-stream'
import type { SseFrame } from '../../../../src/framing/sse'
import * as fixtures from '../../../helpers/fixtures'
import { runAll, unquoted, sseText, testCtx } from '../../../helpers/translators'

export const readFixture = (name: string): string => fixtures.readFixture('openai-chat', name)

/** `.sse` files are raw SSE; `.chunks.txt` are data payloads, one per line (the [DONE] is re-added) */
export const fixtureFrames = (name: string): SseFrame[] => fixtures.fixtureFrames('openai-chat', name, { events: false })

export const chunk = (o: unknown): SseFrame => ({ data: JSON.stringify(o) })

/** a Chat chunk for choice 0 */
export const delta = (d: Record<string, unknown>, finish: string | null = null): SseFrame =>
  chunk({ id: 'chatcmpl-x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: d, finish_reason: finish }] })

export const DONE: SseFrame = { data: '[DONE]' }

export const decodeAll = (frames: SseFrame[], callEnd = true): CanonEvent[] => unquoted(runAll(decodeStream(), frames, callEnd))

export { testCtx }

export const encodeAll = (events: CanonEvent[], ctx = testCtx()): SseFrame[] => runAll(encodeStream(ctx), events)

export { sseText }

/** JSON payloads of the frames (the [DONE] sentinel left out) */
export const payloads = (frames: SseFrame[]): Record<string, unknown>[] =>
  frames.filter((f) => f.data !== '[DONE]').map((f) => JSON.parse(f.data) as Record<string, unknown>)

/** an openai SDK client whose every request is answered with `body` */
export function sdkReturning(body: string, contentType = 'text/event-stream', status = 200): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://proxy.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { status, headers: { 'content-type': contentType } }),
  })
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
