import { describe, expect, test } from 'bun:test'
import type { CanonResponse } from '../../../../src/canonical/response'
import { decodeResponse } from '../../../../src/dialects/openai-chat/decode-response'
import { encodeResponse } from '../../../../src/dialects/openai-chat/encode-response'
import { GatewayError } from '../../../../src/errors'
import { readFixture, sdkReturning, testCtx } from './helpers'

const completion = (message: Record<string, unknown>, finish_reason: string | null = 'stop', extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000001,
  model: 'gpt-x',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason, logprobs: null }],
  ...extra,
})

describe('decodeResponse', () => {
  test('text.json fixture', () => {
    const body = JSON.parse(readFixture('text.json')) as { choices: { message: { content: string } }[] }
    const r = decodeResponse(body)
    expect(r).toEqual({
      id: 'chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      model: 'gpt-4.1-nano-2025-04-14',
      created: 1770933883,
      parts: [{ type: 'text', text: body.choices[0].message.content }],
      finish: 'stop',
      usage: { inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, reasoningTokens: 0 },
    })
  })

  test('tool calls, reasoning_content, refusal, usage details', () => {
    const r = decodeResponse(
      completion(
        {
          content: null,
          reasoning_content: 'why',
          refusal: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'custom', custom: { name: 'apply_patch', input: 'raw' } },
          ],
        },
        'tool_calls',
        {
          usage: {
            prompt_tokens: 82,
            completion_tokens: 17,
            total_tokens: 99,
            prompt_tokens_details: { cached_tokens: 64 },
            completion_tokens_details: { reasoning_tokens: 5 },
          },
        },
      ),
    )
    expect(r.parts).toEqual([
      { type: 'reasoning', text: 'why', origin: 'openai' },
      { type: 'tool_call', id: 'call_1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' },
      { type: 'tool_call', id: 'call_2', name: 'apply_patch', argumentsJson: 'raw', custom: true },
    ])
    expect(r.finish).toBe('tool_calls')
    expect(r.usage).toEqual({ inputTokens: 82, outputTokens: 17, cacheReadTokens: 64, reasoningTokens: 5 })
  })

  test('finish reasons: length, content_filter, function_call, stop with tool calls', () => {
    expect(decodeResponse(completion({ content: 'x' }, 'length')).finish).toBe('length')
    expect(decodeResponse(completion({ content: null }, 'content_filter')).finish).toBe('content_filter')
    expect(decodeResponse(completion({ content: null, function_call: { name: 'f', arguments: '{}' } }, 'function_call')).finish).toBe('tool_calls')
    expect(decodeResponse(completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'stop')).finish).toBe(
      'tool_calls',
    )
    expect(decodeResponse(completion({ content: null, refusal: 'nope' })).parts).toEqual([{ type: 'refusal', text: 'nope' }])
  })

  test('invalid bodies and 200-with-error bodies are GatewayErrors', () => {
    expect(() => decodeResponse('nope')).toThrow(GatewayError)
    expect(() => decodeResponse({ choices: [] })).toThrow('no choices')
    let err: unknown
    try {
      decodeResponse({ error: { message: 'quota', type: 'insufficient_quota', code: 'insufficient_quota' } })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).message).toBe('quota')
  })
})

describe('encodeResponse', () => {
  const res = (over: Partial<CanonResponse>): CanonResponse => ({
    id: 'msg_1',
    model: 'claude-x',
    created: 0,
    parts: [],
    finish: 'stop',
    usage: { inputTokens: 10, outputTokens: 5 },
    ...over,
  })

  test('text with reasoning: exact shape', () => {
    expect(
      encodeResponse(
        res({
          parts: [
            { type: 'reasoning', text: 'hmm', signature: 's', origin: 'anthropic' },
            { type: 'text', text: 'Hello' },
          ],
          usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 4, reasoningTokens: 2 },
        }),
        testCtx(),
      ),
    ).toEqual({
      id: 'chatcmpl-test1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'client-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null, reasoning_content: 'hmm' }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 2 } },
    })
  })

  test('tool calls only: content null, finish tool_calls even if upstream said stop, "" args → {}', () => {
    const out = encodeResponse(
      res({
        parts: [
          { type: 'tool_call', id: 'toolu_1', name: 'f', argumentsJson: '' },
          { type: 'tool_call', id: 'c2', name: 'apply_patch', argumentsJson: 'raw', custom: true },
        ],
        finish: 'stop',
      }),
      testCtx(),
    )
    expect(out.choices[0].message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{}' } },
        { id: 'c2', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"raw"}' } },
      ],
    })
    expect(out.choices[0].finish_reason).toBe('tool_calls')
    expect(out.created).toBe(1700000000)
  })

  test('refusal → message.refusal with content null; upstream created kept', () => {
    const out = encodeResponse(res({ parts: [{ type: 'refusal', text: 'No.' }], finish: 'refusal', created: 123 }), testCtx())
    expect(out.choices[0].message).toEqual({ role: 'assistant', content: null, refusal: 'No.' })
    expect(out.choices[0].finish_reason).toBe('content_filter')
    expect(out.created).toBe(123)
  })

  test('the openai SDK parses the body (chat.completions.create, non-streaming)', async () => {
    const body = encodeResponse(res({ parts: [{ type: 'text', text: 'Hi' }, { type: 'tool_call', id: 'c', name: 'f', argumentsJson: '{"a":1}' }] }), testCtx())
    const out = await sdkReturning(JSON.stringify(body), 'application/json').chat.completions.create({
      model: 'client-model',
      messages: [{ role: 'user', content: 'x' }],
    })
    expect(out.choices[0].message.content).toBe('Hi')
    const call = out.choices[0].message.tool_calls?.[0]
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ a: 1 })
    expect(out.usage?.total_tokens).toBe(15)
  })

  test('decode → encode of the recorded text.json keeps content and usage', () => {
    const out = encodeResponse(decodeResponse(JSON.parse(readFixture('text.json'))), testCtx('alias'))
    expect(out.model).toBe('alias')
    expect(out.choices[0].message.content).toStartWith('**Holiday Name:** Galaxy Day')
    expect(out.usage).toEqual({ prompt_tokens: 16, completion_tokens: 363, total_tokens: 379, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } })
  })
})
