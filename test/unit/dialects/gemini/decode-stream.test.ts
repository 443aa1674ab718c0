import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { assertWellFormed, blockTexts, chunk, decodeAll, fixtureFrames, STREAM_FIXTURES } from './helpers'

const types = (events: CanonEvent[]) => events.map((e) => e.type)
const of = <T extends CanonEvent['type']>(events: CanonEvent[], type: T) => events.filter((e): e is Extract<CanonEvent, { type: T }> => e.type === type)

describe('decodeStream: recorded fixtures', () => {
  for (const name of STREAM_FIXTURES)
    test(`${name} is well formed and complete`, () => {
      const events = decodeAll(fixtureFrames(name))
      assertWellFormed(events)
      expect(of(events, 'finish')).toHaveLength(1)
      expect(of(events, 'error')).toHaveLength(0)
    })

  test('text with a trailing signature: one text block, then a signature-only gemini reasoning block', () => {
    const events = decodeAll(fixtureFrames('text-thought-signature.chunks.txt'))
    expect(events[0]).toEqual({ type: 'start', id: 'bH6LaZW8Fp_3nsEPqtaSwQ4', model: 'gemini-3-pro-preview', usage: { inputTokens: 9, outputTokens: 190, reasoningTokens: 185 } })
    const starts = of(events, 'block_start')
    expect(starts.map((s) => s.block)).toEqual([{ kind: 'text' }, { kind: 'reasoning', origin: 'gemini' }])
    expect(blockTexts(events)[0]).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y')
    const sig = of(events, 'reasoning_signature')
    expect(sig).toHaveLength(1)
    expect(sig[0].index).toBe(1)
    expect(sig[0].signature).toStartWith('EqsFCqgFAb4+9vvt')
    expect(of(events, 'finish')[0].finish).toBe('stop')
    // running totals: the last one wins, the repeated identical total is not re-sent
    const usage = of(events, 'usage')
    expect(usage).toHaveLength(1)
    expect(usage[0].usage).toEqual({ inputTokens: 9, outputTokens: 208, reasoningTokens: 185 })
  })

  test('tool call (no id, signature, STOP on an empty-text chunk): tool_calls finish, no text block, the signature on the call', () => {
    const frames = fixtureFrames('tool-call.chunks.txt')
    const signature = JSON.parse(frames[0]!.data).candidates[0].content.parts[0].thoughtSignature
    expect(signature).toStartWith('EqUCCqIC')
    const events = decodeAll(frames)
    expect(events.slice(1, 4)).toEqual([
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_b36LacjwM668nsEP2tbsgQQ_0', name: 'weather', signature } },
      { type: 'tool_args_delta', index: 0, json: '{"location":"San Francisco"}' },
      { type: 'block_stop', index: 0 },
    ])
    expect(of(events, 'block_start')).toHaveLength(1)
    expect(of(events, 'finish')[0].finish).toBe('tool_calls')
    expect(types(events).slice(-2)).toEqual(['finish', 'end'])
  })

  test('Vertex streamed arguments: two calls assembled from partialArgs; trafficType-only usage ignored', () => {
    const frames = fixtureFrames('vertex-stream-args-parallel.chunks.txt')
    const signature = JSON.parse(frames[0]!.data).candidates[0].content.parts[0].thoughtSignature
    const events = decodeAll(frames)
    const starts = of(events, 'block_start')
    expect(starts.map((s) => s.block)).toEqual([
      // Gemini signs the first call of a step only
      { kind: 'tool_call', id: 'call_dqHOab6xGLzWodAPkPuViA4_0', name: 'getWeather', signature },
      { kind: 'tool_call', id: 'call_dqHOab6xGLzWodAPkPuViA4_1', name: 'getWeather' },
    ])
    expect(blockTexts(events)).toEqual({ 0: '{"location":"Boston"}', 1: '{"location":"San Francisco"}' })
    expect(of(events, 'tool_args_delta')).toHaveLength(2)
    expect(events[0]).toEqual({ type: 'start', id: 'dqHOab6xGLzWodAPkPuViA4', model: 'gemini-3.1-pro-preview' })
    expect(of(events, 'usage').map((u) => u.usage)).toEqual([{ inputTokens: 26, outputTokens: 155, reasoningTokens: 132 }])
    expect(of(events, 'finish')[0].finish).toBe('tool_calls')
  })

  test('Vertex thought then four calls (one without args)', () => {
    const events = decodeAll(fixtureFrames('vertex-thought-parallel-calls.chunks.txt'))
    const starts = of(events, 'block_start')
    expect(starts.map((s) => (s.block.kind === 'tool_call' ? s.block.name : s.block.kind))).toEqual(['reasoning', 'read_theme', 'read_screen', 'read_screen', 'read_screen'])
    expect(blockTexts(events)).toMatchObject({ 1: '{}', 2: '{"id":"A"}', 3: '{"id":"B"}', 4: '{"id":"C"}' })
    expect(blockTexts(events)[0]).toStartWith('**Processing User Requests**')
    expect(starts[0].block).toEqual({ kind: 'reasoning', origin: 'gemini' })
    // the first call's signature cannot ride on a canonical tool block: it is not misplaced on the thought
    expect(of(events, 'reasoning_signature')).toHaveLength(0)
    expect(of(events, 'usage').at(-1)?.usage).toEqual({ inputTokens: 249, outputTokens: 241, reasoningTokens: 183 })
  })
})

