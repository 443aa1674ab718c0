import { describe, expect, test } from 'bun:test'
import { decodeRequest } from '../../../../src/dialects/anthropic/decode-request'
import { GatewayError } from '../../../../src/errors'

const base = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] }

function error400(body: Record<string, unknown>): GatewayError {
  try {
    decodeRequest(body)
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError)
    expect((e as GatewayError).status).toBe(400)
    return e as GatewayError
  }
  throw new Error('expected a 400')
}

describe('decodeRequest: basics', () => {
  test('minimal request', () => {
    expect(decodeRequest(base)).toEqual({
      model: 'claude-sonnet-4-5',
      system: [],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
      maxOutputTokens: 1024,
    })
  })

  test('sampling, stop sequences, stream, metadata.user_id, max_tokens up to 128k', () => {
    const r = decodeRequest({ ...base, max_tokens: 128000, stream: true, temperature: 0.3, top_p: 0.9, top_k: 40, stop_sequences: ['END'], metadata: { user_id: 'u-1' } })
    expect(r).toMatchObject({ stream: true, maxOutputTokens: 128000, temperature: 0.3, topP: 0.9, topK: 40, stop: ['END'], user: 'u-1' })
  })

  test('missing or wrong-typed fields are a 400 naming the field', () => {
    expect(error400({ messages: [] }).message).toContain('model')
    expect(error400({ model: 'm' }).param).toBe('messages')
    expect(error400({ model: 'm', messages: 'hi' }).param).toBe('messages')
    expect(error400({ model: 7, messages: [] }).param).toBe('model')
    expect(error400({ ...base, max_tokens: 'lots' }).param).toBe('max_tokens')
    expect(error400({ ...base, max_tokens: 1.5 }).param).toBe('max_tokens')
    expect(error400({ ...base, messages: [{ role: 'bot', content: 'x' }] }).param).toBe('messages.0.role')
    expect(error400({ ...base, messages: [{ role: 'user', content: 5 }] }).param).toBe('messages.0.content')
    expect(error400({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }).param).toBe('messages.0.content.0.text')
    expect(error400({ ...base, system: 3 }).param).toBe('system')
    expect(error400({ ...base, tools: [{ input_schema: { type: 'object' } }] }).param).toBe('tools.0.name')
    expect(error400({ ...base, tool_choice: { type: 'sometimes' } }).param).toBe('tool_choice.type')
    expect(error400({ ...base, thinking: { type: 'enabled', budget_tokens: 'x' } }).param).toBe('thinking.budget_tokens')
  })

  test('unknown fields are ignored (context_management, container, service_tier…)', () => {
    const r = decodeRequest({ ...base, context_management: { edits: [] }, container: 'c', service_tier: 'auto', brand_new: 1 })
    expect(r.messages.length).toBe(1)
  })
})

