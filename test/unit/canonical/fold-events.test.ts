import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../src/canonical/event'
import { EventFolder, foldEvents } from '../../../src/canonical/fold-events'
import { GatewayError } from '../../../src/errors'

describe('foldEvents', () => {
  test('interleaved reasoning, text and tool calls become parts in block order', () => {
    const events: CanonEvent[] = [
      { type: 'start', id: 'msg_1', model: 'claude-x', usage: { inputTokens: 10 } },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_delta', index: 0, text: 'Let me ' },
      { type: 'reasoning_delta', index: 0, text: 'think.' },
      { type: 'reasoning_signature', index: 0, signature: 'sig-abc' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Checking ' },
      // a tool call opens while the text block is still open (OpenAI Chat interleaves)
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'call_a', name: 'get_weather' } },
      { type: 'tool_args_delta', index: 2, json: '{"city":' },
      { type: 'text_delta', index: 1, text: 'the weather.' },
      { type: 'tool_args_delta', index: 2, json: '"Paris"}' },
      { type: 'block_start', index: 3, block: { kind: 'tool_call', id: 'call_b', name: 'apply_patch', custom: true } },
      { type: 'tool_args_delta', index: 3, json: '*** Begin Patch' },
      { type: 'block_stop', index: 1 },
      { type: 'block_stop', index: 2 },
      { type: 'block_stop', index: 3 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'usage', usage: { outputTokens: 42 } },
      { type: 'end' },
    ]
    expect(foldEvents(events)).toEqual({
      id: 'msg_1',
      model: 'claude-x',
      created: 0,
      parts: [
        { type: 'reasoning', text: 'Let me think.', origin: 'anthropic', signature: 'sig-abc' },
        { type: 'text', text: 'Checking the weather.' },
        { type: 'tool_call', id: 'call_a', name: 'get_weather', argumentsJson: '{"city":"Paris"}' },
        { type: 'tool_call', id: 'call_b', name: 'apply_patch', argumentsJson: '*** Begin Patch', custom: true },
      ],
      finish: 'tool_calls',
      usage: { inputTokens: 10, outputTokens: 42 },
    })
  })

  test('redacted and encrypted reasoning keep their opaque state', () => {
    const res = foldEvents([
      { type: 'start', id: 'r', model: 'm' },
      { type: 'block_start', index: 0, block: { kind: 'redacted_reasoning', data: 'b64data' } },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 1, text: 'summary' },
      { type: 'reasoning_encrypted', index: 1, encrypted: 'gAAA', itemId: 'rs_1' },
      { type: 'block_stop', index: 1 },
      { type: 'finish', finish: 'stop' },
      { type: 'end' },
    ])
    expect(res.parts).toEqual([
      { type: 'reasoning', text: '', redacted: 'b64data', origin: 'anthropic' },
      { type: 'reasoning', text: 'summary', origin: 'openai', encrypted: 'gAAA', itemId: 'rs_1' },
    ])
  })

  test('usage from start and several usage events merges per field, later wins', () => {
    const res = foldEvents([
      { type: 'start', id: 'x', model: 'm', usage: { inputTokens: 100, cacheReadTokens: 80 } },
      { type: 'usage', usage: { outputTokens: 5 } },
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'hi' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'stop' },
      { type: 'usage', usage: { outputTokens: 9, reasoningTokens: 4, cacheReadTokens: 90 } },
      { type: 'end' },
    ])
    expect(res.usage).toEqual({ inputTokens: 100, outputTokens: 9, cacheReadTokens: 90, reasoningTokens: 4 })
  })

  test('created, stop sequence and length finish are carried over', () => {
    const res = foldEvents(
      [
        { type: 'start', id: 'x', model: 'm' },
        { type: 'block_start', index: 0, block: { kind: 'text' } },
        { type: 'text_delta', index: 0, text: 'a' },
        { type: 'block_stop', index: 0 },
        { type: 'finish', finish: 'stop_sequence', stopSequence: 'END' },
        { type: 'end' },
      ],
      1_700_000_000,
    )
    expect(res.created).toBe(1_700_000_000)
    expect(res.finish).toBe('stop_sequence')
    expect(res.stopSequence).toBe('END')
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0 })
  })

  test('a stream cut before finish derives the reason from its content', () => {
    const cut = (withTool: boolean): CanonEvent[] => [
      { type: 'start', id: 'x', model: 'm' },
      withTool
        ? { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'c', name: 'f' } }
        : { type: 'block_start', index: 0, block: { kind: 'text' } },
      withTool ? { type: 'tool_args_delta', index: 0, json: '{}' } : { type: 'text_delta', index: 0, text: 'x' },
      { type: 'end' },
    ]
    expect(foldEvents(cut(true)).finish).toBe('tool_calls')
    expect(foldEvents(cut(false)).finish).toBe('stop')
  })

  test('an empty text block is not a part; deltas for unknown blocks are ignored', () => {
    const res = foldEvents([
      { type: 'start', id: 'x', model: 'm' },
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'block_stop', index: 0 },
      { type: 'text_delta', index: 7, text: 'stray' },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'c', name: 'f' } },
      { type: 'text_delta', index: 1, text: 'wrong kind' },
      { type: 'block_stop', index: 1 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
    expect(res.parts).toEqual([{ type: 'tool_call', id: 'c', name: 'f', argumentsJson: '' }])
  })
})

describe('EventFolder', () => {
  test('folds incrementally and accepts any iterable', () => {
    function* gen(): Generator<CanonEvent> {
      yield { type: 'start', id: 'g', model: 'm' }
      yield { type: 'block_start', index: 0, block: { kind: 'text' } }
      for (const w of ['a', 'b', 'c']) yield { type: 'text_delta', index: 0, text: w }
      yield { type: 'block_stop', index: 0 }
      yield { type: 'finish', finish: 'length' }
      yield { type: 'end' }
    }
    expect(foldEvents(gen()).parts).toEqual([{ type: 'text', text: 'abc' }])
    const folder = new EventFolder()
    for (const ev of gen()) folder.push(ev)
    expect(folder.result().finish).toBe('length')
  })

  test('an error event makes result() throw a GatewayError with its status, kind and message', () => {
    const folder = new EventFolder()
    folder.push({ type: 'start', id: 'e', model: 'm' })
    folder.push({ type: 'block_start', index: 0, block: { kind: 'text' } })
    folder.push({ type: 'text_delta', index: 0, text: 'partial' })
    folder.push({ type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' })
    folder.push({ type: 'end' })
    let caught: unknown
    try {
      folder.result()
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(GatewayError)
    const err = caught as GatewayError
    expect(err.status).toBe(529)
    expect(err.kind).toBe('overloaded')
    expect(err.message).toBe('Overloaded')
    expect(err.retryable).toBe(true)
  })
})
