import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { foldEvents } from '../../../../src/canonical/fold-events'
import { blockTexts, decodeAll, ev, fixtureFrames, skeleton, splitResponses } from './helpers'

const created = ev({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', model: 'gpt-5', status: 'in_progress', output: [] } })
const completed = (extra: Record<string, unknown> = {}) =>
  ev({
    type: 'response.completed',
    response: {
      id: 'resp_1',
      status: 'completed',
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 3 }, total_tokens: 17 },
      ...extra,
    },
  })
const added = (i: number, item: Record<string, unknown>) => ev({ type: 'response.output_item.added', output_index: i, item })
const itemDone = (i: number, item: Record<string, unknown>) => ev({ type: 'response.output_item.done', output_index: i, item })
const textDelta = (i: number, delta: string) => ev({ type: 'response.output_text.delta', item_id: `msg_${i}`, output_index: i, content_index: 0, delta })
const argsDelta = (i: number, delta: string) => ev({ type: 'response.function_call_arguments.delta', item_id: `fc_${i}`, output_index: i, delta })

describe('decodeStream: recorded fixtures', () => {
  test('text (Azure): one text block, usage, stop', () => {
    const events = decodeAll(fixtureFrames('text-azure.chunks.txt'))
    expect(skeleton(events)).toEqual(['start', 'block_start:0:text', 'block_stop:0', 'usage', 'finish', 'end'])
    const start = events[0] as Extract<CanonEvent, { type: 'start' }>
    expect(start.id).toStartWith('resp_')
    expect(start.model).toBe('gpt-5.1')
    const res = foldEvents(events)
    expect(res.parts[0].type).toBe('text')
    expect(res.finish).toBe('stop')
    expect(res.usage.inputTokens).toBeGreaterThan(0)
    expect(res.usage.cacheReadTokens).toBe(0)
  })

  test('tool call (Azure): call_id as id, arguments from the deltas, tool_calls finish', () => {
    const events = decodeAll(fixtureFrames('tool-call-azure.chunks.txt'))
    expect(skeleton(events)).toEqual(['start', 'block_start:0:tool_call', 'block_stop:0', 'usage', 'finish', 'end'])
    const start = events[1] as Extract<CanonEvent, { type: 'block_start' }>
    expect(start.block).toEqual({ kind: 'tool_call', id: 'call_H5DxLSFnsGhiROnUiDHmgyc8', name: 'weather' })
    expect(JSON.parse(blockTexts(events)[0])).toEqual({ location: 'San Francisco' })
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', finish: 'tool_calls' })
  })

  test('reasoning summary + function call: encrypted state from output_item.done, never from .added', () => {
    const steps = splitResponses(fixtureFrames('reasoning-summary-function-calls-multistep.chunks.txt'))
    expect(steps.length).toBeGreaterThan(2)
    const events = decodeAll(steps[0])
    expect(skeleton(events)).toEqual([
      'start',
      'block_start:0:reasoning',
      'reasoning_encrypted:0',
      'block_stop:0',
      'block_start:1:tool_call',
      'block_stop:1',
      'usage',
      'finish',
      'end',
    ])
    const texts = blockTexts(events)
    expect(texts[0]).toStartWith('**Calculating step-by-step using calculator**')
    expect(JSON.parse(texts[1])).toEqual({ a: 12, b: 7, op: 'add' })
    const enc = events.find((e) => e.type === 'reasoning_encrypted') as Extract<CanonEvent, { type: 'reasoning_encrypted' }>
    const doneLine = steps[0].find((f) => f.event === 'response.output_item.done' && f.data.includes('"type":"reasoning"'))
    expect(enc.encrypted).toBe(JSON.parse(doneLine!.data).item.encrypted_content)
    expect(enc.itemId).toStartWith('rs_')
    const usage = events.find((e) => e.type === 'usage')
    expect(usage).toMatchObject({ usage: { inputTokens: expect.any(Number), reasoningTokens: expect.any(Number) } })
  })

  test('every step of the multi-step run decodes to a complete stream', () => {
    const steps = splitResponses(fixtureFrames('reasoning-summary-function-calls-multistep.chunks.txt'))
    for (const step of steps) {
      const events = decodeAll(step)
      expect(events.filter((e) => e.type === 'error')).toEqual([])
      expect(events.at(-1)).toEqual({ type: 'end' })
      expect(events.filter((e) => e.type === 'finish').length).toBe(1)
    }
    const last = foldEvents(decodeAll(steps.at(-1)!))
    expect(last.parts.some((p) => p.type === 'text')).toBe(true)
    expect(last.finish).toBe('stop')
  })

  test('only the first response of concatenated streams is read', () => {
    const events = decodeAll(fixtureFrames('reasoning-summary-function-calls-multistep.chunks.txt'))
    expect(events.filter((e) => e.type === 'start').length).toBe(1)
    expect(events.filter((e) => e.type === 'end').length).toBe(1)
  })

  test('phase messages around a web search: two text blocks, the search item skipped', () => {
    const events = decodeAll(fixtureFrames('phase-commentary-final-trimmed.chunks.txt'))
    expect(skeleton(events)).toEqual(['start', 'block_start:0:text', 'block_stop:0', 'block_start:1:text', 'block_stop:1', 'usage', 'finish', 'end'])
    const texts = blockTexts(events)
    expect(texts[0]).toStartWith('Got it')
    expect(texts[1]).toStartWith('Here are a')
  })

  test('nested in-stream error, then response.failed: one canonical error (429), then end', () => {
    const events = decodeAll(fixtureFrames('error-insufficient-quota.chunks.txt'))
    expect(skeleton(events)).toEqual(['start', 'error', 'end'])
    expect(events[1]).toMatchObject({ type: 'error', status: 429, kind: 'rate_limit' })
    expect((events[1] as { message: string }).message).toStartWith('You exceeded your current quota')
  })
})

