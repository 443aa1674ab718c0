import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { foldEvents } from '../../../../src/canonical/fold-events'
import { assertWellFormed, blockTexts, decodeAll, fixtureFrames, frame } from './helpers'

const msgStart = (usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 }) =>
  frame({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, stop_sequence: null, usage } })
const blockStart = (index: number, content_block: Record<string, unknown>) => frame({ type: 'content_block_start', index, content_block })
const delta = (index: number, d: Record<string, unknown>) => frame({ type: 'content_block_delta', index, delta: d })
const blockStop = (index: number) => frame({ type: 'content_block_stop', index })
const msgDelta = (stop_reason: string | null, usage: Record<string, unknown> = { output_tokens: 5 }, stop_sequence: string | null = null) =>
  frame({ type: 'message_delta', delta: { stop_reason, stop_sequence }, usage })
const msgStop = frame({ type: 'message_stop' })

describe('decodeStream: recorded fixtures', () => {
  test('text.chunks.txt (no event: lines): exact event sequence and usage', () => {
    const events = decodeAll(fixtureFrames('text.chunks.txt'))
    assertWellFormed(events)
    expect(events[0]).toEqual({ type: 'start', id: 'msg_01QC4g3HwBThD4BaNtBckFDJ', model: 'claude-sonnet-4-5-20250929', usage: { inputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1 } })
    expect(events.slice(1, 3)).toEqual([
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'Hello' },
    ])
    expect(blockTexts(events)[0]).toBe("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?")
    expect(events.slice(-4)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 12, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 30 } },
      { type: 'finish', finish: 'stop' },
      { type: 'end' },
    ])
  })

  test('text-basic.sse (raw bytes, ping with a space, old usage shape)', () => {
    const events = decodeAll(fixtureFrames('text-basic.sse'))
    assertWellFormed(events)
    const r = foldEvents(events)
    expect(r.parts).toEqual([{ type: 'text', text: 'Hello there!' }])
    expect(r.finish).toBe('stop')
    expect(r.usage.inputTokens).toBe(11)
    expect(events.some((e) => e.type === 'error')).toBe(false)
  })

  test('thinking-signature-text: reasoning + signature, empty thinking_delta dropped, then text', () => {
    const events = decodeAll(fixtureFrames('thinking-signature-text.chunks.txt', true))
    assertWellFormed(events)
    expect(events[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } })
    expect(events.some((e) => e.type === 'reasoning_delta' && e.text === '')).toBe(false)
    const sig = events.find((e) => e.type === 'reasoning_signature')
    expect(sig).toMatchObject({ index: 0, signature: expect.stringMatching(/^EvQBCkYICxgC/) })
    const r = foldEvents(events)
    expect(r.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    expect(r.parts[0]).toMatchObject({ type: 'reasoning', text: 'The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185', origin: 'anthropic' })
    expect(r.parts[1]).toEqual({ type: 'text', text: '925 ÷ 5 = 185' })
    expect(r.usage).toEqual({ inputTokens: 69, outputTokens: 53, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  test('tool-use-only: empty first input_json_delta skipped, ping between deltas, tool_calls', () => {
    const events = decodeAll(fixtureFrames('tool-use-only.chunks.txt'))
    assertWellFormed(events)
    expect(events[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'toolu_01KFbKqPYSuAKujiL6mTfzYA', name: 'json' } })
    expect(events.filter((e) => e.type === 'tool_args_delta').length).toBe(2)
    const r = foldEvents(events)
    expect(r.finish).toBe('tool_calls')
    expect(JSON.parse((r.parts[0] as { argumentsJson: string }).argumentsJson)).toEqual({ elements: [{ location: 'San Francisco', temperature: 58, condition: 'sunny' }] })
  })

  test('text-then-tool-use-no-args: tool without arguments has no args delta (means {})', () => {
    const events = decodeAll(fixtureFrames('text-then-tool-use-no-args.chunks.txt'))
    assertWellFormed(events)
    const r = foldEvents(events)
    expect(r.parts).toEqual([
      { type: 'text', text: 'I\'ll update the issue list for you.' },
      { type: 'tool_call', id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', argumentsJson: '' },
    ])
    expect(r.finish).toBe('tool_calls')
  })

  test('text-then-tool-use.sse: raw SSE without a trailing blank line', () => {
    const events = decodeAll(fixtureFrames('text-then-tool-use.sse'))
    assertWellFormed(events)
    const r = foldEvents(events)
    expect(r.parts.map((p) => p.type)).toEqual(['text', 'tool_call'])
    expect(JSON.parse((r.parts[1] as { argumentsJson: string }).argumentsJson)).toEqual({ location: 'Paris' })
    expect(r.usage.outputTokens).toBe(65)
  })

  test('prompt-cache-server-tools: server blocks skipped, indexes remapped, cache usage summed', () => {
    const events = decodeAll(fixtureFrames('prompt-cache-server-tools.chunks.txt'))
    assertWellFormed(events)
    const starts = events.filter((e) => e.type === 'block_start')
    // upstream blocks 0-3 are server tool use/results: the text at upstream index 4 is canonical 0
    expect(starts).toEqual([{ type: 'block_start', index: 0, block: { kind: 'text' } }])
    expect(blockTexts(events)[0]).toBe('The sum of the squares of the numbers 1 through 12 is **650**.')
    expect(events[0]).toMatchObject({ usage: { inputTokens: 2 + 3068, cacheWriteTokens: 3068, cacheReadTokens: 0 } })
    const usage = events.filter((e) => e.type === 'usage').pop()
    expect(usage).toEqual({ type: 'usage', usage: { inputTokens: 6 + 3337 + 6289, cacheReadTokens: 6289, cacheWriteTokens: 3337, outputTokens: 198, reasoningTokens: 0 } })
    expect(foldEvents(events).finish).toBe('stop')
  })

  test('tool-use-multistep: server_tool_use between client tools; stops at the first message_stop', () => {
    const events = decodeAll(fixtureFrames('tool-use-multistep-tool-search.chunks.txt'))
    assertWellFormed(events)
    const starts = events.filter((e) => e.type === 'block_start').map((e) => (e as { block: { kind: string } }).block.kind)
    expect(starts).toEqual(['text', 'tool_call'])
    const r = foldEvents(events)
    expect(r.id).toBe('msg_01WUP4eZFC22KbkesuJGqVAw')
    expect(JSON.parse((r.parts[1] as { argumentsJson: string }).argumentsJson)).toEqual({ noteId: 'd10aa585-982b-4bd9-984e-420f9b3717f7' })
    expect(r.finish).toBe('tool_calls')
    expect(r.usage.outputTokens).toBe(177)
  })
})

describe('decodeStream: hand-made streams', () => {
  test('reasoning then text then tool, exact sequence', () => {
    const events = decodeAll([
      msgStart({ input_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20, output_tokens: 1 }),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'think' }),
      delta(0, { type: 'thinking_delta', thinking: '' }),
      delta(0, { type: 'signature_delta', signature: 'SIG' }),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'Hi' }),
      blockStop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }),
      delta(2, { type: 'input_json_delta', partial_json: '' }),
      delta(2, { type: 'input_json_delta', partial_json: '{"a":' }),
      delta(2, { type: 'input_json_delta', partial_json: '1}' }),
      blockStop(2),
      msgDelta('tool_use', { output_tokens: 42 }),
      msgStop,
    ])
    expect(events).toEqual([
      { type: 'start', id: 'msg_1', model: 'claude-x', usage: { inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 20, outputTokens: 1 } },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_delta', index: 0, text: 'think' },
      { type: 'reasoning_signature', index: 0, signature: 'SIG' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Hi' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'toolu_1', name: 'f' } },
      { type: 'tool_args_delta', index: 2, json: '{"a":' },
      { type: 'tool_args_delta', index: 2, json: '1}' },
      { type: 'block_stop', index: 2 },
      // cumulative: input side kept from message_start, not re-summed
      { type: 'usage', usage: { inputTokens: 125, cacheReadTokens: 100, cacheWriteTokens: 20, outputTokens: 42 } },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
  })

  test('empty text block never opened; canonical indexes stay contiguous', () => {
    const events = decodeAll([
      msgStart(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: '' }),
      blockStop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }),
      blockStop(1),
      msgDelta('tool_use'),
      msgStop,
    ])
    assertWellFormed(events)
    expect(events.filter((e) => e.type === 'block_start')).toEqual([{ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'toolu_1', name: 'f' } }])
  })

  test('signature-only thinking block (display omitted) and redacted_thinking', () => {
    const events = decodeAll([
      msgStart(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'signature_delta', signature: 'S1' }),
      blockStop(0),
      blockStart(1, { type: 'redacted_thinking', data: 'REDACTED' }),
      blockStop(1),
      msgDelta('end_turn'),
      msgStop,
    ])
    assertWellFormed(events)
    expect(foldEvents(events).parts).toEqual([
      { type: 'reasoning', text: '', signature: 'S1', origin: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'REDACTED', origin: 'anthropic' },
    ])
  })

  test('a thinking_delta sent to a text block is dropped (never lands in text)', () => {
    const events = decodeAll([msgStart(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'a' }), delta(0, { type: 'thinking_delta', thinking: 'x' }), blockStop(0), msgDelta('end_turn'), msgStop])
    assertWellFormed(events)
    expect(events.filter((e) => e.type === 'reasoning_delta')).toEqual([])
  })

  test('tool_use whose start already carries input and no deltas: input emitted once at stop', () => {
    const events = decodeAll([msgStart(), blockStart(0, { type: 'tool_use', id: 't', name: 'f', input: { q: 1 } }), blockStop(0), msgDelta('tool_use'), msgStop])
    expect(events.filter((e) => e.type === 'tool_args_delta')).toEqual([{ type: 'tool_args_delta', index: 0, json: '{"q":1}' }])
  })

  test('stop_sequence keeps the matched string; usage-only message_delta after it keeps finish once', () => {
    const events = decodeAll([
      msgStart(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'a' }),
      blockStop(0),
      msgDelta('stop_sequence', { output_tokens: 3 }, 'END'),
      msgDelta(null, { output_tokens: 4 }),
      msgStop,
    ])
    assertWellFormed(events)
    expect(events.filter((e) => e.type === 'finish')).toEqual([{ type: 'finish', finish: 'stop_sequence', stopSequence: 'END' }])
    expect(foldEvents(events).usage.outputTokens).toBe(4)
  })

  test('in-stream error event → canonical error, then end; nothing after', () => {
    const events = decodeAll([
      msgStart(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'par' }),
      frame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      delta(0, { type: 'text_delta', text: 'ignored' }),
    ])
    expect(events.slice(-4)).toEqual([
      { type: 'text_delta', index: 0, text: 'par' },
      { type: 'block_stop', index: 0 },
      { type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' },
      { type: 'end' },
    ])
  })

  test('invalid JSON data line → error 502 then end', () => {
    const events = decodeAll([msgStart(), { event: 'content_block_delta', data: '{"type":"content_block_delta",' }])
    expect(events.slice(-2)).toEqual([
      { type: 'error', status: 502, kind: 'api_error', message: expect.stringContaining('invalid JSON') },
      { type: 'end' },
    ])
    assertWellFormed(events)
  })

  test('dropped stream (no message_delta/message_stop): blocks closed, error 502, end', () => {
    const events = decodeAll([msgStart(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'half' })])
    expect(events.slice(-3)).toEqual([
      { type: 'block_stop', index: 0 },
      { type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' },
      { type: 'end' },
    ])
  })

  test('empty stream: start, error, end', () => {
    expect(decodeAll([])).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' },
      { type: 'end' },
    ])
  })

  test('message_delta with stop_reason but no message_stop counts as complete', () => {
    const events = decodeAll([msgStart(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'x' }), blockStop(0), msgDelta('max_tokens')])
    expect(events.slice(-2)).toEqual([{ type: 'finish', finish: 'length' }, { type: 'end' }])
  })

  test('unknown event types, unknown block and delta types, pings and keep-alives are skipped', () => {
    const events = decodeAll([
      msgStart(),
      { event: 'ping', data: '{"type": "ping"}' },
      frame({ type: 'brand_new_event', foo: 1 }),
      blockStart(0, { type: 'future_block', x: 1 }),
      delta(0, { type: 'text_delta', text: 'not mine' }),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'citations_delta', citation: {} }),
      delta(1, { type: 'text_delta', text: 'ok' }),
      blockStop(1),
      { data: '' },
      msgDelta('end_turn'),
      msgStop,
    ])
    assertWellFormed(events)
    expect(foldEvents(events).parts).toEqual([{ type: 'text', text: 'ok' }])
  })

  test('a second message_start before message_stop is ignored', () => {
    const events = decodeAll([msgStart(), msgStart(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'x' }), blockStop(0), msgDelta('end_turn'), msgStop])
    assertWellFormed(events)
  })

  test('pause_turn, refusal and context window map to canonical finishes', () => {
    const finishOf = (reason: string) =>
      (decodeAll([msgStart(), msgDelta(reason), msgStop]).find((e) => e.type === 'finish') as Extract<CanonEvent, { type: 'finish' }>).finish
    expect(finishOf('pause_turn')).toBe('pause')
    expect(finishOf('refusal')).toBe('refusal')
    expect(finishOf('model_context_window_exceeded')).toBe('context_overflow')
    expect(finishOf('end_turn')).toBe('stop')
  })
})
