import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA, wrapCustomInput } from '../../../../src/canonical/custom-tools'
import type { CanonEvent } from '../../../../src/canonical/event'
import type { CanonRequest } from '../../../../src/canonical/request'
import { decodeAll, encodeAll, fixtureFrames, payloads, sdkReturning, sseText, testCtx, types, type Payload } from './helpers'

const START: CanonEvent = { type: 'start', id: 'up_1', model: 'upstream-model' }
const USAGE: CanonEvent = { type: 'usage', usage: { inputTokens: 20, outputTokens: 9, cacheReadTokens: 5, reasoningTokens: 2 } }
const text = (index: number, t: string): CanonEvent[] => [
  { type: 'block_start', index, block: { kind: 'text' } },
  { type: 'text_delta', index, text: t },
  { type: 'block_stop', index },
]
const tool = (index: number, id: string, name: string, args: string[], custom?: boolean): CanonEvent[] => [
  { type: 'block_start', index, block: custom ? { kind: 'tool_call', id, name, custom } : { kind: 'tool_call', id, name } },
  ...args.map((json): CanonEvent => ({ type: 'tool_args_delta', index, json })),
  { type: 'block_stop', index },
]

/** the properties every frame must satisfy: event = type, sequence numbers 0,1,2…, one terminal event last */
function checkFraming(frames: ReturnType<typeof encodeAll>): Payload[] {
  const ps = payloads(frames)
  ps.forEach((p, i) => {
    expect(frames[i].event).toBe(p.type)
    expect(p.sequence_number).toBe(i)
  })
  expect(ps[0].type).toBe('response.created')
  const terminal = ps.filter((p) => ['response.completed', 'response.incomplete', 'response.failed'].includes(p.type))
  expect(terminal.length).toBe(1)
  expect(ps.at(-1)).toBe(terminal[0])
  return ps
}

/** what Codex needs from response.completed (codex-rs ResponseCompleted) */
function checkCodexUsage(u: Payload): void {
  for (const k of ['input_tokens', 'output_tokens', 'total_tokens']) expect(Number.isInteger(u[k])).toBe(true)
  expect(Number.isInteger(u.input_tokens_details.cached_tokens)).toBe(true)
  expect(Number.isInteger(u.output_tokens_details.reasoning_tokens)).toBe(true)
}

