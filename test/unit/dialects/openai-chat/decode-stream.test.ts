import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { blockTexts, chunk, decodeAll, delta, DONE, fixtureFrames, readFixture } from './helpers'

/** event types, with block indexes, for compact sequence assertions */
const shape = (events: CanonEvent[]) =>
  events.map((e) => ('index' in e ? `${e.type}:${e.index}` : e.type === 'finish' ? `finish:${e.finish}` : e.type))

/** collapse runs of identical entries: "text_delta:0 x12" style is not needed, only order */
const dedupe = (xs: string[]) => xs.filter((x, i) => x !== xs[i - 1])

/** the content a raw fixture carries for choice 0, read independently of the decoder */
function rawContent(name: string, key: 'content' | 'refusal'): string {
  let s = ''
  for (const f of fixtureFrames(name)) {
    if (f.data === '[DONE]') continue
    const c = JSON.parse(f.data) as { choices?: { index: number; delta?: Record<string, unknown> }[] }
    for (const ch of c.choices ?? []) if (ch.index === 0 && typeof ch.delta?.[key] === 'string') s += ch.delta[key]
  }
  return s
}

describe('decodeStream: recorded fixtures', () => {
  test('text-plain.sse: one text block, finish, usage after finish, end', () => {
    const ev = decodeAll(fixtureFrames('text-plain.sse'))
    expect(ev[0]).toEqual({ type: 'start', id: 'chatcmpl-ABfw031mOJeYCSHe4yI2ZjOA6kMJL', model: 'gpt-4o-2024-08-06' })
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'usage', 'end'])
    expect(blockTexts(ev)[0]).toBe(rawContent('text-plain.sse', 'content'))
    expect(blockTexts(ev)[0].length).toBeGreaterThan(20)
    const usage = ev.find((e) => e.type === 'usage')
    expect(usage).toEqual({ type: 'usage', usage: { inputTokens: 14, outputTokens: 30, reasoningTokens: 0 } })
  })

  test('text-usage-obfuscation.chunks.txt: usage:null on every chunk is ignored, final usage read with details', () => {
    const ev = decodeAll(fixtureFrames('text-usage-obfuscation.chunks.txt'))
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'usage', 'end'])
    expect(ev.filter((e) => e.type === 'usage')).toEqual([
      { type: 'usage', usage: { inputTokens: 16, outputTokens: 300, cacheReadTokens: 0, reasoningTokens: 0 } },
    ])
    expect(blockTexts(ev)[0]).toBe(rawContent('text-usage-obfuscation.chunks.txt', 'content'))
  })

  test('azure-content-filter-text: the prompt_filter_results chunk is skipped, start carries the real id', () => {
    const ev = decodeAll(fixtureFrames('azure-content-filter-text.chunks.txt'))
    expect(ev[0]).toEqual({ type: 'start', id: 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt', model: 'gpt-5-nano-2025-08-07' })
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'usage', 'end'])
    expect(blockTexts(ev)[0]).toBe('Capital of Denmark.')
    expect(ev.find((e) => e.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 15, outputTokens: 78, cacheReadTokens: 0, reasoningTokens: 64 },
    })
  })

  test('tool-call-single.sse: role and tool header in one chunk, no empty text block', () => {
    const ev = decodeAll(fixtureFrames('tool-call-single.sse'))
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'tool_args_delta:0', 'block_stop:0', 'finish:tool_calls', 'usage', 'end'])
    expect(ev[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_c91SqDXlYFuETYv8mUHzz6pp', name: 'GetWeatherArgs' } })
    expect(JSON.parse(blockTexts(ev)[0])).toEqual({ city: 'Edinburgh', country: 'UK', units: 'c' })
  })

  test('tool-calls-parallel.sse: two tool blocks, both closed before finish', () => {
    const ev = decodeAll(fixtureFrames('tool-calls-parallel.sse'))
    expect(dedupe(shape(ev))).toEqual([
      'start',
      'block_start:0',
      'tool_args_delta:0',
      'block_start:1',
      'tool_args_delta:1',
      'block_stop:0',
      'block_stop:1',
      'finish:tool_calls',
      'usage',
      'end',
    ])
    const starts = ev.filter((e) => e.type === 'block_start')
    expect(starts.map((e) => e.type === 'block_start' && e.block.kind === 'tool_call' && e.block.name)).toEqual(['GetWeatherArgs', 'get_stock_price'])
    const texts = blockTexts(ev)
    expect(JSON.parse(texts[0])).toEqual({ city: 'Edinburgh', country: 'GB', units: 'c' })
    expect(JSON.parse(texts[1])).toEqual({ ticker: 'AAPL', exchange: 'NASDAQ' })
  })

  test('tool-call-strict / nonstrict: arguments assemble into valid JSON', () => {
    for (const name of ['tool-call-strict.sse', 'tool-call-nonstrict.sse']) {
      const ev = decodeAll(fixtureFrames(name))
      expect(ev.filter((e) => e.type === 'finish')).toEqual([{ type: 'finish', finish: 'tool_calls' }])
      expect(JSON.parse(blockTexts(ev)[0]).city).toBeString()
    }
  })

  test('refusal.sse: refusal deltas become a text block', () => {
    const ev = decodeAll(fixtureFrames('refusal.sse'))
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'usage', 'end'])
    expect(blockTexts(ev)[0]).toBe(rawContent('refusal.sse', 'refusal'))
    expect(blockTexts(ev)[0]).toStartWith("I'm sorry")
  })

  test('finish-length.sse: finish length', () => {
    const ev = decodeAll(fixtureFrames('finish-length.sse'))
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:length', 'usage', 'end'])
  })

  test('text-n3-choices.sse: only choice 0 is translated, one finish', () => {
    const ev = decodeAll(fixtureFrames('text-n3-choices.sse'))
    expect(dedupe(shape(ev))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'usage', 'end'])
    expect(blockTexts(ev)[0]).toBe(rawContent('text-n3-choices.sse', 'content'))
  })

  test('text-logprobs.sse and text-json-schema.sse decode as plain text', () => {
    expect(blockTexts(decodeAll(fixtureFrames('text-logprobs.sse')))[0]).toBe('Foo!')
    expect(JSON.parse(blockTexts(decodeAll(fixtureFrames('text-json-schema.sse')))[0])).toHaveProperty('city')
  })
})