describe('decodeRequest: system and messages', () => {
  test('system as blocks with cache_control, role:"system" messages hoisted in order', () => {
    const r = decodeRequest({
      ...base,
      system: [
        { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      messages: [
        { role: 'system', content: 'Extra rule.' },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: [{ type: 'text', text: 'Late rule.' }] },
        { role: 'assistant', content: 'Hello' },
      ],
    })
    expect(r.system).toEqual([
      { type: 'text', text: 'You are Claude Code.', cache: {} },
      { type: 'text', text: 'Be brief.', cache: { ttl: '1h' } },
      { type: 'text', text: 'Extra rule.' },
      { type: 'text', text: 'Late rule.' },
    ])
    expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant'])
  })

  test('consecutive same-role turns are merged', () => {
    const r = decodeRequest({ ...base, messages: [{ role: 'user', content: 'a' }, { role: 'user', content: [{ type: 'text', text: 'b' }] }] })
    expect(r.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }])
  })

  test('a Claude Code tool turn: thinking with signature, empty signed thinking, redacted, tool_use, tool_result with image and is_error', () => {
    const r = decodeRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Look' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Plan.', signature: 'SIG1' },
            { type: 'thinking', thinking: '', signature: 'SIG2' },
            { type: 'redacted_thinking', data: 'RED' },
            { type: 'text', text: 'Reading.' },
            { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.png' } },
            { type: 'tool_use', id: 'toolu_2', name: 'Bash', input: {} },
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'image:' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } }] },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'boom', is_error: true, cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'go on' },
          ],
        },
      ],
    })
    expect(r.messages[1].parts).toEqual([
      { type: 'reasoning', text: 'Plan.', signature: 'SIG1', origin: 'anthropic' },
      { type: 'reasoning', text: '', signature: 'SIG2', origin: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'RED', origin: 'anthropic' },
      { type: 'text', text: 'Reading.' },
      { type: 'tool_call', id: 'toolu_1', name: 'Read', argumentsJson: '{"path":"a.png"}' },
      { type: 'tool_call', id: 'toolu_2', name: 'Bash', argumentsJson: '{}' },
    ])
    expect(r.messages[2].parts).toEqual([
      {
        type: 'tool_result',
        callId: 'toolu_1',
        name: 'Read',
        content: [
          { type: 'text', text: 'image:' },
          { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBO' } },
        ],
      },
      { type: 'tool_result', callId: 'toolu_2', name: 'Bash', content: [{ type: 'text', text: 'boom' }], isError: true, cache: {} },
      { type: 'text', text: 'go on' },
    ])
  })

  test('images by url, documents (pdf base64, url, text, file id) → image/file/text parts with cache hints', () => {
    const r = decodeRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'url', url: 'https://x/a.jpg' }, cache_control: { type: 'ephemeral', ttl: '5m' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'spec.pdf' },
            { type: 'document', source: { type: 'url', url: 'https://x/b.pdf' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
            { type: 'document', source: { type: 'file', file_id: 'file_1' } },
          ],
        },
      ],
    })
    expect(r.messages[0].parts).toEqual([
      { type: 'image', source: { kind: 'url', url: 'https://x/a.jpg' }, cache: { ttl: '5m' } },
      { type: 'file', data: 'JVBE', mediaType: 'application/pdf', filename: 'spec.pdf' },
      { type: 'file', url: 'https://x/b.pdf', mediaType: 'application/pdf' },
      { type: 'text', text: 'plain words' },
      { type: 'file', fileId: 'file_1' },
    ])
  })
})

describe('decodeRequest: tools, choice, thinking, output_config', () => {
  test('client tools kept with their schema as-is (2020-12, defer_loading); server tools dropped', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { q: { type: 'string' } }, required: ['q'], additionalProperties: false }
    const r = decodeRequest({
      ...base,
      tools: [
        { name: 'search', description: 'Search', input_schema: schema, defer_loading: true, cache_control: { type: 'ephemeral' }, strict: true },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 3 },
        { type: 'custom', name: 'plain', input_schema: { type: 'object' } },
      ],
    })
    expect(r.tools).toEqual([
      { name: 'search', description: 'Search', parameters: schema, strict: true, cache: {} },
      { name: 'plain', parameters: { type: 'object' } },
    ])
    expect(r.tools![0].parameters).toBe(schema)
  })

  test('tool_choice mapping and disable_parallel_tool_use', () => {
    expect(decodeRequest({ ...base, tool_choice: { type: 'auto' } }).toolChoice).toEqual({ type: 'auto' })
    expect(decodeRequest({ ...base, tool_choice: { type: 'none' } }).toolChoice).toEqual({ type: 'none' })
    const any = decodeRequest({ ...base, tool_choice: { type: 'any', disable_parallel_tool_use: true } })
    expect(any.toolChoice).toEqual({ type: 'required' })
    expect(any.parallelToolCalls).toBe(false)
    expect(decodeRequest({ ...base, tool_choice: { type: 'tool', name: 'f' } }).toolChoice).toEqual({ type: 'tool', name: 'f' })
  })

  test('thinking enabled/adaptive/disabled and output_config effort + json_schema', () => {
    expect(decodeRequest({ ...base, thinking: { type: 'enabled', budget_tokens: 8000 } }).reasoning).toEqual({ enabled: true, budgetTokens: 8000 })
    expect(decodeRequest({ ...base, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } }).reasoning).toEqual({ enabled: true, effort: 'high' })
    expect(decodeRequest({ ...base, thinking: { type: 'disabled' } }).reasoning).toEqual({ enabled: false })
    expect(decodeRequest({ ...base, output_config: { effort: 'low' } }).reasoning).toEqual({ effort: 'low' })
    const schema = { type: 'object', properties: { a: { type: 'number' } } }
    expect(decodeRequest({ ...base, output_config: { format: { type: 'json_schema', schema } } }).responseFormat).toEqual({ type: 'json_schema', name: 'response', schema })
    expect(error400({ ...base, output_config: { effort: 'huge' } }).param).toBe('output_config.effort')
  })
})
