import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { decodeAll, encodeAll, fixtureFrames, payloads, sdkReturning, sseText, testCtx } from './helpers'

const HEAD = { id: 'chatcmpl-test1', object: 'chat.completion.chunk', created: 1700000000, model: 'client-model' }
const d = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
  ...HEAD,
  choices: [{ index: 0, delta, finish_reason, logprobs: null }],
})
const usageChunk = (prompt: number, completion: number, cached = 0, reasoning = 0) => ({
  ...HEAD,
  choices: [],
  usage: {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  },
})

const start: CanonEvent = { type: 'start', id: 'msg_1', model: 'upstream-model' }

/** Anthropic-style stream: text block, then a tool block (canonical index 1 → Chat tool index 0) */
const textThenTool: CanonEvent[] = [
  start,
  { type: 'block_start', index: 0, block: { kind: 'text' } },
  { type: 'text_delta', index: 0, text: 'Let me check.' },
  { type: 'block_stop', index: 0 },
  { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'toolu_1', name: 'get_weather' } },
  { type: 'tool_args_delta', index: 1, json: '{"city":' },
  { type: 'tool_args_delta', index: 1, json: '"Paris"}' },
  { type: 'block_stop', index: 1 },
  { type: 'finish', finish: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 20, outputTokens: 9 } },
  { type: 'end' },
]

/** OpenAI-Chat-style interleaved parallel tool calls */
const interleaved: CanonEvent[] = [
  start,
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
]