describe('decodeStream: hand-made streams', () => {
  test('interleaved parallel tool calls are routed by upstream index', () => {
    const ev = decodeAll([
      delta({ role: 'assistant', content: null }),
      delta({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      delta({ tool_calls: [{ index: 1, function: { arguments: '2}' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({}, 'tool_calls'),
      DONE,
    ])
    expect(ev).toEqual([
      { type: 'start', id: 'chatcmpl-x', model: 'm' },
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_a', name: 'a' } },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'call_b', name: 'b' } },
      { type: 'tool_args_delta', index: 1, json: '{"y":' },
      { type: 'tool_args_delta', index: 0, json: '{"x":' },
      { type: 'tool_args_delta', index: 1, json: '2}' },
      { type: 'tool_args_delta', index: 0, json: '1}' },
      { type: 'block_stop', index: 0 },
      { type: 'block_stop', index: 1 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
  })

  test('reasoning, then text, then a tool call: each in its own block, closed on switch', () => {
    const ev = decodeAll([
      delta({ role: 'assistant', content: '' }),
      delta({ reasoning_content: 'Think' }),
      delta({ reasoning_content: 'ing.' }),
      delta({ content: 'Answer' }),
      delta({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }),
      delta({}, 'tool_calls'),
      DONE,
    ])
    expect(ev).toEqual([
      { type: 'start', id: 'chatcmpl-x', model: 'm' },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 0, text: 'Think' },
      { type: 'reasoning_delta', index: 0, text: 'ing.' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Answer' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'c1', name: 'f' } },
      { type: 'tool_args_delta', index: 2, json: '{}' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
  })

  test('OpenRouter `reasoning` field and text after a tool call opens a new text block', () => {
    const ev = decodeAll([
      delta({ reasoning: 'r' }),
      delta({ tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } }] }),
      delta({ content: 'after' }),
      delta({}, 'stop'),
      DONE,
    ])
    expect(shape(ev)).toEqual([
      'start',
      'block_start:0',
      'reasoning_delta:0',
      'block_stop:0',
      'block_start:1',
      'block_start:2',
      'text_delta:2',
      'block_stop:2',
      'block_stop:1',
      // `stop` with a tool call present is reported as tool_calls (pitfall C5)
      'finish:tool_calls',
      'end',
    ])
  })

  test('usage before finish (on the finish chunk) and after it are both forwarded', () => {
    const ev = decodeAll([
      delta({ content: 'hi' }),
      chunk({ id: 'x', model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1 } }),
      chunk({ id: 'x', model: 'm', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 3 } } }),
      DONE,
    ])
    expect(ev.slice(-4)).toEqual([
      { type: 'finish', finish: 'stop' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 1 } },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2, cacheReadTokens: 3 } },
      { type: 'end' },
    ])
  })

  test('an in-stream error chunk → error (status from its type) then end; later frames ignored', () => {
    const d: CanonEvent[] = decodeAll([
      delta({ content: 'partial' }),
      chunk({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }),
      delta({ content: 'ignored' }),
      DONE,
    ])
    expect(d.slice(1)).toEqual([
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'partial' },
      { type: 'block_stop', index: 0 },
      { type: 'error', status: 429, kind: 'rate_limit', message: 'Rate limit reached' },
      { type: 'end' },
    ])
  })

  test('an error chunk as the very first frame still starts the stream', () => {
    expect(decodeAll([chunk({ error: { message: 'boom', type: 'server_error', code: null } })])).toEqual([
      { type: 'start', id: '', model: '' },
      { type: 'error', status: 502, kind: 'api_error', message: 'boom' },
      { type: 'end' },
    ])
  })

  test('invalid JSON data → error 502 then end', () => {
    const ev = decodeAll([delta({ content: 'a' }), { data: '{"choices":[{"delta":' }, delta({ content: 'b' })])
    expect(shape(ev)).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'error', 'end'])
    const err = ev[4]
    expect(err.type === 'error' && err.status).toBe(502)
  })

  test('dropped stream (no finish, no [DONE]) → blocks closed, error, end', () => {
    const ev = decodeAll([
      delta({ content: 'a' }),
      delta({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '{"a' } }] }),
    ])
    expect(ev.slice(-3)).toEqual([
      { type: 'block_stop', index: 1 },
      { type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' },
      { type: 'end' },
    ])
    expect(shape(ev)).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'block_start:1', 'tool_args_delta:1', 'block_stop:1', 'error', 'end'])
  })

  test('empty stream cut off: start, error, end', () => {
    expect(shape(decodeAll([]))).toEqual(['start', 'error', 'end'])
  })

  test('finish_reason without [DONE] is a complete stream; end() adds only end', () => {
    expect(shape(decodeAll([delta({ content: 'a' }), delta({}, 'stop')]))).toEqual([
      'start',
      'block_start:0',
      'text_delta:0',
      'block_stop:0',
      'finish:stop',
      'end',
    ])
  })

  test('[DONE] without finish_reason → finish stop, end; end() adds nothing', () => {
    expect(shape(decodeAll([delta({ content: 'a' }), DONE]))).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'end'])
  })

  test('keep-alives and unknown shapes are skipped, never fatal', () => {
    const ev = decodeAll([
      { data: '' },
      { event: 'ping', data: '{}' },
      chunk({ choices: [], prompt_filter_results: [] }),
      chunk({ object: 'something.else', foo: 1 }),
      { data: '42' },
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'ok', obfuscation: 'xyz', unknown_field: { a: 1 } }),
      delta({}, 'stop'),
      DONE,
    ])
    expect(shape(ev)).toEqual(['start', 'block_start:0', 'text_delta:0', 'block_stop:0', 'finish:stop', 'end'])
  })

  test('servers that reuse index 0 for complete calls with distinct ids get one block per call', () => {
    const ev = decodeAll([
      delta({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"n":1}' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'b', type: 'function', function: { name: 'g', arguments: '{"n":2}' } }] }),
      delta({}, 'tool_calls'),
      DONE,
    ])
    expect(ev.filter((e) => e.type === 'block_start')).toEqual([
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'a', name: 'f' } },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'b', name: 'g' } },
    ])
    expect(blockTexts(ev)).toEqual({ 0: '{"n":1}', 1: '{"n":2}' })
  })

  test('tool deltas without index: a new id opens a new call, id-less fragments go to the last one', () => {
    const ev = decodeAll([
      delta({ tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"n":' } }] }),
      delta({ tool_calls: [{ function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } }] }),
      delta({}, 'tool_calls'),
      DONE,
    ])
    expect(blockTexts(ev)).toEqual({ 0: '{"n":1}', 1: '{}' })
  })

  test('legacy delta.function_call becomes a tool call', () => {
    const ev = decodeAll([
      delta({ function_call: { name: 'lookup', arguments: '{"q":' } }),
      delta({ function_call: { arguments: '"x"}' } }),
      delta({}, 'function_call'),
      DONE,
    ])
    expect(ev[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_lookup', name: 'lookup' } })
    expect(blockTexts(ev)[0]).toBe('{"q":"x"}')
    expect(ev.find((e) => e.type === 'finish')).toEqual({ type: 'finish', finish: 'tool_calls' })
  })

  test('a recorded stream split across an extra empty `choices` chunk mid-way keeps going', () => {
    const frames = fixtureFrames('text-plain.sse')
    frames.splice(3, 0, chunk({ id: 'x', choices: [] }))
    expect(blockTexts(decodeAll(frames))[0]).toBe(rawContent('text-plain.sse', 'content'))
    expect(readFixture('text-plain.sse')).toContain('[DONE]')
  })
})
