import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { encodeStream } from '../../../../src/dialects/anthropic/encode-stream'
import type { SseFrame } from '../../../../src/framing/sse'
import { decodeAll, encodeAll, fixtureFrames, payloads, sdkFinalMessage, sdkReturning, sseText, testCtx } from './helpers'

const start: CanonEvent = { type: 'start', id: 'chatcmpl-1', model: 'upstream-model' }
const end: CanonEvent = { type: 'end' }

const MESSAGE_START = (input = 0, read = 0, write = 0, output = 1) => ({
  type: 'message_start',
  message: {
    id: 'msg_test1',
    type: 'message',
    role: 'assistant',
    model: 'client-model',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: input, cache_creation_input_tokens: write, cache_read_input_tokens: read, output_tokens: output },
  },
})

/** OpenAI-Chat-style interleaved parallel tool calls, usage after finish */
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
  { type: 'usage', usage: { inputTokens: 50, outputTokens: 20, cacheReadTokens: 30 } },
  end,
]

describe('encodeStream: exact frames', () => {
  test('text: message_start, ping, block, message_delta with final usage, message_stop; event: = type', () => {
    const frames = encodeAll([
      { ...start, usage: { inputTokens: 12 } },
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'Hi' },
      { type: 'text_delta', index: 0, text: ' "there"\n' },
      { type: 'block_stop', index: 0 },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 6 } },
      { type: 'finish', finish: 'stop' },
      end,
    ])
    for (const f of frames) expect(f.event).toBe((JSON.parse(f.data) as { type: string }).type)
    expect(payloads(frames)).toEqual([
      MESSAGE_START(12),
      { type: 'ping' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' "there"\n' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 6 } },
      { type: 'message_stop' },
    ])
  })

  test('interleaved parallel tool calls are serialized; usage after finish closes at once', () => {
    const frames = encodeAll(interleaved)
    expect(payloads(frames).slice(2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'call_a', name: 'a', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"x":' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_b', name: 'b', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"y":2}' } },
      { type: 'content_block_stop', index: 1 },
      // canonical inputTokens 50 includes the 30 cached: Anthropic's input_tokens excludes them
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 30, output_tokens: 20 } },
      { type: 'message_stop' },
    ])
  })

  test('usage after finish: message_delta goes out on the usage, before end', () => {
    const out: string[] = []
    const e = encodeStream(testCtx())
    const emit = (f: SseFrame) => out.push(f.event!)
    for (const ev of interleaved.slice(0, -1)) e.push(ev, emit)
    expect(out.slice(-2)).toEqual(['message_delta', 'message_stop'])
    e.push(end, emit)
    e.end(emit)
    expect(out.filter((x) => x === 'message_delta').length).toBe(1)
  })

  test('message_delta is held until end when usage came before finish', () => {
    const out: string[] = []
    const e = encodeStream(testCtx())
    const emit = (f: SseFrame) => out.push(f.event!)
    for (const ev of [start, { type: 'usage', usage: { outputTokens: 3 } }, { type: 'finish', finish: 'stop' }] as CanonEvent[]) e.push(ev, emit)
    expect(out).not.toContain('message_delta')
    e.push(end, emit)
    expect(out.slice(-2)).toEqual(['message_delta', 'message_stop'])
  })

  test('reasoning (anthropic) then text then tool: thinking block with one signature_delta before its stop', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_delta', index: 0, text: 'Let me ' },
      { type: 'reasoning_delta', index: 0, text: 'think.' },
      { type: 'reasoning_signature', index: 0, signature: 'SIG-1' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Checking.' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'toolu_1', name: 'get_weather' } },
      { type: 'tool_args_delta', index: 2, json: '{"city":"Paris"}' },
      { type: 'block_stop', index: 2 },
      { type: 'finish', finish: 'tool_calls' },
      end,
    ])
    expect(payloads(frames).slice(2, 7)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'SIG-1' } },
      { type: 'content_block_stop', index: 0 },
    ])
  })

  test('foreign reasoning (OpenAI) becomes thinking without a signature; encrypted content dropped', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
      { type: 'reasoning_delta', index: 0, text: 'r' },
      { type: 'reasoning_signature', index: 0, signature: 'foreign' },
      { type: 'reasoning_encrypted', index: 0, encrypted: 'enc' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'stop' },
      end,
    ])
    expect(frames.some((f) => f.data.includes('signature_delta'))).toBe(false)
    expect(frames.some((f) => f.data.includes('foreign') || f.data.includes('enc"'))).toBe(false)
  })

  test('an empty text block is never emitted and takes no index', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: '' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'tool_call', id: 'toolu_1', name: 'f' } },
      { type: 'block_stop', index: 1 },
      { type: 'finish', finish: 'tool_calls' },
      end,
    ])
    const p = payloads(frames)
    expect(p.filter((x) => x.type === 'content_block_start')).toEqual([{ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }])
  })

  test('tool call with canonical finish "stop" is reported as tool_use; length stays max_tokens', () => {
    const events = (finish: 'stop' | 'length'): CanonEvent[] => [
      start,
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'c1', name: 'f' } },
      { type: 'tool_args_delta', index: 0, json: '{}' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish },
      end,
    ]
    const reason = (finish: 'stop' | 'length') => (payloads(encodeAll(events(finish))).find((p) => p.type === 'message_delta')!.delta as { stop_reason: string }).stop_reason
    expect(reason('stop')).toBe('tool_use')
    expect(reason('length')).toBe('max_tokens')
  })

  test('stop_sequence carries the matched string', () => {
    const p = payloads(encodeAll([start, { type: 'finish', finish: 'stop_sequence', stopSequence: '###' }, end]))
    expect(p.find((x) => x.type === 'message_delta')!.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: '###' })
  })

  test('redacted reasoning goes out as a complete redacted_thinking block', () => {
    const p = payloads(encodeAll([start, { type: 'block_start', index: 0, block: { kind: 'redacted_reasoning', data: 'DATA' } }, { type: 'block_stop', index: 0 }, { type: 'finish', finish: 'stop' }, end]))
    expect(p.slice(2, 4)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'redacted_thinking', data: 'DATA' } },
      { type: 'content_block_stop', index: 0 },
    ])
  })

  test('custom (Responses) tool call: raw input wrapped as {"input": raw}', async () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_p', name: 'apply_patch', custom: true } },
      { type: 'tool_args_delta', index: 0, json: '*** Begin Patch\n"quoted"' },
      { type: 'tool_args_delta', index: 0, json: '\n*** End Patch' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'tool_calls' },
      end,
    ])
    const msg = await sdkFinalMessage(frames)
    expect(msg.content).toEqual([{ type: 'tool_use', id: 'call_p', name: 'apply_patch', input: { input: '*** Begin Patch\n"quoted"\n*** End Patch' } } as never])
  })

  test('mid-stream error: event: error frame and nothing after', () => {
    const frames = encodeAll([
      start,
      { type: 'block_start', index: 0, block: { kind: 'text' } },
      { type: 'text_delta', index: 0, text: 'partial' },
      { type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' },
      { type: 'end' },
    ])
    const last = frames[frames.length - 1]
    expect(last).toEqual({ event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' })
    expect(frames.filter((f) => f.event === 'message_stop' || f.event === 'message_delta')).toEqual([])
  })

  test('dropped input (end() without end event, no finish): still a complete message', () => {
    const frames: SseFrame[] = []
    const e = encodeStream(testCtx())
    const emit = (f: SseFrame) => frames.push(f)
    e.push(start, emit)
    e.push({ type: 'block_start', index: 0, block: { kind: 'text' } }, emit)
    e.push({ type: 'text_delta', index: 0, text: 'x' }, emit)
    e.end(emit)
    e.end(emit)
    expect(frames.map((f) => f.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'])
  })

  test('upstream msg_ id is kept, others replaced by a fresh msg_ id; model is ctx.model', () => {
    const first = (ev: CanonEvent) => payloads(encodeAll([ev, end]))[0].message as { id: string; model: string }
    expect(first({ type: 'start', id: 'msg_up', model: 'x' })).toMatchObject({ id: 'msg_up', model: 'client-model' })
    expect(first({ type: 'start', id: 'resp_1', model: 'x' }).id).toBe('msg_test1')
  })
})

describe('encodeStream: the official SDK accepts it', () => {
  test('messages.stream().finalMessage(): thinking with signature, text, tool_use input, stop_reason, usage', async () => {
    const frames = encodeAll([
      { ...start, usage: { inputTokens: 500, cacheReadTokens: 400, cacheWriteTokens: 50 } },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_delta', index: 0, text: 'Weather in Paris.' },
      { type: 'reasoning_signature', index: 0, signature: 'EqQBCgIYAhIM' },
      { type: 'block_stop', index: 0 },
      { type: 'block_start', index: 1, block: { kind: 'text' } },
      { type: 'text_delta', index: 1, text: 'Checking the weather.' },
      { type: 'block_stop', index: 1 },
      { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'toolu_01', name: 'get_weather' } },
      { type: 'tool_args_delta', index: 2, json: '{"city": "Pa' },
      { type: 'tool_args_delta', index: 2, json: 'ris"}' },
      { type: 'block_stop', index: 2 },
      { type: 'usage', usage: { outputTokens: 89 } },
      { type: 'finish', finish: 'stop' },
      end,
    ])
    const msg = await sdkFinalMessage(frames)
    expect(msg.id).toBe('msg_test1')
    expect(msg.model).toBe('client-model')
    expect(msg.content).toEqual([
      { type: 'thinking', thinking: 'Weather in Paris.', signature: 'EqQBCgIYAhIM' },
      { type: 'text', text: 'Checking the weather.' },
      { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
    ] as never)
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.usage).toMatchObject({ input_tokens: 50, cache_read_input_tokens: 400, cache_creation_input_tokens: 50, output_tokens: 89 })
  })

  test('interleaved tools (usage after finish) parse into two tool_use blocks', async () => {
    const msg = await sdkFinalMessage(encodeAll(interleaved))
    expect(msg.content.map((b) => (b.type === 'tool_use' ? b.input : b.type))).toEqual([{ x: 1 }, { y: 2 }])
    expect(msg.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 30, output_tokens: 20 })
  })

  test('mid-stream error makes the SDK throw with the error body', async () => {
    const frames = encodeAll([start, { type: 'block_start', index: 0, block: { kind: 'text' } }, { type: 'text_delta', index: 0, text: 'x' }, { type: 'error', status: 529, kind: 'overloaded', message: 'Overloaded' }])
    await expect(sdkFinalMessage(frames)).rejects.toThrow(/Overloaded/)
  })

  test('round trip: every recorded fixture decoded and re-encoded parses to the same content', async () => {
    for (const name of ['text.chunks.txt', 'thinking-signature-text.chunks.txt', 'tool-use-only.chunks.txt', 'text-then-tool-use-no-args.chunks.txt', 'text-then-tool-use.sse', 'text-basic.sse']) {
      const original = await sdkReturning(sseText(fixtureFrames(name, true)))
        .messages.stream({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
        .finalMessage()
      const ours = await sdkFinalMessage(encodeAll(decodeAll(fixtureFrames(name))))
      const strip = (c: unknown[]) => c.map((b) => JSON.parse(JSON.stringify(b, (k, v) => (k === 'caller' || k === 'citations' ? undefined : v))))
      expect(strip(ours.content)).toEqual(strip(original.content))
      expect(ours.stop_reason).toBe(original.stop_reason)
      expect(ours.usage.output_tokens).toBe(original.usage.output_tokens)
      expect(ours.usage.input_tokens).toBe(original.usage.input_tokens)
    }
  })
})
