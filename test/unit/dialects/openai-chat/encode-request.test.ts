import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA } from '../../../../src/canonical/custom-tools'
import type { CanonRequest } from '../../../../src/canonical/request'
import { decodeRequest } from '../../../../src/dialects/openai-chat/decode-request'
import { encodeRequest, reasoningEffort } from '../../../../src/dialects/openai-chat/encode-request'

const opts = { model: 'gpt-4.1-upstream', defaultMaxTokens: 4096 }
const req = (over: Partial<CanonRequest>): CanonRequest => ({
  model: 'alias',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...over,
})

describe('encodeRequest', () => {
  test('minimal: path, upstream model, string content, no stream fields', () => {
    expect(encodeRequest(req({}), opts)).toEqual({
      path: '/chat/completions',
      body: { model: 'gpt-4.1-upstream', messages: [{ role: 'user', content: 'hi' }] },
    })
  })

  test('streaming always asks for the usage chunk', () => {
    const { body } = encodeRequest(req({ stream: true }), opts)
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
  })

  test('system parts → one system message first, joined with blank lines; cache hints dropped', () => {
    const { body } = encodeRequest(
      req({
        system: [
          { type: 'text', text: 'A', cache: { ttl: '5m' } },
          { type: 'text', text: 'B' },
        ],
      }),
      opts,
    )
    expect(body.messages).toEqual([
      { role: 'system', content: 'A\n\nB' },
      { role: 'user', content: 'hi' },
    ])
  })

  test('Anthropic-style history: reasoning dropped, tool calls with string args, results as tool messages, images after them (C6)', () => {
    const { body } = encodeRequest(
      req({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'q' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'think', signature: 'sig', origin: 'anthropic' },
              { type: 'text', text: 'Checking.' },
              { type: 'tool_call', id: 'toolu_1', name: 'shot', argumentsJson: '' },
              { type: 'tool_call', id: 'toolu_2', name: 'read', argumentsJson: '{"p":"a"}' },
              { type: 'tool_call', id: 'toolu_3', name: 'apply_patch', argumentsJson: 'raw "patch"', custom: true },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', callId: 'toolu_1', content: [{ type: 'image', source: { kind: 'url', url: 'https://x.test/s.png' } }] },
              { type: 'tool_result', callId: 'toolu_2', content: [{ type: 'text', text: 'l1' }, { type: 'text', text: 'l2' }], isError: true },
              { type: 'tool_result', callId: 'toolu_3', content: [], custom: true },
              { type: 'text', text: 'go on' },
            ],
          },
          { role: 'assistant', parts: [{ type: 'reasoning', text: 'only thinking', origin: 'gemini' }] },
          { role: 'assistant', parts: [{ type: 'refusal', text: 'No.' }] },
        ],
      }),
      opts,
    )
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'q' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'shot', arguments: '{}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'read', arguments: '{"p":"a"}' } },
          { id: 'toolu_3', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"raw \\"patch\\""}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '[image attached below]' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'l1\nl2' },
      { role: 'tool', tool_call_id: 'toolu_3', content: '' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://x.test/s.png' } },
          { type: 'text', text: 'go on' },
        ],
      },
      { role: 'assistant', content: 'No.' },
    ])
  })

  test('assistant with only tool calls has content null', () => {
    const { body } = encodeRequest(
      req({ messages: [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'f', argumentsJson: '{}' }] }] }),
      opts,
    )
    expect(body.messages).toEqual([{ role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }])
  })

  test('parameters, tools, tool choice, response format, reasoning, user; metadata and topK dropped', () => {
    const { body } = encodeRequest(
      req({
        tools: [
          { name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'string' } } }, strict: true },
          { name: 'g', parameters: {} },
          { name: 'apply_patch', description: 'patch', parameters: CUSTOM_INPUT_SCHEMA, custom: { format: { type: 'grammar' } } },
        ],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: false,
        maxOutputTokens: 300,
        temperature: 0.5,
        topP: 0.8,
        topK: 40,
        stop: ['1', '2', '3', '4', '5'],
        seed: 3,
        presencePenalty: 0.1,
        frequencyPenalty: 0.2,
        responseFormat: { type: 'json_schema', name: 'o', schema: { type: 'object' }, strict: true, description: 'd' },
        reasoning: { budgetTokens: 2000 },
        user: 'u',
        metadata: { k: 'v' },
        n: 2,
        extras: { prompt_cache_key: 'pk', include: ['x'] },
      }),
      opts,
    )
    expect(body).toEqual({
      model: 'gpt-4.1-upstream',
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 300,
      temperature: 0.5,
      top_p: 0.8,
      stop: ['1', '2', '3', '4'],
      seed: 3,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      n: 2,
      response_format: { type: 'json_schema', json_schema: { name: 'o', schema: { type: 'object' }, strict: true, description: 'd' } },
      reasoning_effort: 'medium',
      tools: [
        { type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: { a: { type: 'string' } } }, strict: true } },
        { type: 'function', function: { name: 'g', parameters: { type: 'object', properties: {} } } },
        { type: 'function', function: { name: 'apply_patch', description: 'patch', parameters: CUSTOM_INPUT_SCHEMA } },
      ],
      tool_choice: { type: 'function', function: { name: 'f' } },
      parallel_tool_calls: false,
      user: 'u',
      prompt_cache_key: 'pk',
    })
  })

  test('tool_choice and parallel_tool_calls are sent only with tools', () => {
    const { body } = encodeRequest(req({ toolChoice: { type: 'none' }, parallelToolCalls: true }), opts)
    expect(body.tool_choice).toBeUndefined()
    expect(body.parallel_tool_calls).toBeUndefined()
  })

  test('reasoning effort mapping', () => {
    expect(reasoningEffort({ effort: 'xhigh', budgetTokens: 10 })).toBe('xhigh')
    expect(reasoningEffort({ budgetTokens: 1024 })).toBe('low')
    expect(reasoningEffort({ budgetTokens: 4096 })).toBe('medium')
    expect(reasoningEffort({ budgetTokens: 4097 })).toBe('high')
    expect(reasoningEffort({ enabled: false })).toBeUndefined()
    expect(reasoningEffort({ budgetTokens: 0 })).toBeUndefined()
    expect(reasoningEffort(undefined)).toBeUndefined()
  })

  test('Chat → canonical → Chat round trip keeps the conversation', () => {
    const wire = {
      model: 'm',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '18C sunny' },
        { role: 'tool', tool_call_id: 'call_b', content: '22C cloudy' },
      ],
    }
    expect(encodeRequest(decodeRequest(wire), { model: 'm', defaultMaxTokens: 1 }).body.messages).toEqual(wire.messages)
  })
})
