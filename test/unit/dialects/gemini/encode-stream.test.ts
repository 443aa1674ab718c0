import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { decodeAll, encodeAll, fixtureFrames, genaiRead, sseText, STREAM_FIXTURES } from './helpers'

const S = (id = 'up1'): CanonEvent => ({ type: 'start', id, model: 'upstream', usage: { inputTokens: 7 } })

describe('encodeStream (front door)', () => {
  test('text, thought with gemini signature, tool call, final chunk with finish and usage', () => {
    const frames = encodeAll([
      S(),
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'gemini' } },
      { type: 'reasoning_delta', index: 0, text: 'think' },
      { type: 'reasoning_signature', index: 0, signature: 'SIG' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Hi "there"' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'call_1', name: 'f' } },
      { type: 'tool_args_delta', index: 2, json: '{"a":' },
      { type: 'tool_args_delta', index: 2, json: '1}' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 7, outputTokens: 9, reasoningTokens: 4 } },
      { type: 'end' },
    ])
    expect(frames.every((f) => f.event === undefined)).toBe(true)
    const chunks = genaiRead(sseText(frames))
    const parts = chunks.map((c: any) => c.candidates[0].content.parts)
    expect(parts).toEqual([
      [{ text: 'think', thought: true }],
      [{ text: '', thought: true, thoughtSignature: 'SIG' }],
      [{ text: 'Hi "there"' }],
      [{ functionCall: { id: 'call_1', name: 'f', args: { a: 1 } } }],
      [{ text: '' }],
    ])
    for (const c of chunks as any[]) {
      expect(c.candidates[0].content.role).toBe('model')
      expect(c.modelVersion).toBe('client-model')
      expect(c.responseId).toBe('up1')
    }
    const last = chunks.at(-1) as any
    expect(last.candidates[0].finishReason).toBe('STOP')
    expect(last.usageMetadata).toEqual({ promptTokenCount: 7, candidatesTokenCount: 5, totalTokenCount: 16, thoughtsTokenCount: 4 })
  })

  test('foreign signatures are not sent; interleaved tool calls each go out whole', () => {
    const chunks = genaiRead(
      sseText(
        encodeAll([
          S(''),
          { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
          { type: 'reasoning_signature', index: 0, signature: 'anthropic-sig' },
          { type: 'block_stop', index: 0 },
          { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'a', name: 'fa' } },
          { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'b', name: 'fb' } },
          { type: 'tool_args_delta', index: 2, json: '{"y":2}' },
          { type: 'tool_args_delta', index: 1, json: '{"x":1}' },
          { type: 'block_stop', index: 2 },
          { type: 'block_stop', index: 1 },
          { type: 'finish', finish: 'tool_calls' },
          { type: 'end' },
        ]),
      ),
    ) as any[]
    expect(chunks.map((c) => c.candidates[0].content.parts[0])).toEqual([{ functionCall: { id: 'b', name: 'fb', args: { y: 2 } } }, { functionCall: { id: 'a', name: 'fa', args: { x: 1 } } }, { text: '' }])
    expect(chunks[0].responseId).toBe('test1')
  })

  test('mid-stream error: the error chunk, nothing after; the SDK throws it', () => {
    const frames = encodeAll([
      S(),
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'par' },
      { type: 'error', status: 529, kind: 'overloaded', message: 'busy' },
      { type: 'end' },
    ])
    expect(frames.map((f) => f.data).at(-1)).toBe('{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}')
    expect(() => genaiRead(sseText(frames))).toThrow('ApiError 503: busy')
  })

  test('a stream that ends without finish or end still closes with a final chunk', () => {
    const frames = encodeAll([S(), { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'x', name: 'f' } }, { type: 'tool_args_delta', index: 0, json: '{"q"' }])
    const chunks = genaiRead(sseText(frames)) as any[]
    expect(chunks[0].candidates[0].content.parts[0]).toEqual({ functionCall: { id: 'x', name: 'f', args: {} } })
    expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP')
  })

  for (const name of STREAM_FIXTURES)
    test(`Gemini → Gemini: ${name} reads back with the same text, calls and finish`, () => {
      const chunks = genaiRead(sseText(encodeAll(decodeAll(fixtureFrames(name))))) as any[]
      const original = fixtureFrames(name).map((f) => JSON.parse(f.data))
      const text = (cs: any[]) =>
        cs
          .flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])
          .filter((p: any) => typeof p.text === 'string' && !p.thought)
          .map((p: any) => p.text)
          .join('')
      expect(text(chunks)).toBe(text(original))
      const calls = chunks.flatMap((c) => c.candidates[0].content.parts).filter((p: any) => p.functionCall)
      const names = original.flatMap((c: any) => c.candidates[0].content.parts).filter((p: any) => p.functionCall?.name)
      expect(calls.map((p: any) => p.functionCall.name)).toEqual(names.map((p: any) => p.functionCall.name))
      expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP')
      for (const c of chunks) expect(c.candidates[0].content.parts.length).toBeGreaterThan(0)
    })
})