describe('decodeStream: hand-made streams', () => {
  test('reasoning, then text, then a tool call; usage and finish after the last block_stop', () => {
    const events = decodeAll([
      created,
      added(0, { id: 'rs_1', type: 'reasoning', summary: [] }),
      ev({ type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 0 }),
      ev({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'First.' }),
      ev({ type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 1 }),
      ev({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'Second.' }),
      itemDone(0, { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ENC' }),
      added(1, { id: 'msg_1', type: 'message', role: 'assistant', content: [] }),
      textDelta(1, ''),
      textDelta(1, 'Hello'),
      itemDone(1, { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'Hello' }] }),
      added(2, { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '' }),
      argsDelta(2, '{"a":'),
      argsDelta(2, '1}'),
      ev({ type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 2, arguments: '{"a":1}' }),
      itemDone(2, { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' }),
      completed(),
    ])
    expect(events).toEqual([
      { type: 'start', id: 'resp_1', model: 'gpt-5' },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 0, text: 'First.' },
      { type: 'reasoning_delta', index: 0, text: '\n\nSecond.' },
      { type: 'reasoning_encrypted', index: 0, encrypted: 'ENC', itemId: 'rs_1' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Hello' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'call_1', name: 'f' } },
      { type: 'tool_args_delta', index: 2, json: '{"a":' },
      { type: 'tool_args_delta', index: 2, json: '1}' },
      { type: 'block_stop', index: 2 },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 7, cacheReadTokens: 4, reasoningTokens: 3 } },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
  })

  test('interleaved function calls are routed by output_index', () => {
    const events = decodeAll([
      created,
      added(0, { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a', arguments: '' }),
      added(1, { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b', arguments: '' }),
      argsDelta(1, '{"b":'),
      argsDelta(0, '{"a":'),
      argsDelta(0, '1}'),
      argsDelta(1, '2}'),
      itemDone(1, { id: 'fc_b', type: 'function_call', call_id: 'call_b', name: 'b', arguments: '{"b":2}' }),
      itemDone(0, { id: 'fc_a', type: 'function_call', call_id: 'call_a', name: 'a', arguments: '{"a":1}' }),
      completed(),
    ])
    expect(blockTexts(events)).toEqual({ 0: '{"a":1}', 1: '{"b":2}' })
    expect(skeleton(events)).toEqual(['start', 'block_start:0:tool_call', 'block_start:1:tool_call', 'block_stop:1', 'block_stop:0', 'usage', 'finish', 'end'])
  })

  test('custom tool call: a custom tool_call block with the raw input', () => {
    const events = decodeAll([
      created,
      added(0, { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '' }),
      ev({ type: 'response.custom_tool_call_input.delta', item_id: 'ctc_1', output_index: 0, delta: '*** Begin Patch\n' }),
      ev({ type: 'response.custom_tool_call_input.delta', item_id: 'ctc_1', output_index: 0, delta: '*** End Patch' }),
      ev({ type: 'response.custom_tool_call_input.done', item_id: 'ctc_1', output_index: 0, input: '*** Begin Patch\n*** End Patch' }),
      itemDone(0, { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' }),
      completed(),
    ])
    expect(events[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_p', name: 'apply_patch', custom: true } })
    expect(blockTexts(events)[0]).toBe('*** Begin Patch\n*** End Patch')
    expect(foldEvents(events).parts[0]).toMatchObject({ type: 'tool_call', custom: true, argumentsJson: '*** Begin Patch\n*** End Patch' })
  })

  test('a server that sends content only in .done events and items', () => {
    const events = decodeAll([
      created,
      added(0, { id: 'rs_1', type: 'reasoning', summary: [] }),
      itemDone(0, { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thought.' }] }),
      added(1, { id: 'msg_1', type: 'message', content: [] }),
      ev({ type: 'response.output_text.done', item_id: 'msg_1', output_index: 1, content_index: 0, text: 'Hi' }),
      itemDone(1, { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'Hi' }] }),
      added(2, { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '' }),
      itemDone(2, { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' }),
      completed(),
    ])
    expect(blockTexts(events)).toEqual({ 0: 'Thought.', 1: 'Hi', 2: '{}' })
  })

  test('a server that streams no items: the output of response.completed is the answer', () => {
    const events = decodeAll([
      created,
      completed({ output: [{ id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'All at once' }] }] }),
    ])
    expect(skeleton(events)).toEqual(['start', 'block_start:0:text', 'block_stop:0', 'usage', 'finish', 'end'])
    expect(blockTexts(events)[0]).toBe('All at once')
  })

  test('incomplete: length; content filter; refusal text lands in a text block', () => {
    const length = decodeAll([created, ev({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } })])
    expect(length.find((e) => e.type === 'finish')).toEqual({ type: 'finish', finish: 'length' })
    const filtered = decodeAll([
      created,
      added(0, { id: 'msg_1', type: 'message', content: [] }),
      ev({ type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'I cannot.' }),
      ev({ type: 'response.incomplete', response: { incomplete_details: { reason: 'content_filter' } } }),
    ])
    expect(blockTexts(filtered)[0]).toBe('I cannot.')
    expect(filtered.find((e) => e.type === 'finish')).toEqual({ type: 'finish', finish: 'content_filter' })
  })

  test('a reasoning item with neither summary nor encrypted state opens no block', () => {
    const events = decodeAll([
      created,
      added(0, { id: 'rs_1', type: 'reasoning', summary: [] }),
      itemDone(0, { id: 'rs_1', type: 'reasoning', summary: [] }),
      added(1, { id: 'rs_2', type: 'reasoning', summary: [] }),
      itemDone(1, { id: 'rs_2', type: 'reasoning', summary: [], encrypted_content: 'E2' }),
      added(2, { id: 'msg_1', type: 'message', content: [] }),
      textDelta(2, 'ok'),
      completed(),
    ])
    expect(skeleton(events)).toEqual(['start', 'block_start:0:reasoning', 'reasoning_encrypted:0', 'block_stop:0', 'block_start:1:text', 'block_stop:1', 'usage', 'finish', 'end'])
  })

  test('unknown events, keep-alives, built-in tool events and obfuscation are skipped', () => {
    const events = decodeAll([
      created,
      ev({ type: 'keepalive' }),
      ev({ type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' }),
      added(0, { id: 'ws_1', type: 'web_search_call', status: 'in_progress' }),
      itemDone(0, { id: 'ws_1', type: 'web_search_call', status: 'completed' }),
      ev({ type: 'codex.rate_limits', primary: {} }),
      added(1, { id: 'msg_1', type: 'message', content: [] }),
      ev({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'ok', obfuscation: 'xyz' }),
      ev({ type: 'response.output_text.delta', item_id: 'msg_9', output_index: 9, content_index: 0, delta: 'orphan' }),
      completed(),
    ])
    expect(skeleton(events)).toEqual(['start', 'block_start:0:text', 'block_stop:0', 'usage', 'finish', 'end'])
    expect(blockTexts(events)[0]).toBe('ok')
  })

  test('invalid JSON: error 502, then end; nothing after it is read', () => {
    const events = decodeAll([created, added(0, { id: 'msg_1', type: 'message', content: [] }), textDelta(0, 'Hi'), { data: '{not json' }, textDelta(0, 'more')])
    expect(skeleton(events)).toEqual(['start', 'block_start:0:text', 'block_stop:0', 'error', 'end'])
    expect(events.at(-2)).toMatchObject({ type: 'error', status: 502, kind: 'api_error' })
  })

  test('dropped stream: open blocks closed, error, end exactly once', () => {
    const events = decodeAll([created, added(0, { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '' }), argsDelta(0, '{"a"')])
    expect(skeleton(events)).toEqual(['start', 'block_start:0:tool_call', 'block_stop:0', 'error', 'end'])
    expect(events.at(-2)).toEqual({ type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' })
  })

  test('end() on an empty input still starts and ends', () => {
    expect(skeleton(decodeAll([]))).toEqual(['start', 'error', 'end'])
  })

  test('response.failed without a preceding error event: error from response.error', () => {
    const events = decodeAll([
      created,
      ev({ type: 'response.failed', response: { status: 'failed', error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window' } } }),
    ])
    expect(events[1]).toEqual({ type: 'error', status: 400, kind: 'invalid_request', message: 'Your input exceeds the context window' })
  })

  test('flat error event (SDK-typed shape)', () => {
    const events = decodeAll([created, ev({ type: 'error', code: 'server_error', message: 'boom', param: null })])
    expect(events[1]).toEqual({ type: 'error', status: 502, kind: 'api_error', message: 'boom' })
    expect(events.at(-1)).toEqual({ type: 'end' })
  })

  test('no created event: start is still emitted first', () => {
    const events = decodeAll([added(0, { id: 'msg_1', type: 'message', content: [] }), textDelta(0, 'x'), completed()])
    expect(events[0]).toEqual({ type: 'start', id: '', model: '' })
    expect(events.at(-1)).toEqual({ type: 'end' })
  })
})