describe('encodeStream: exact chunks', () => {
  test('text: role chunk, content deltas, finish chunk, usage chunk, [DONE]', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'Hi' },
      { type: 'text_delta', index: 0, text: ' "there"\n' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 3, cacheReadTokens: 4 } },
      { type: 'end' },
    ])
    expect(frames.every((f) => f.event === undefined)).toBe(true)
    expect(frames[frames.length - 1]).toEqual({ data: '[DONE]' })
    expect(payloads(frames)).toEqual([
      d({ role: 'assistant' }),
      d({ content: 'Hi' }),
      d({ content: ' "there"\n' }),
      d({}, 'stop'),
      usageChunk(9, 3, 4),
    ])
  })

  test('tool index counts tool calls only (pitfall B3); finish tool_calls', () => {
    expect(payloads(encodeAll(textThenTool))).toEqual([
      d({ role: 'assistant' }),
      d({ content: 'Let me check.' }),
      d({ tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      d({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      d({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      d({}, 'tool_calls'),
      usageChunk(20, 9),
    ])
  })

  test('reasoning → reasoning_content deltas; signatures dropped', () => {
    const p = payloads(
      encodeAll([
        start,
        { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
        { type: 'reasoning_delta', index: 0, text: 'hmm' },
        { type: 'reasoning_signature', index: 0, signature: 'sig' },
        { type: 'block_stop', index: 0 },
        { type: 'block_start', index: 1, block: { kind: 'text' } },
        { type: 'text_delta', index: 1, text: 'ok' },
        { type: 'block_stop', index: 1 },
        { type: 'finish', finish: 'stop' },
        { type: 'end' },
      ]),
    )
    expect(p.slice(1, 3)).toEqual([d({ reasoning_content: 'hmm' }), d({ content: 'ok' })])
    expect(p).toHaveLength(5)
  })

  test('usage before finish and usage after finish both land in the final usage chunk (later wins)', () => {
    const p = payloads(
      encodeAll([
        { ...start, usage: { inputTokens: 50, outputTokens: 1 } },
        { type: 'block_start', index: 0, block: { kind: 'text' } },
        { type: 'text_delta', index: 0, text: 'x' },
        { type: 'block_stop', index: 0 },
        { type: 'usage', usage: { inputTokens: 50, cacheReadTokens: 40 } },
        { type: 'finish', finish: 'stop' },
        { type: 'usage', usage: { outputTokens: 12, reasoningTokens: 5 } },
        { type: 'end' },
      ]),
    )
    expect(p[p.length - 1]).toEqual(usageChunk(50, 12, 40, 5))
    expect(p[p.length - 2]).toEqual(d({}, 'stop'))
  })

  test('mid-stream error → one error chunk, then nothing (no finish, no [DONE])', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'par' },
      { type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' },
      { type: 'end' },
    ])
    expect(payloads(frames)).toEqual([
      d({ role: 'assistant' }),
      d({ content: 'par' }),
      { error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded' } },
    ])
    expect(frames.some((f) => f.data === '[DONE]')).toBe(false)
  })

  test('finish mapping: length stays length even with a tool call; refusal → content_filter; stop with a tool → tool_calls', () => {
    const last = (events: CanonEvent[]) => payloads(encodeAll(events)).at(-2)
    const tool: CanonEvent[] = [
      start,
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 't', name: 'n' } },
      { type: 'block_stop', index: 0 },
    ]
    expect(last([...tool, { type: 'finish', finish: 'length' }, { type: 'end' }])).toEqual(d({}, 'length'))
    expect(last([...tool, { type: 'finish', finish: 'stop' }, { type: 'end' }])).toEqual(d({}, 'tool_calls'))
    expect(last([start, { type: 'finish', finish: 'refusal' }, { type: 'end' }])).toEqual(d({}, 'content_filter'))
    expect(last([start, { type: 'finish', finish: 'stop_sequence' }, { type: 'end' }])).toEqual(d({}, 'stop'))
  })

  test('input that ends without finish or end event still gets finish, usage and [DONE]', () => {
    const frames = encodeAll([start, { type: 'block_start', index: 0, block: { kind: 'text' } }, { type: 'text_delta', index: 0, text: 'a' }])
    expect(payloads(frames).at(-2)).toEqual(d({}, 'stop'))
    expect(frames.at(-1)).toEqual({ data: '[DONE]' })
  })

  test('interleaved tool blocks are serialized: the later call is held until the current one stops', () => {
    expect(payloads(encodeAll(interleaved))).toEqual([
      // a tool-first answer opens with content null, as OpenAI sends it
      d({ role: 'assistant' }),
      d({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }] }),
      d({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      d({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      d({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '' } }] }),
      d({ tool_calls: [{ index: 1, function: { arguments: '{"y":2}' } }] }),
      d({}, 'tool_calls'),
      usageChunk(0, 0),
    ])
  })

  test('a later call that stops first is flushed whole when its turn comes; missing stops flushed at finish', () => {
    const p = payloads(
      encodeAll([
        start,
        { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'a', name: 'a' } },
        { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'b', name: 'b' } },
        { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'c', name: 'c' } },
        { type: 'tool_args_delta', index: 1, json: '{"b":1}' },
        { type: 'block_stop', index: 1 },
        { type: 'tool_args_delta', index: 2, json: '{"c":' },
        { type: 'tool_args_delta', index: 0, json: '{}' },
        { type: 'finish', finish: 'tool_calls' },
        { type: 'end' },
      ]),
    )
    const calls = p.slice(1, -2).map((c) => (c.choices as { delta: { tool_calls: unknown[] } }[])[0].delta.tool_calls[0])
    expect(calls).toEqual([
      { index: 0, id: 'a', type: 'function', function: { name: 'a', arguments: '' } },
      { index: 0, function: { arguments: '{}' } },
      { index: 1, id: 'b', type: 'function', function: { name: 'b', arguments: '' } },
      { index: 1, function: { arguments: '{"b":1}' } },
      { index: 2, id: 'c', type: 'function', function: { name: 'c', arguments: '' } },
      { index: 2, function: { arguments: '{"c":' } },
    ])
    expect(p.at(-2)).toEqual(d({}, 'tool_calls'))
  })

  test('custom tool call → function arguments {"input": raw}, escaped as it streams', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'c', name: 'apply_patch', custom: true } },
      { type: 'tool_args_delta', index: 0, json: '*** Begin "Patch"\n' },
      { type: 'tool_args_delta', index: 0, json: '\\end' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'tool_calls' },
      { type: 'end' },
    ])
    let args = ''
    for (const p of payloads(frames)) {
      const calls = (p.choices as { delta: { tool_calls?: { function: { arguments: string } }[] } }[] | undefined)?.[0]?.delta.tool_calls
      if (calls) args += calls[0].function.arguments
    }
    expect(JSON.parse(args)).toEqual({ input: '*** Begin "Patch"\n\\end' })
  })
})