describe('encodeStream: event sequences', () => {
  test('text answer: the exact event order of the protocol', () => {
    const frames = encodeAll([START, ...text(0, 'Hi'), { type: 'finish', finish: 'stop' }, USAGE, { type: 'end' }])
    const ps = checkFraming(frames)
    expect(types(frames)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(ps[0].response).toMatchObject({ id: 'resp_test1', object: 'response', status: 'in_progress', model: 'client-model', output: [], usage: null })
    expect(ps[2]).toEqual({
      type: 'response.output_item.added',
      sequence_number: 2,
      output_index: 0,
      item: { id: 'msg_test2', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    })
    expect(ps[4]).toEqual({ type: 'response.output_text.delta', sequence_number: 4, item_id: 'msg_test2', output_index: 0, content_index: 0, delta: 'Hi', logprobs: [] })
    expect(ps[5]).toMatchObject({ item_id: 'msg_test2', text: 'Hi', logprobs: [] })
    const final = ps[8].response
    expect(final).toMatchObject({ id: 'resp_test1', status: 'completed', completed_at: 1700000000, error: null, incomplete_details: null })
    expect(final.output).toEqual([ps[7].item])
    expect(final.usage).toEqual({ input_tokens: 20, input_tokens_details: { cached_tokens: 5 }, output_tokens: 9, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 29 })
    checkCodexUsage(final.usage)
  })

  test('reasoning, then text, then a function call; encrypted state goes on the reasoning item', () => {
    const frames = encodeAll([
      START,
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 0, text: 'Think' },
      { type: 'reasoning_delta', index: 0, text: 'ing.' },
      { type: 'reasoning_encrypted', index: 0, encrypted: 'gAAA', itemId: 'rs_up' },
      { type: 'block_stop', index: 0 },
      ...text(1, 'Calling.'),
      ...tool(2, 'call_1', 'get_weather', ['{"city":', '"Paris"}']),
      { type: 'finish', finish: 'tool_calls' },
      USAGE,
      { type: 'end' },
    ])
    const ps = checkFraming(frames)
    expect(types(frames).slice(2)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(ps[4]).toMatchObject({ type: 'response.reasoning_summary_text.delta', summary_index: 0, output_index: 0, delta: 'Think' })
    expect(ps[8].item).toEqual({ id: ps[2].item.id, type: 'reasoning', summary: [{ type: 'summary_text', text: 'Thinking.' }], encrypted_content: 'gAAA' })
    expect(ps[15].item).toEqual({ id: ps[15].item.id, type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_1', name: 'get_weather' })
    expect(ps[15].output_index).toBe(2)
    expect(ps[18]).toMatchObject({ arguments: '{"city":"Paris"}', item_id: ps[15].item.id })
    expect(ps[19].item).toMatchObject({ type: 'function_call', status: 'completed', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' })
    expect(ps[20].response.output.map((i: Payload) => i.type)).toEqual(['reasoning', 'message', 'function_call'])
  })

  test('interleaved parallel tool calls (Chat upstream) are serialized, none lost', () => {
    const frames = encodeAll([
      START,
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_a', name: 'a' } },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'call_b', name: 'b' } },
      { type: 'tool_args_delta', index: 1, json: '{"b":' },
      { type: 'tool_args_delta', index: 0, json: '{"a":' },
      { type: 'tool_args_delta', index: 1, json: '2}' },
      { type: 'tool_args_delta', index: 0, json: '1}' },
      { type: 'block_stop', index: 0 },
      { type: 'block_stop', index: 1 },
      { type: 'finish', finish: 'tool_calls' },
      USAGE,
      { type: 'end' },
    ])
    const ps = checkFraming(frames)
    // one item open at a time: added … done, then the next
    let open = -1
    for (const p of ps) {
      if (p.type === 'response.output_item.added') {
        expect(open).toBe(-1)
        open = p.output_index
      } else if (p.type === 'response.output_item.done') {
        expect(p.output_index).toBe(open)
        open = -1
      } else if (p.output_index !== undefined) expect(p.output_index).toBe(open)
    }
    const done = ps.filter((p) => p.type === 'response.output_item.done').map((p) => p.item)
    expect(done.map((i: Payload) => [i.call_id, i.arguments])).toEqual([
      ['call_a', '{"a":1}'],
      ['call_b', '{"b":2}'],
    ])
    expect(ps.at(-1)!.response.output).toEqual(done)
  })

  test('usage after finish, or before it: the terminal event has both', () => {
    for (const order of [
      [{ type: 'finish', finish: 'stop' }, USAGE],
      [USAGE, { type: 'finish', finish: 'stop' }],
    ] as CanonEvent[][]) {
      const ps = checkFraming(encodeAll([START, ...text(0, 'x'), ...order, { type: 'end' }]))
      expect(ps.at(-1)!.response.usage.total_tokens).toBe(29)
    }
  })

  test('length → response.incomplete with max_output_tokens; content filter likewise', () => {
    const ps = checkFraming(encodeAll([START, ...text(0, 'cut'), { type: 'finish', finish: 'length' }, { type: 'end' }]))
    expect(ps.at(-1)).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } })
    const cf = checkFraming(encodeAll([START, { type: 'finish', finish: 'content_filter' }, { type: 'end' }]))
    expect(cf.at(-1)!.response.incomplete_details).toEqual({ reason: 'content_filter' })
    const overflow = checkFraming(encodeAll([START, { type: 'finish', finish: 'context_overflow' }, { type: 'end' }]))
    expect(overflow.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'context_length_exceeded' } } })
  })

  test('mid-stream error: the open item stays unfinished; error then response.failed; nothing after', () => {
    const frames = encodeAll([
      START,
      ...text(0, 'partial answer'),
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'cut' },
      { type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' },
      { type: 'end' },
    ])
    const ps = checkFraming(frames)
    expect(types(frames).slice(-3)).toEqual(['response.output_text.delta', 'error', 'response.failed'])
    expect(ps.at(-2)).toEqual({ type: 'error', sequence_number: ps.length - 2, error: { type: 'server_error', code: 'server_error', message: 'Overloaded', param: null } })
    const failed = ps.at(-1)!.response
    expect(failed).toMatchObject({ id: 'resp_test1', status: 'failed', error: { code: 'server_error', message: 'Overloaded' } })
    expect(failed.output.map((i: Payload) => i.content[0].text)).toEqual(['partial answer'])
  })

  test('rate limit error mid-stream: the code Codex recognizes', () => {
    const ps = checkFraming(encodeAll([START, { type: 'error', status: 429, kind: 'rate_limit', message: 'slow down' }, { type: 'end' }]))
    expect(ps.at(-1)!.response.error).toEqual({ code: 'rate_limit_exceeded', message: 'slow down' })
  })

  test('a tool call cut by a dropped connection is never completed (Codex would run it)', () => {
    // what any decoder emits when the upstream drops: block_stop for the open block, error, end
    const frames = encodeAll([
      START,
      ...tool(0, 'call_1', 'shell', ['{"cmd":"rm -r']),
      { type: 'error', status: 502, kind: 'api_error', message: 'upstream stream ended before completion' },
      { type: 'end' },
    ])
    checkFraming(frames)
    expect(types(frames)).not.toContain('response.output_item.done')
    expect(types(frames).slice(-2)).toEqual(['error', 'response.failed'])
  })

  test('end() without an end event and without finish: failed, never a silent close', () => {
    const frames = encodeAll([START, { type: 'block_start', index: 0, block: { kind: 'text' } }, { type: 'text_delta', index: 0, text: 'x' }])
    const ps = checkFraming(frames)
    expect(ps.at(-1)).toMatchObject({ type: 'response.failed', response: { error: { message: 'upstream stream ended before completion' } } })
    expect(types(frames)).not.toContain('response.output_item.done')
  })

  test('no events at all: created, in_progress, failed', () => {
    expect(types(encodeAll([]))).toEqual(['response.created', 'response.in_progress', 'error', 'response.failed'])
  })

  test('events after end or error are ignored', () => {
    const frames = encodeAll([START, { type: 'finish', finish: 'stop' }, { type: 'end' }, ...text(0, 'late'), { type: 'end' }])
    expect(types(frames)).toEqual(['response.created', 'response.in_progress', 'response.completed'])
  })

  test('Anthropic thinking: summary text, no signature, no encrypted_content; redacted blocks skipped', () => {
    const frames = encodeAll([
      START,
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_delta', index: 0, text: 'Let me think.' },
      { type: 'reasoning_signature', index: 0, signature: 'EqQBsig' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'redacted_reasoning', data: 'opaque' } },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_signature', index: 2, signature: 'onlysig' },
      { type: 'block_stop', index: 2 },
      ...text(3, 'Answer'),
      { type: 'finish', finish: 'stop' },
      { type: 'end' },
    ])
    const ps = checkFraming(frames)
    expect(sseText(frames)).not.toContain('sig')
    expect(sseText(frames)).not.toContain('opaque')
    const output = ps.at(-1)!.response.output
    expect(output.map((i: Payload) => i.type)).toEqual(['reasoning', 'message'])
    expect(output[0]).toEqual({ id: output[0].id, type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] })
    expect(ps.filter((p) => p.type === 'response.output_item.added').map((p) => p.output_index)).toEqual([0, 1])
  })

  test('OpenAI reasoning with encrypted state but no summary: an item with summary [] and the state', () => {
    const ps = checkFraming(
      encodeAll([
        START,
        { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
        { type: 'reasoning_encrypted', index: 0, encrypted: 'gAAA' },
        { type: 'block_stop', index: 0 },
        { type: 'finish', finish: 'stop' },
        { type: 'end' },
      ]),
    )
    expect(ps.map((p) => p.type)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.output_item.done', 'response.completed'])
    expect(ps[3].item).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'gAAA' })
  })

  describe('custom tools', () => {
    const request: CanonRequest = {
      model: 'm',
      system: [],
      messages: [],
      stream: true,
      tools: [
        { name: 'apply_patch', parameters: CUSTOM_INPUT_SCHEMA, custom: { format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } } },
        { name: 'shell', parameters: { type: 'object' } },
      ],
    }
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hi "there"\n*** End Patch'

    test('a declared custom tool called as a function ({"input": raw}) comes back as custom_tool_call', () => {
      const wrapped = wrapCustomInput(patch)
      const frames = encodeAll(
        [START, ...tool(0, 'call_p', 'apply_patch', [wrapped.slice(0, 10), wrapped.slice(10)]), ...tool(1, 'call_s', 'shell', ['{}']), { type: 'finish', finish: 'tool_calls' }, { type: 'end' }],
        testCtx(request),
      )
      const ps = checkFraming(frames)
      expect(types(frames).slice(2, 6)).toEqual([
        'response.output_item.added',
        'response.custom_tool_call_input.delta',
        'response.custom_tool_call_input.done',
        'response.output_item.done',
      ])
      expect(ps[2].item).toEqual({ id: ps[2].item.id, type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '' })
      expect(ps[3]).toMatchObject({ item_id: ps[2].item.id, output_index: 0, delta: patch })
      expect(ps[4].input).toBe(patch)
      expect(ps[5].item).toMatchObject({ type: 'custom_tool_call', input: patch })
      expect(ps.at(-1)!.response.output.map((i: Payload) => i.type)).toEqual(['custom_tool_call', 'function_call'])
      expect(ps.at(-1)!.response.tools[0]).toEqual({ type: 'custom', name: 'apply_patch', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } })
    })

    test('a custom block from a Responses upstream carries raw input: not unwrapped', () => {
      const raw = '{"input":"looks like JSON but is the raw input"}'
      const ps = checkFraming(encodeAll([START, ...tool(0, 'call_p', 'apply_patch', [raw], true), { type: 'finish', finish: 'tool_calls' }, { type: 'end' }], testCtx(request)))
      expect(ps.at(-1)!.response.output[0].input).toBe(raw)
    })
  })
})

