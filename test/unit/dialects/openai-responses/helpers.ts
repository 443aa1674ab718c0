// Shared test helpers for the openai-responses dialect: fixtures as frames, translators run over arrays.
import OpenAI from 'openai'
import type { CanonEvent } from '../../../../src/canonical/event'
import type { CanonRequest } from '../../../../src/canonical/request'
import type { ResponseContext } from '../../../../src/dialects/dialect'
import { decodeStream } from '../../../../src/dialects/openai-responses/decode-stream'
import { encodeStream } from '../../../../src/dialects/openai-responses/encode-stream'
import { type SseFrame } from '../../../../src/framing/sse'
import * as fixtures from '../../../helpers/fixtures'
import { runAll, unquoted, sseText, testCtx as sharedCtx } from '../../../helpers/translators'

export const readFixture = (name: string): string => fixtures.readFixture('openai-responses', name)
export const readJsonFixture = (name: string): Record<string, unknown> => fixtures.readJsonFixture('openai-responses', name)

/** `.chunks.txt`: one data payload per line; the `event:` line (= type) is restored */
export const fixtureFrames = (name: string): SseFrame[] => fixtures.fixtureFrames('openai-responses', name)

/** the multi-step fixture holds several responses back to back: one frame list per response */
export function splitResponses(frames: SseFrame[]): SseFrame[][] {
  const out: SseFrame[][] = []
  for (const f of frames) {
    if (f.event === 'response.created') out.push([])
    out[out.length - 1].push(f)
  }
  return out
}

export const ev = (o: Record<string, unknown>): SseFrame => ({ event: String(o.type), data: JSON.stringify(o) })

export const decodeAll = (frames: SseFrame[], callEnd = true): CanonEvent[] => unquoted(runAll(decodeStream(), frames, callEnd))

export const testCtx = (request?: CanonRequest, model = 'client-model'): ResponseContext => sharedCtx(model, request)

export const encodeAll = (events: CanonEvent[], ctx = testCtx(), callEnd = true): SseFrame[] => runAll(encodeStream(ctx), events, callEnd)

export { sseText }

// parsed wire JSON, read deeply in assertions (a precise type per event would add nothing to a test)
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Payload = Record<string, any>

export const payloads = (frames: SseFrame[]): Payload[] => frames.map((f) => JSON.parse(f.data) as Payload)

export const types = (frames: SseFrame[]): string[] => payloads(frames).map((p) => p.type as string)

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

/** canonical events without their deltas: the structure of a stream */
export const skeleton = (events: CanonEvent[]): string[] =>
  events
    .filter((e) => e.type !== 'text_delta' && e.type !== 'reasoning_delta' && e.type !== 'tool_args_delta')
    .map((e) => (e.type === 'block_start' ? `block_start:${e.index}:${e.block.kind}` : 'index' in e ? `${e.type}:${e.index}` : e.type))
