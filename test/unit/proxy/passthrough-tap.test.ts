// The pass-through tap forwards bytes untouched and reads usage and errors off whole events only.
// Whatever way the network splits the stream (every offset, many small reads, CRLF line ends),
// it must observe exactly what it observes when the stream arrives in one piece, and that must be
// the usage the recording reports.
import { describe, expect, test } from 'bun:test'
import { DIALECTS, dialectEntry } from '../../../src/dialects'
import type { DialectName } from '../../../src/dialects/dialect'
import { isUsageOnlyChunk } from '../../../src/dialects/openai-chat/stream-usage'
import { filteredPassthroughStream, passthroughStream } from '../../../src/proxy/passthrough-tap'
import type { StreamObservation } from '../../../src/proxy/translate-stream'

import { fixtureWire as wire } from '../../helpers/fixtures'

const enc = new TextEncoder()

function run(dialect: DialectName, pieces: Uint8Array[]): StreamObservation {
  const t = passthroughStream(dialectEntry(dialect)!)
  for (const p of pieces) expect(t.chunk(p)).toBe(p)
  t.end()
  return t.observed
}

function split(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const cuts = [0, ...at, bytes.length]
  return cuts.slice(1).map((c, i) => bytes.subarray(cuts[i], c))
}

const cases: Array<[DialectName, string, string, Partial<StreamObservation['usage']>]> = [
  ['openai-chat', 'openai-chat', 'text-usage-obfuscation.chunks.txt', { inputTokens: 16, outputTokens: 300 }],
  ['openai-chat', 'openai-chat', 'azure-content-filter-text.chunks.txt', { inputTokens: 15, outputTokens: 78, reasoningTokens: 64 }],
  ['anthropic', 'anthropic', 'text.chunks.txt', { inputTokens: 12 }],
  ['anthropic', 'anthropic', 'text-basic.sse', {}],
  ['anthropic', 'anthropic', 'thinking-signature-text.chunks.txt', {}],
  ['openai-responses', 'openai-responses', 'text-azure.chunks.txt', {}],
  ['openai-responses', 'openai-responses', 'error-insufficient-quota.chunks.txt', {}],
]

describe('pass-through tap', () => {
  for (const [dialect, dir, name, expected] of cases)
    test(`${dir}/${name}: same observation at every split, with LF and CRLF`, () => {
      const text = wire(dir, name)
      const whole = run(dialect, [enc.encode(text)])
      expect(whole.usage).toMatchObject(expected)
      if (name.startsWith('error')) expect(whole.error).toBeDefined()
      else expect(whole.usage.outputTokens).toBeGreaterThan(0)
      for (const variant of [text, text.replace(/\n/g, '\r\n')]) {
        const bytes = enc.encode(variant)
        // every offset of the small recordings, ~2,000 spread over the large one
        const step = Math.max(1, Math.floor(bytes.length / 2000))
        for (let at = 1; at < bytes.length; at += step) expect({ at, obs: run(dialect, split(bytes, [at])) }).toEqual({ at, obs: whole })
        // many small reads: every 1–9 bytes
        const cuts: number[] = []
        for (let at = 1, k = 0; at < bytes.length; at += 1 + (k++ % 9)) cuts.push(at)
        expect(run(dialect, split(bytes, cuts))).toEqual(whole)
      }
      // thousands of runs per recording: seconds alone, far more on a busy machine
    }, 60_000)

  test('a blank line split over two reads still ends the event', () => {
    const usage = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}'
    const text = `data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}\n\n${usage}\n`
    const obs = run('openai-chat', [enc.encode(text), enc.encode('\ndata: [DONE]\n\n')])
    expect(obs.usage).toMatchObject({ inputTokens: 3, outputTokens: 4 })
  })

  test('a final event without its blank line is read at the end', () => {
    const obs = run('anthropic', [enc.encode('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}')])
    expect(obs.usage.outputTokens).toBe(9)
  })
})

describe('pass-through with the proxy\'s own usage chunk hidden', () => {
  const chat = DIALECTS['openai-chat']
  const dec = new TextDecoder()
  function runFiltered(pieces: Uint8Array[]): { text: string; obs: StreamObservation } {
    const t = filteredPassthroughStream(chat, isUsageOnlyChunk)
    let text = ''
    for (const p of pieces) {
      const out = t.chunk(p)
      if (out) text += dec.decode(out)
    }
    const last = t.end()
    if (last) text += dec.decode(last)
    return { text, obs: t.observed }
  }

  test('every split of a recorded stream: the same events minus the usage chunk, usage observed, nothing half sent', () => {
    const text = wire('openai-chat', 'text-usage-obfuscation.chunks.txt')
    const events = text.split('\n\n').filter(Boolean)
    const usageEvent = events.find((e) => isUsageOnlyChunk(e.slice(6)))!
    expect(usageEvent).toBeDefined()
    const expected = text.replace(`${usageEvent}\n\n`, '')
    const bytes = enc.encode(text)
    const step = Math.max(1, Math.floor(bytes.length / 1500))
    for (let at = 1; at < bytes.length; at += step) {
      const t = filteredPassthroughStream(chat, isUsageOnlyChunk)
      const first = t.chunk(bytes.subarray(0, at))
      // what goes out before the rest arrives is whole events only
      if (first) expect(dec.decode(first).endsWith('\n\n')).toBe(true)
    }
    for (const cuts of [[], [1000], [text.length - 10]]) {
      const r = runFiltered(split(bytes, cuts))
      expect(r.text).toBe(expected)
      expect(r.obs.usage).toMatchObject({ inputTokens: 16, outputTokens: 300 })
    }
    const small: number[] = []
    for (let at = 1, k = 0; at < bytes.length; at += 1 + (k++ % 9)) small.push(at)
    expect(runFiltered(split(bytes, small)).text).toBe(expected)
  }, 60_000)

  test('CRLF streams are forwarded untouched, usage still observed', () => {
    const text = wire('openai-chat', 'text-usage-obfuscation.chunks.txt').replace(/\n/g, '\r\n')
    const r = runFiltered(split(enc.encode(text), [500, 5000]))
    expect(r.text).toBe(text)
    expect(r.obs.usage).toMatchObject({ inputTokens: 16, outputTokens: 300 })
  })

  test('a failure drops the event in progress and ends with the error frames', () => {
    const t = filteredPassthroughStream(chat, isUsageOnlyChunk)
    const out = t.chunk(enc.encode('data: {"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\ndata: {"id":"c","choi'))
    expect(dec.decode(out!)).toBe('data: {"id":"c","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n')
    const failed = dec.decode(t.fail({ status: 502, kind: 'api_error', message: 'cut' })!)
    expect(failed.startsWith('data: {"error"')).toBe(true)
  })
})
