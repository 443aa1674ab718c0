import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA } from '../../../../src/canonical/custom-tools'
import { decodeRequest } from '../../../../src/dialects/openai-chat/decode-request'
import { GatewayError } from '../../../../src/errors'

const base = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }

function rejects(body: Record<string, unknown>, param: string): void {
  let err: unknown
  try {
    decodeRequest(body)
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(GatewayError)
  expect((err as GatewayError).status).toBe(400)
  expect((err as GatewayError).param).toBe(param)
  expect((err as GatewayError).message).toContain(param)
}

describe('decodeRequest: validation', () => {
  test('missing model / messages, wrong types → 400 naming the field', () => {
    rejects({ messages: base.messages }, 'model')
    rejects({ model: 'm' }, 'messages')
    rejects({ model: 'm', messages: [] }, 'messages')
    rejects({ model: 'm', messages: 'hi' }, 'messages')
    rejects({ ...base, temperature: 'hot' }, 'temperature')
    rejects({ ...base, max_tokens: 1.5 }, 'max_tokens')
    rejects({ ...base, stream: 'yes' }, 'stream')
    rejects({ ...base, stop: [1] }, 'stop')
    rejects({ ...base, tools: {} }, 'tools')
    rejects({ ...base, reasoning_effort: 'extreme' }, 'reasoning_effort')
    rejects({ ...base, tool_choice: 'always' }, 'tool_choice')
    rejects({ ...base, messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role')
    rejects({ ...base, messages: ['hi'] }, 'messages[0]')
    rejects({ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id')
    rejects({ ...base, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content')
    rejects({ ...base, tools: [{ type: 'function', function: { description: 'x' } }] }, 'tools[0].function.name')
  })

  test('unknown fields are ignored', () => {
    expect(decodeRequest({ ...base, logit_bias: { 1: 2 }, store: true, whatever: [1] })).toEqual({
      model: 'gpt-4.1',
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      stream: false,
    })
  })
})

describe('decodeRequest: messages', () => {
  test('system and developer messages anywhere are hoisted into system, in order', () => {
    const r = decodeRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'S1' },
        { role: 'user', content: 'u1' },
        { role: 'developer', content: [{ type: 'text', text: 'D2' }] },
        { role: 'assistant', content: 'a1' },
      ],
    })
    expect(r.system).toEqual([
      { type: 'text', text: 'S1' },
      { type: 'text', text: 'D2' },
    ])
    expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
  })

  test('user parts: text, image data URL with detail, http image, audio and file', () => {
    const r = decodeRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          name: 'bob',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://x.test/a.jpg' } },
            { type: 'input_audio', input_audio: { data: 'UklGR', format: 'mp3' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' } },
            { type: 'file', file: { file_id: 'file-123' } },
            { type: 'mystery', x: 1 },
          ],
        },
      ],
    })
    expect(r.messages).toEqual([
      {
        role: 'user',
        name: 'bob',
        parts: [
          { type: 'text', text: 'look' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' }, detail: 'high' },
          { type: 'image', source: { kind: 'url', url: 'https://x.test/a.jpg' } },
          { type: 'file', data: 'UklGR', mediaType: 'audio/mp3' },
          { type: 'file', data: 'JVBER', mediaType: 'application/pdf', filename: 'a.pdf' },
          { type: 'file', fileId: 'file-123' },
        ],
      },
    ])
  })

  test('assistant: reasoning_content, empty content next to tool_calls dropped, refusal, custom call', () => {
    const r = decodeRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: '',
          reasoning_content: 'thinking',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a":1}' } },
            { id: 'call_2', type: 'custom', custom: { name: 'apply_patch', input: '*** Begin' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'r1' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'r2' }] },
        { role: 'user', content: 'thanks' },
        { role: 'assistant', content: null, refusal: 'I cannot' },
        { role: 'assistant', content: null },
      ],
    })
    expect(r.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'thinking', origin: 'openai' },
          { type: 'tool_call', id: 'call_1', name: 'get', argumentsJson: '{"a":1}' },
          { type: 'tool_call', id: 'call_2', name: 'apply_patch', argumentsJson: '*** Begin', custom: true },
        ],
      },
      {
        // consecutive tool messages and the user message after them form one turn (pitfall C4)
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'call_1', name: 'get', content: [{ type: 'text', text: 'r1' }] },
          { type: 'tool_result', callId: 'call_2', name: 'apply_patch', custom: true, content: [{ type: 'text', text: 'r2' }] },
          { type: 'text', text: 'thanks' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'refusal', text: 'I cannot' }] },
    ])
  })

  test('legacy function_call / function role / functions map to tools', () => {
    const r = decodeRequest({
      model: 'm',
      functions: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      function_call: { name: 'lookup' },
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
        { role: 'function', name: 'lookup', content: 'found' },
      ],
    })
    expect(r.tools).toEqual([{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }])
    expect(r.toolChoice).toEqual({ type: 'tool', name: 'lookup' })
    const call = r.messages[1].parts[0]
    const result = r.messages[2].parts[0]
    expect(call.type === 'tool_call' && result.type === 'tool_result' && call.id === result.callId).toBe(true)
    expect(result).toMatchObject({ type: 'tool_result', name: 'lookup', content: [{ type: 'text', text: 'found' }] })
  })
})

describe('decodeRequest: parameters', () => {
  test('every supported field', () => {
    const r = decodeRequest({
      ...base,
      stream: true,
      stream_options: { include_usage: true },
      tools: [
        { type: 'function', function: { name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: true } },
        { type: 'function', function: { name: 'noargs' } },
        { type: 'custom', custom: { name: 'apply_patch', description: 'patch', format: { type: 'grammar' } } },
        { type: 'web_search' },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
      max_completion_tokens: 500,
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: -0.1,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'high',
      user: 'u-1',
      safety_identifier: 'safe-1',
      metadata: { a: 'b', n: 1 },
      n: 2,
      prompt_cache_key: 'k',
    })
    expect(r).toEqual({
      model: 'gpt-4.1',
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      stream: true,
      tools: [
        { name: 'f', description: 'F', parameters: { type: 'object', properties: {} }, strict: true },
        { name: 'noargs', parameters: { type: 'object', properties: {} } },
        { name: 'apply_patch', description: 'patch', parameters: CUSTOM_INPUT_SCHEMA, custom: { format: { type: 'grammar' } } },
      ],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      maxOutputTokens: 500,
      temperature: 0.2,
      topP: 0.9,
      builtinTools: ['web_search'],
      stop: ['END'],
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: -0.1,
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      reasoning: { effort: 'high' },
      user: 'safe-1',
      metadata: { a: 'b' },
      n: 2,
      extras: { prompt_cache_key: 'k' },
    })
  })

  test('max_tokens alone, json_object, named tool choice, reasoning none', () => {
    const r = decodeRequest({
      ...base,
      max_tokens: 100,
      response_format: { type: 'json_object' },
      tool_choice: { type: 'function', function: { name: 'f' } },
      reasoning_effort: 'none',
      stop: ['a', 'b'],
    })
    expect(r.maxOutputTokens).toBe(100)
    expect(r.responseFormat).toEqual({ type: 'json_object' })
    expect(r.toolChoice).toEqual({ type: 'tool', name: 'f' })
    expect(r.reasoning).toEqual({ effort: 'none', enabled: false })
    expect(r.stop).toEqual(['a', 'b'])
  })
})