describe('decodeStream: hand-made streams', () => {
  test('reasoning, then text, then a tool call: blocks in order, kinds never mixed', () => {
    const events = decodeAll([
      chunk([{ text: 'Let me ', thought: true }]),
      chunk([{ text: 'think.', thought: true, thoughtSignature: 'sigT' }]),
      chunk([{ text: 'Calling ' }, { text: 'now.' }]),
      chunk([{ functionCall: { id: 'fc1', name: 'f', args: { a: 1 } }, thoughtSignature: 'sigF' }]),
      chunk([{ text: '' }], { finishReason: 'STOP', usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, thoughtsTokenCount: 7, cachedContentTokenCount: 4, toolUsePromptTokenCount: 2 } }),
    ])
    assertWellFormed(events)
    expect(events.filter((e) => e.type !== 'start')).toEqual([
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'gemini' } },
      { type: 'reasoning_delta', index: 0, text: 'Let me ' },
      { type: 'reasoning_delta', index: 0, text: 'think.' },
      { type: 'reasoning_signature', index: 0, signature: 'sigT' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Calling ' },
      { type: 'text_delta', index: 1, text: 'now.' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'fc1', name: 'f', signature: 'sigF' } },
      { type: 'tool_args_delta', index: 2, json: '{"a":1}' },
      { type: 'block_stop', index: 2 },
      { type: 'usage', usage: { inputTokens: 12, cacheReadTokens: 4, outputTokens: 12, reasoningTokens: 7 } },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
  })

  test('parallel calls in one chunk get distinct synthesized ids in order', () => {
    const events = decodeAll([chunk([{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b', args: { x: 'y' } } }], { finishReason: 'STOP' })])
    assertWellFormed(events)
    expect(of(events, 'block_start').map((s) => s.block)).toEqual([
      { kind: 'tool_call', id: 'call_resp1_0', name: 'a' },
      { kind: 'tool_call', id: 'call_resp1_1', name: 'b' },
    ])
    expect(blockTexts(events)).toEqual({ 0: '{}', 1: '{"x":"y"}' })
  })

  test('text after a tool call opens a new text block', () => {
    const events = decodeAll([chunk([{ text: 'a' }, { functionCall: { name: 'f', args: {} } }, { text: 'b' }], { finishReason: 'STOP' })])
    assertWellFormed(events)
    expect(of(events, 'block_start').map((s) => s.block.kind)).toEqual(['text', 'tool_call', 'text'])
  })

  test('finish reasons', () => {
    const fin = (reason: string) => of(decodeAll([chunk([{ text: 'x' }], { finishReason: reason })]), 'finish')[0].finish
    expect(fin('STOP')).toBe('stop')
    expect(fin('MAX_TOKENS')).toBe('length')
    expect(fin('SAFETY')).toBe('content_filter')
    expect(fin('RECITATION')).toBe('content_filter')
    expect(fin('PROHIBITED_CONTENT')).toBe('content_filter')
    expect(fin('MALFORMED_FUNCTION_CALL')).toBe('error')
    expect(fin('SOMETHING_NEW')).toBe('stop')
  })

  test('a SAFETY finish without content, and a blocked prompt without candidates', () => {
    const safety = decodeAll([{ data: JSON.stringify({ candidates: [{ finishReason: 'SAFETY', index: 0 }], responseId: 'r' }) }])
    assertWellFormed(safety)
    expect(types(safety)).toEqual(['start', 'finish', 'end'])
    const blocked = decodeAll([{ data: JSON.stringify({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 3 } }) }])
    assertWellFormed(blocked)
    expect(of(blocked, 'finish')[0].finish).toBe('content_filter')
    expect(of(blocked, 'error')).toHaveLength(0)
  })

  test('usage only when a count changes; missing counts never erase known ones', () => {
    const events = decodeAll([
      chunk([{ text: 'a' }], { usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } }),
      chunk([{ text: 'b' }], { usageMetadata: { trafficType: 'ON_DEMAND' } }),
      chunk([{ text: 'c' }], { usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1 } }),
      chunk([{ text: '' }], { finishReason: 'STOP', usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3 } }),
    ])
    expect(events[0]).toMatchObject({ usage: { inputTokens: 5, outputTokens: 1 } })
    expect(of(events, 'usage').map((u) => u.usage)).toEqual([{ inputTokens: 5, outputTokens: 3 }])
    // usage comes before the finish of its chunk
    expect(types(events).slice(-4)).toEqual(['usage', 'block_stop', 'finish', 'end'])
  })

  test('usage after the finish chunk is still forwarded', () => {
    const events = decodeAll([chunk([{ text: 'a' }], { finishReason: 'STOP' }), { data: JSON.stringify({ usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 1 } }) }])
    assertWellFormed(events)
    expect(types(events).slice(-3)).toEqual(['finish', 'usage', 'end'])
  })

  test('mid-stream error chunk → canonical error with the upstream status, then end', () => {
    const events = decodeAll([chunk([{ text: 'partial' }]), { data: '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}' }, chunk([{ text: 'ignored' }])])
    assertWellFormed(events)
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', status: 503, kind: 'overloaded', message: 'The model is overloaded.' },
      { type: 'end' },
    ])
  })

  test('an error chunk without a code takes its status from the status name', () => {
    const events = decodeAll([{ data: '{"error":{"message":"quota","status":"RESOURCE_EXHAUSTED"}}' }])
    expect(events).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'error', status: 429, kind: 'rate_limit', message: 'quota' },
      { type: 'end' },
    ])
  })

  test('dropped stream (no finishReason): blocks closed, then the canonical error, end once', () => {
    const events = decodeAll([chunk([{ text: 'Hel' }]), chunk([{ text: 'lo' }])])
    assertWellFormed(events)
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' },
      { type: 'end' },
    ])
  })

  test('dropped mid Vertex call: the args so far are flushed and the block closed', () => {
    const events = decodeAll([chunk([{ functionCall: { name: 'f', willContinue: true } }]), chunk([{ functionCall: { partialArgs: [{ jsonPath: '$.q', stringValue: 'ab', willContinue: true }], willContinue: true } }])])
    assertWellFormed(events)
    expect(blockTexts(events)).toEqual({ 0: '{"q":"ab"}' })
    expect(of(events, 'error')[0].message).toBe('upstream stream ended before completion')
  })

  test('empty input: start, error, end', () => {
    expect(types(decodeAll([]))).toEqual(['start', 'error', 'end'])
  })

  test('invalid JSON → error 502 then end; nothing after', () => {
    const events = decodeAll([chunk([{ text: 'a' }]), { data: '{"candidates":[' }, chunk([{ text: 'b' }])])
    assertWellFormed(events)
    const err = of(events, 'error')[0]
    expect(err.status).toBe(502)
    expect(err.message).toContain('invalid JSON')
    expect(blockTexts(events)).toEqual({ 0: 'a' })
  })

  test('unknown parts, unknown fields, empty data and non-object chunks are skipped', () => {
    const events = decodeAll([
      { data: '' },
      { data: '[]' },
      chunk([{ executableCode: { code: 'print(1)' } }, { text: 'ok', somethingNew: true }, {}], {}),
      { data: JSON.stringify({ candidates: [{ index: 1, content: { parts: [{ text: 'other candidate' }] } }] }) },
      chunk([{ text: '' }], { finishReason: 'STOP' }),
    ])
    assertWellFormed(events)
    expect(blockTexts(events)).toEqual({ 0: 'ok' })
  })

  test('a lone signature part with nothing open becomes a signature-only reasoning block', () => {
    const events = decodeAll([chunk([{ functionCall: { name: 'f', args: {} } }]), chunk([{ text: '', thoughtSignature: 'S' }], { finishReason: 'STOP' })])
    assertWellFormed(events)
    expect(of(events, 'block_start').map((s) => s.block.kind)).toEqual(['tool_call', 'reasoning'])
    expect(of(events, 'reasoning_signature')[0]).toEqual({ type: 'reasoning_signature', index: 1, signature: 'S' })
  })

  test('partialArgs with nested paths, numbers, booleans and nulls', () => {
    const events = decodeAll([
      chunk([{ functionCall: { name: 'f', willContinue: true } }]),
      chunk([
        {
          functionCall: {
            partialArgs: [
              { jsonPath: '$.a.b', numberValue: 2 },
              { jsonPath: '$.list[0]', stringValue: 'x' },
              { jsonPath: "$['odd key']", boolValue: true },
              { jsonPath: '$.n', nullValue: 'NULL_VALUE' },
              { jsonPath: '$.__proto__.polluted', stringValue: 'no' },
              { jsonPath: 'bad', stringValue: 'skipped' },
            ],
            willContinue: true,
          },
        },
      ]),
      chunk([{ functionCall: {} }], { finishReason: 'STOP' }),
    ])
    assertWellFormed(events)
    expect(JSON.parse(blockTexts(events)[0])).toEqual({ a: { b: 2 }, list: ['x'], 'odd key': true, n: null })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