describe('encodeStream: the openai SDK parses it', () => {
  test('responses.stream() + finalResponse(): reasoning, text, function call, usage', async () => {
    const frames = encodeAll([
      START,
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 0, text: 'Plan.' },
      { type: 'reasoning_encrypted', index: 0, encrypted: 'gAAA' },
      { type: 'block_stop', index: 0 },
      ...text(1, 'Héllo "wörld"\n'),
      ...tool(2, 'call_1', 'get_weather', ['{"city":', '"Paris"}']),
      { type: 'finish', finish: 'tool_calls' },
      USAGE,
      { type: 'end' },
    ])
    const client = sdkReturning(sseText(frames))
    const deltas: string[] = []
    const stream = client.responses.stream({ model: 'client-model', input: 'hi' })
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta))
    const res = await stream.finalResponse()
    expect(deltas).toEqual(['Héllo "wörld"\n'])
    expect(res.status).toBe('completed')
    expect(res.output_text).toBe('Héllo "wörld"\n')
    expect(res.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call'])
    const call = res.output[2]
    expect(call.type === 'function_call' && [call.call_id, call.name, call.arguments]).toEqual(['call_1', 'get_weather', '{"city":"Paris"}'])
    const reasoning = res.output[0]
    expect(reasoning.type === 'reasoning' && reasoning.summary).toEqual([{ type: 'summary_text', text: 'Plan.' }])
    expect(res.usage).toMatchObject({ input_tokens: 20, output_tokens: 9, total_tokens: 29, input_tokens_details: { cached_tokens: 5 } })
  })

  test('interleaved parallel calls and a custom tool call', async () => {
    const request: CanonRequest = { model: 'm', system: [], messages: [], stream: true, tools: [{ name: 'apply_patch', parameters: CUSTOM_INPUT_SCHEMA, custom: {} }] }
    const frames = encodeAll(
      [
        START,
        { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_a', name: 'a' } },
        { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'call_p', name: 'apply_patch' } },
        { type: 'tool_args_delta', index: 1, json: wrapCustomInput('patch body') },
        { type: 'tool_args_delta', index: 0, json: '{}' },
        { type: 'block_stop', index: 0 },
        { type: 'block_stop', index: 1 },
        { type: 'finish', finish: 'tool_calls' },
        { type: 'end' },
      ],
      testCtx(request),
    )
    const res = await sdkReturning(sseText(frames)).responses.stream({ model: 'm', input: 'x' }).finalResponse()
    expect(res.output.map((o) => o.type)).toEqual(['function_call', 'custom_tool_call'])
    const custom = res.output[1]
    expect(custom.type === 'custom_tool_call' && custom.input).toBe('patch body')
  })

  test('a mid-stream error rejects the SDK stream', async () => {
    const frames = encodeAll([START, ...text(0, 'x'), { type: 'error', status: 500, kind: 'api_error', message: 'upstream broke' }, { type: 'end' }])
    const stream = sdkReturning(sseText(frames)).responses.stream({ model: 'm', input: 'x' })
    await expect(stream.finalResponse()).rejects.toThrow('upstream broke')
  })

  test('length: finalResponse resolves with status incomplete', async () => {
    const frames = encodeAll([START, ...text(0, 'x'), { type: 'finish', finish: 'length' }, { type: 'end' }])
    const res = await sdkReturning(sseText(frames)).responses.stream({ model: 'm', input: 'x' }).finalResponse()
    expect(res.status).toBe('incomplete')
    expect(res.incomplete_details).toEqual({ reason: 'max_output_tokens' })
  })

  test('recorded upstream fixtures, decoded and re-encoded, parse to the same output', async () => {
    for (const name of ['text-azure.chunks.txt', 'tool-call-azure.chunks.txt', 'reasoning-summary-function-calls-multistep.chunks.txt']) {
      const frames = encodeAll(decodeAll(fixtureFrames(name)))
      checkFraming(frames)
      const res = await sdkReturning(sseText(frames)).responses.stream({ model: 'm', input: 'x' }).finalResponse()
      const original = payloads(fixtureFrames(name)).find((p) => p.type === 'response.completed')!.response
      // (the recorded completed event re-encrypts the reasoning state: only its presence is compared)
      const strip = (items: Payload[]) =>
        items.map((i) => (i.type === 'message' ? i.content.map((c: Payload) => c.text) : i.type === 'function_call' ? [i.call_id, i.name, i.arguments] : [i.summary, typeof i.encrypted_content]))
      expect(strip(res.output as Payload[])).toEqual(strip(original.output))
      expect(res.usage?.total_tokens).toBe(original.usage.total_tokens)
    }
  })
})
