// Shared test helpers for the gemini dialect: fixtures as frames, translators run over arrays.
import type { CanonEvent } from '../../../../src/canonical/event'
import { decodeStream } from '../../../../src/dialects/gemini/decode-stream'
import { encodeStream } from '../../../../src/dialects/gemini/encode-stream'
import { type SseFrame } from '../../../../src/framing/sse'
import * as fixtures from '../../../helpers/fixtures'
import { runAll, unquoted, sseText, testCtx } from '../../../helpers/translators'

export const readFixture = (name: string): string => fixtures.readFixture('gemini', name)
export const readJsonFixture = (name: string): Record<string, unknown> => fixtures.readJsonFixture('gemini', name)

/** `.chunks.txt`: the `data:` payloads of an alt=sse stream, one per line */
export const fixtureFrames = (name: string): SseFrame[] => fixtures.fixtureFrames('gemini', name, { events: false })

export const STREAM_FIXTURES = ['text-thought-signature.chunks.txt', 'reasoning-no-thoughts.chunks.txt', 'tool-call.chunks.txt', 'vertex-stream-args-parallel.chunks.txt', 'vertex-thought-parallel-calls.chunks.txt']

/** a chunk for candidate 0 */
export function chunk(parts: unknown[] | undefined, extra: { finishReason?: string; usageMetadata?: unknown } = {}): SseFrame {
  const cand: Record<string, unknown> = { index: 0 }
  if (parts) cand.content = { parts, role: 'model' }
  if (extra.finishReason) cand.finishReason = extra.finishReason
  const body: Record<string, unknown> = { candidates: [cand], modelVersion: 'gemini-test', responseId: 'resp1' }
  if (extra.usageMetadata) body.usageMetadata = extra.usageMetadata
  return { data: JSON.stringify(body) }
}

export const decodeAll = (frames: SseFrame[], callEnd = true): CanonEvent[] => unquoted(runAll(decodeStream(), frames, callEnd))

export { testCtx }

export const encodeAll = (events: CanonEvent[], ctx = testCtx()): SseFrame[] => runAll(encodeStream(ctx), events)

export { sseText }

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
      if (e.type === 'tool_args_delta' && kinds[e.index] !== 'tool_call') fail('args delta outside a tool block')
      if (e.type === 'text_delta') texts[e.index] = (texts[e.index] ?? '') + e.text
    } else if (e.type === 'finish') {
      if (open.size) fail('finish with open blocks')
      finished = true
    }
  }
  if (open.size) fail('blocks left open')
  for (const k in kinds) if (kinds[k] === 'text' && !texts[k]) fail(`empty text block ${k}`)
}

/**
 * The stream reader of @google/genai 2.32.0 as gemini.md describes it (not installed here):
 * split on blank lines, keep only events that START with `data:`, strip that one prefix, JSON-parse
 * (a trailing event without its blank line throws), throw when `error.code` is 400–599.
 */
export function genaiRead(body: string): Record<string, unknown>[] {
  if (body.length && !/(\n\n|\r\r|\r\n\r\n)$/.test(body)) throw new Error('Incomplete JSON segment at the end')
  const out: Record<string, unknown>[] = []
  for (const raw of body.split(/\n\n|\r\r|\r\n\r\n/)) {
    const ev = raw.trim()
    if (!ev.startsWith('data:')) continue
    const json = JSON.parse(ev.slice(5).trim()) as Record<string, unknown>
    const err = json.error as { code?: unknown; message?: string } | undefined
    if (err && typeof err.code === 'number' && err.code >= 400 && err.code < 600) throw new Error(`ApiError ${err.code}: ${err.message}`)
    out.push(json)
  }
  return out
}