describe('encodeStream: the openai SDK accepts the output', () => {
  test('chat.completions.stream() assembles text, finish_reason and usage', async () => {
    const body = sseText(encodeAll(decodeAll(fixtureFrames('text-plain.sse'))))
    const stream = sdkReturning(body).chat.completions.stream({ model: 'client-model', messages: [{ role: 'user', content: 'hi' }] })
    const final = await stream.finalChatCompletion()
    expect(final.choices[0].message.content).toStartWith("I'm unable to provide real-time")
    expect(final.choices[0].finish_reason).toBe('stop')
    expect(final.model).toBe('client-model')
    expect(final.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 30, total_tokens: 44 })
  })

  test('text then tool call: tool_calls with full arguments at index 0', async () => {
    const stream = sdkReturning(sseText(encodeAll(textThenTool))).chat.completions.stream({
      model: 'client-model',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: true } }],
    })
    const final = await stream.finalChatCompletion()
    const msg = final.choices[0].message
    expect(msg.content).toBe('Let me check.')
    expect(msg.tool_calls).toHaveLength(1)
    expect(msg.tool_calls?.[0]).toMatchObject({ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } })
    expect(final.choices[0].finish_reason).toBe('tool_calls')
    expect(final.usage?.total_tokens).toBe(29)
  })

  test('interleaved parallel tool calls with strict tools (the helper parses each call when the next starts)', async () => {
    const schema = (k: string) => ({ type: 'object', properties: { [k]: { type: 'number' } }, required: [k], additionalProperties: false })
    const final = await sdkReturning(sseText(encodeAll(interleaved)))
      .chat.completions.stream({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [
          { type: 'function', function: { name: 'a', parameters: schema('x'), strict: true } },
          { type: 'function', function: { name: 'b', parameters: schema('y'), strict: true } },
        ],
      })
      .finalChatCompletion()
    const calls = final.choices[0].message.tool_calls ?? []
    expect(calls.map((c) => c.type === 'function' && [c.id, c.function.name, c.function.arguments])).toEqual([
      ['call_a', 'a', '{"x":1}'],
      ['call_b', 'b', '{"y":2}'],
    ])
  })

  test('recorded parallel tool calls survive decode → encode → SDK', async () => {
    const final = await sdkReturning(sseText(encodeAll(decodeAll(fixtureFrames('tool-calls-parallel.sse')))))
      .chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .finalChatCompletion()
    const calls = final.choices[0].message.tool_calls ?? []
    expect(calls).toHaveLength(2)
    expect(calls.map((c) => c.type === 'function' && JSON.parse(c.function.arguments))).toEqual([
      { city: 'Edinburgh', country: 'GB', units: 'c' },
      { ticker: 'AAPL', exchange: 'NASDAQ' },
    ])
    expect(final.usage?.prompt_tokens).toBe(149)
  })

  test('a mid-stream error chunk is thrown as an APIError by the SDK', async () => {
    const body = sseText(
      encodeAll([
        start,
        { type: 'block_start', index: 0, block: { kind: 'text' } },
        { type: 'text_delta', index: 0, text: 'par' },
        { type: 'error', status: 429, kind: 'rate_limit', message: 'slow down' },
        { type: 'end' },
      ]),
    )
    const client = sdkReturning(body)
    const raw = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })
    let thrown: unknown
    const seen: string[] = []
    try {
      for await (const c of raw) seen.push(c.choices[0]?.delta.content ?? '')
    } catch (e) {
      thrown = e
    }
    expect(seen.join('')).toBe('par')
    expect(thrown).toBeInstanceOf(Error)
    expect(String((thrown as Error).message)).toContain('slow down')
  })

  test('testCtx ids are used for the chunk id', () => {
    const p = payloads(encodeAll([start, { type: 'end' }], testCtx('alias')))
    expect(p[0]).toMatchObject({ id: 'chatcmpl-test1', model: 'alias' })
  })
})
