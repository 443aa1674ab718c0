// The byte-level pass-through tap (src/proxy/passthrough-tap.ts) against the string tap it
// replaced (test/helpers/passthrough-tap-reference.ts): over recordings of every SSE dialect and
// synthetic streams, cut at every offset, in tiny reads and one event per read, both must hand the
// client the same bytes (the very same arrays on the pass-through path), say `opened` and
// `openingError` at the same reads, and observe the same usage, finish, error and delivered output.
import { describe, expect, test } from 'bun:test'
import { dialectEntry } from '../../../src/dialects'
import type { DialectName } from '../../../src/dialects/dialect'
import { isUsageOnlyChunk } from '../../../src/dialects/openai-chat/stream-usage'
import { filteredPassthroughStream, passthroughStream } from '../../../src/proxy/passthrough-tap'
import type { OpeningTranslator } from '../../../src/proxy/translate-stream'
import { fixtureNames, fixtureWire } from '../../helpers/fixtures'
import { referenceFilteredPassthroughStream, referencePassthroughStream } from '../../helpers/passthrough-tap-reference'

const enc = new TextEncoder()

function split(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const cuts = [0, ...at, bytes.length]
  return cuts.slice(1).map((c, i) => bytes.subarray(cuts[i], c))
}

/** the ways a network splits a stream: whole, at `offsets` cut points, 1–9 byte reads, one event per read */
function chunkings(bytes: Uint8Array, offsets: number): Uint8Array[][] {
  const out: Uint8Array[][] = [[bytes]]
  const step = Math.max(1, Math.floor(bytes.length / offsets))
  for (let at = 1; at < bytes.length; at += step) out.push(split(bytes, [at]))
  const small: number[] = []
  for (let at = 1, k = 0; at < bytes.length; at += 1 + (k++ % 9)) small.push(at)
  out.push(split(bytes, small))
  const events: number[] = []
  for (let i = Buffer.from(bytes).indexOf('\n\n'); i !== -1 && i + 2 < bytes.length; i = Buffer.from(bytes).indexOf('\n\n', i + 2)) events.push(i + 2)
  out.push(split(bytes, events))
  return out
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => Buffer.from(a ?? []).equals(Buffer.from(b ?? []))

/** runs both taps over `pieces`, comparing at every step; `failAt` ends the stream with an upstream failure there */
function compare(dialect: DialectName, pieces: Uint8Array[], filtered: boolean, failAt?: number): void {
  const d = dialectEntry(dialect)!
  const ref: OpeningTranslator = filtered ? referenceFilteredPassthroughStream(d, isUsageOnlyChunk) : referencePassthroughStream(d)
  const now: OpeningTranslator = filtered ? filteredPassthroughStream(d, isUsageOnlyChunk) : passthroughStream(d)
  const state = (t: OpeningTranslator) => ({ opened: t.opened, openingError: t.openingError })
  // a CR stream is forwarded as it came by the byte tap, re-encoded per read by the string one
  // (a character split across reads went out with the next): the same bytes in all
  const crlf = pieces.some((p) => p.includes(13))
  const sent: Array<[Uint8Array | undefined, Uint8Array | undefined]> = []
  pieces.forEach((p, step) => {
    if (step === failAt) {
      const err = { status: 502, kind: 'api_error', message: 'cut' }
      expect(same(now.fail(err), ref.fail(err))).toBe(true)
      return
    }
    if (failAt !== undefined && step > failAt) return
    const a = ref.chunk(p)
    const b = now.chunk(p)
    if (!filtered) {
      expect(a).toBe(p)
      expect(b).toBe(p)
    } else if (crlf) sent.push([a, b])
    else {
      if (!same(a, b)) expect({ step, out: new TextDecoder().decode(b) }).toEqual({ step, out: new TextDecoder().decode(a) })
      // what the old tap re-encoded unchanged, the new one hands back as the same array
      if (a && same(a, p)) expect(b).toBe(p)
    }
    expect({ step, ...state(now) }).toEqual({ step, ...state(ref) })
  })
  const [endA, endB] = [ref.end(), now.end()]
  if (crlf) {
    sent.push([endA, endB])
    const all = (k: 0 | 1) => Buffer.concat(sent.map((x) => x[k] ?? new Uint8Array(0)))
    expect(all(1).toString()).toBe(all(0).toString())
  } else expect(same(endB, endA)).toBe(true)
  expect(state(now)).toEqual(state(ref))
  expect(now.observed).toEqual(ref.observed)
  // a stream without usage decodes its sample here
  expect(now.observed.delivered!.tokens()).toBe(ref.observed.delivered!.tokens())
  expect(now.observed).toEqual(ref.observed)
}

function compareAll(dialect: DialectName, text: string, offsets: number, filtered = false): void {
  for (const variant of [text, text.replace(/\n/g, '\r\n')]) {
    const bytes = enc.encode(variant)
    for (const pieces of chunkings(bytes, offsets)) {
      compare(dialect, pieces, filtered)
      if (pieces.length > 2) compare(dialect, pieces, filtered, pieces.length >> 1)
    }
  }
}

const SSE_DIALECTS: DialectName[] = ['openai-chat', 'anthropic', 'openai-responses', 'gemini']

describe('byte tap = string tap, recordings', () => {
  for (const dialect of SSE_DIALECTS)
    for (const name of fixtureNames(dialect).filter((n) => n.endsWith('.sse') || n.endsWith('.chunks.txt')))
      test(`${dialect}/${name}`, () => compareAll(dialect, fixtureWire(dialect, name), 150), 60_000)
})

const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":['
const chat = (delta: string, finish = 'null', usage = '"usage":null') => `data: ${head}{"index":0,"delta":${delta},"finish_reason":${finish}}],${usage}}\n\n`
const usageChunk = (sep = ':') => `data: ${head}],"usage"${sep}{"prompt_tokens":7,"completion_tokens":21,"total_tokens":28}}\n\n`
/** like bench/mock-wire.ts: `"usage":null` on every chunk, the real usage last */
function chatStream(n: number, o: { usage?: boolean; nullUsage?: string; words?: (i: number) => string } = {}): string {
  const words = o.words ?? ((i: number) => ` w${i}`)
  const nul = o.nullUsage ?? '"usage":null'
  let s = chat('{"role":"assistant","content":""}', 'null', nul)
  for (let i = 0; i < n; i++) s += chat(`{"content":${JSON.stringify(words(i))}}`, 'null', nul)
  s += chat('{}', '"stop"', nul)
  if (o.usage !== false) s += usageChunk()
  return `${s}data: [DONE]\n\n`
}

const synthetic: Array<[string, DialectName, string]> = [
  ['20 chunks, usage:null on each, usage last', 'openai-chat', chatStream(20)],
  ['"usage": null with spaces, "usage" : { with spaces', 'openai-chat', chatStream(5, { nullUsage: '"usage":  null' }).replace('"usage":{', '"usage" : {')],
  ['an error event first', 'openai-chat', `data: {"error":{"message":"overloaded","type":"server_error","code":null}}\n\n${chatStream(3)}`],
  ['an error mid-stream', 'openai-chat', chatStream(6, { usage: false }).replace('data: [DONE]', 'data: {"error":{"message":"boom","type":"server_error"}}\n\ndata: [DONE]')],
  ['Anthropic error first', 'anthropic', 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'],
  ['multi-byte characters everywhere', 'openai-chat', chatStream(12, { words: (i) => ['é', '🙂', '漢字', 'ü—', ' ok'][i % 5]! })],
  ['no blank line after the last event', 'openai-chat', chatStream(4).replace(/\n\n$/, '')],
  ['usage event without its blank line', 'anthropic', 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}'],
  ['ends without usage, under 32 events: the sample is decoded', 'openai-chat', chatStream(10, { usage: false })],
  ['ends without usage, past 32 events: the sample is scaled', 'openai-chat', chatStream(70, { usage: false, words: (i) => (i % 3 ? ` word${i}` : ' ünïcödé') })],
  ['pings and an event-only event before the first data', 'openai-chat', `: ping\n\nevent: hello\n\n${chatStream(3)}`],
  ['data: without a space', 'openai-chat', chatStream(3).replace(/data: /g, 'data:')],
  ['runs of blank lines between events', 'openai-chat', chatStream(4).replace(/\n\n/g, (_, at: number) => (at % 3 ? '\n\n\n' : '\n\n\n\n'))],
]

describe('byte tap = string tap, synthetic streams', () => {
  for (const [name, dialect, text] of synthetic) test(name, () => compareAll(dialect, text, 10_000), 60_000)

  test('usage split across two reads at every byte offset', () => {
    const text = chatStream(3)
    const at = text.indexOf('"usage":{')
    const bytes = enc.encode(text)
    for (let cut = at - 8; cut < at + 20; cut++) compare('openai-chat', split(bytes, [cut]), false)
  })
})

describe('filtered byte tap = filtered string tap (usage chunk hidden)', () => {
  for (const [name, , text] of synthetic.filter(([, d]) => d === 'openai-chat')) test(name, () => compareAll('openai-chat', text, 2_000, true), 60_000)
  for (const name of fixtureNames('openai-chat').filter((n) => n.endsWith('.sse') || n.endsWith('.chunks.txt')))
    test(`openai-chat/${name}`, () => compareAll('openai-chat', fixtureWire('openai-chat', name), 150, true), 60_000)
})
