import { describe, expect, test } from 'bun:test'
import type { CanonResponse } from '../../../../src/canonical/response'
import { decodeResponse } from '../../../../src/dialects/anthropic/decode-response'
import { encodeResponse } from '../../../../src/dialects/anthropic/encode-response'
import { GatewayError } from '../../../../src/errors'
import { readJsonFixture, sdkReturning, testCtx } from './helpers'

describe('decodeResponse: recorded fixtures', () => {
  test('text.json', () => {
    expect(decodeResponse(readJsonFixture('text.json'))).toEqual({
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      model: 'claude-sonnet-4-5-20250929',
      created: 0,
      parts: [{ type: 'text', text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?" }],
      finish: 'stop',
      usage: { inputTokens: 12, outputTokens: 29, cacheReadTokens: 0, cacheWriteTokens: 0 },
    })
  })

  test('thinking-signature-text.json: reasoning with signature, then text', () => {
    const r = decodeResponse(readJsonFixture('thinking-signature-text.json'))
    expect(r.parts[0]).toMatchObject({ type: 'reasoning', text: '925 divided by 5 = 185', origin: 'anthropic', signature: expect.stringMatching(/^Er4BCkYICxgC/) })
    expect(r.parts[1]).toEqual({ type: 'text', text: '925 ÷ 5 = 185' })
  })

  test('thinking-adaptive-usage-details.json: thinking tokens become reasoningTokens', () => {
    const body = readJsonFixture('thinking-adaptive-usage-details.json')
    const r = decodeResponse(body)
    const details = (body.usage as { output_tokens_details: { thinking_tokens: number } }).output_tokens_details
    expect(r.usage.reasoningTokens).toBe(details.thinking_tokens)
    expect(r.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
  })

  test('tool-use-only.json and text-then-tool-use-no-args.json: tool calls, tool_calls finish', () => {
    const r = decodeResponse(readJsonFixture('tool-use-only.json'))
    expect(r.finish).toBe('tool_calls')
    expect(r.parts[0]).toMatchObject({ type: 'tool_call', id: 'toolu_01Q9ExVZnzZj7E2QQYHYtNUa', name: 'json' })
    expect(JSON.parse((r.parts[0] as { argumentsJson: string }).argumentsJson).elements.length).toBe(4)
    expect(r.usage).toEqual({ inputTokens: 1151, outputTokens: 87, cacheReadTokens: 0, cacheWriteTokens: 0 })
    const r2 = decodeResponse(readJsonFixture('text-then-tool-use-no-args.json'))
    expect(r2.parts.find((p) => p.type === 'tool_call')).toMatchObject({ argumentsJson: '{}' })
  })
})

describe('decodeResponse: hand-made', () => {
  test('cache usage summed into inputTokens; server tool blocks skipped; stop_sequence kept', () => {
    const r = decodeResponse({
      id: 'msg_1',
      model: 'claude',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
        { type: 'text', text: 'x' },
        { type: 'redacted_thinking', data: 'R' },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: '##',
      usage: { input_tokens: 10, cache_read_input_tokens: 200, cache_creation_input_tokens: 30, output_tokens: 5 },
    })
    expect(r.parts).toEqual([{ type: 'text', text: 'x' }, { type: 'reasoning', text: '', redacted: 'R', origin: 'anthropic' }])
    expect(r.finish).toBe('stop_sequence')
    expect(r.stopSequence).toBe('##')
    expect(r.usage).toEqual({ inputTokens: 240, outputTokens: 5, cacheReadTokens: 200, cacheWriteTokens: 30 })
  })

  test('an error body in a 2xx answer throws its status and message', () => {
    try {
      decodeResponse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
      throw new Error('no throw')
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError)
      expect((e as GatewayError).status).toBe(529)
      expect((e as GatewayError).message).toBe('Overloaded')
    }
    expect(() => decodeResponse('nope')).toThrow(GatewayError)
  })
})

describe('encodeResponse', () => {
  const res = (r: Partial<CanonResponse>): CanonResponse => ({ id: 'chatcmpl-1', model: 'gpt', created: 1, parts: [], finish: 'stop', usage: { inputTokens: 100, outputTokens: 20, cacheReadTokens: 60, cacheWriteTokens: 10 }, ...r })

  test('message shape, usage split back (input excludes cache), fresh msg_ id, client model', () => {
    expect(encodeResponse(res({ parts: [{ type: 'text', text: 'Hi' }] }), testCtx())).toEqual({
      id: 'msg_test1',
      type: 'message',
      role: 'assistant',
      model: 'client-model',
      content: [{ type: 'text', text: 'Hi' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 30, cache_creation_input_tokens: 10, cache_read_input_tokens: 60, output_tokens: 20 },
    })
  })

  test('a tool call makes stop_reason tool_use even when finish says stop; args parsed; custom wrapped', () => {
    const m = encodeResponse(
      res({
        parts: [
          { type: 'reasoning', text: 'r', signature: 'S', origin: 'anthropic' },
          { type: 'reasoning', text: 'other', signature: 'G', origin: 'gemini' },
          { type: 'reasoning', text: '', redacted: 'RD', origin: 'anthropic' },
          { type: 'text', text: '' },
          { type: 'tool_call', id: 'call_1', name: 'f', argumentsJson: '{"a":1}' },
          { type: 'tool_call', id: '', name: 'g', argumentsJson: 'not json' },
          { type: 'tool_call', id: 'call_3', name: 'apply_patch', argumentsJson: 'raw', custom: true },
        ],
      }),
      testCtx(),
    )
    expect(m.stop_reason).toBe('tool_use')
    expect(m.content).toEqual([
      { type: 'thinking', thinking: 'r', signature: 'S' },
      { type: 'thinking', thinking: 'other', signature: '' },
      { type: 'redacted_thinking', data: 'RD' },
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
      { type: 'tool_use', id: 'toolu_test1', name: 'g', input: {} },
      { type: 'tool_use', id: 'call_3', name: 'apply_patch', input: { input: 'raw' } },
    ])
  })

  test('finish mapping: length, stop_sequence, refusal, pause, context overflow', () => {
    const reason = (r: Partial<CanonResponse>) => encodeResponse(res(r), testCtx())
    expect(reason({ finish: 'length' }).stop_reason).toBe('max_tokens')
    expect(reason({ finish: 'stop_sequence', stopSequence: 'X' })).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'X' })
    expect(reason({ finish: 'content_filter' }).stop_reason).toBe('refusal')
    expect(reason({ finish: 'refusal' }).stop_reason).toBe('refusal')
    expect(reason({ finish: 'pause' }).stop_reason).toBe('pause_turn')
    expect(reason({ finish: 'context_overflow' }).stop_reason).toBe('model_context_window_exceeded')
  })

  test('fixture round trip decode → encode is accepted by the SDK unchanged', async () => {
    for (const name of ['text.json', 'thinking-signature-text.json', 'tool-use-only.json']) {
      const fixture = readJsonFixture(name)
      const encoded = encodeResponse(decodeResponse(fixture), { ...testCtx(fixture.model as string) })
      const msg = await sdkReturning(JSON.stringify(encoded), 'application/json').messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
      expect(msg.id).toBe(fixture.id as string)
      expect(msg.content).toEqual(fixture.content as never)
      expect(msg.stop_reason).toBe(fixture.stop_reason as never)
      expect(msg.usage).toMatchObject({ input_tokens: (fixture.usage as { input_tokens: number }).input_tokens, output_tokens: (fixture.usage as { output_tokens: number }).output_tokens })
    }
  })
})
