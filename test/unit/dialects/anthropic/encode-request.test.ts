import { describe, expect, test } from 'bun:test'
import type { CanonRequest } from '../../../../src/canonical/request'
import { decodeRequest } from '../../../../src/dialects/anthropic/decode-request'
import { encodeRequest } from '../../../../src/dialects/anthropic/encode-request'

const opts = { model: 'claude-up', defaultMaxTokens: 4096 }
const req = (r: Partial<CanonRequest>): CanonRequest => ({ model: 'alias', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], stream: false, ...r })
const body = (r: Partial<CanonRequest>) => encodeRequest(req(r), opts).body

describe('encodeRequest: envelope and parameters', () => {
  test('path, version header, model, default max_tokens, stream flag', () => {
    const w = encodeRequest(req({ stream: true }), opts)
    expect(w.path).toBe('/v1/messages')
    expect(w.headers).toEqual({ 'anthropic-version': '2023-06-01' })
    expect(w.body).toEqual({ model: 'claude-up', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true })
    expect(body({ maxOutputTokens: 100 }).max_tokens).toBe(100)
    expect('stream' in body({})).toBe(false)
  })

  test('temperature clamped to [0,1], stop → stop_sequences, user → metadata.user_id only', () => {
    const b = body({ temperature: 1.7, topP: 0.8, topK: 5, stop: ['X'], user: 'u1', metadata: { team: 'a' } })
    expect(b).toMatchObject({ temperature: 1, top_p: 0.8, top_k: 5, stop_sequences: ['X'], metadata: { user_id: 'u1' } })
    expect(body({ temperature: -1 }).temperature).toBe(0)
    expect('metadata' in body({ metadata: { team: 'a' } })).toBe(false)
  })

  test('json_schema → output_config.format; json_object dropped', () => {
    const schema = { type: 'object', properties: {} }
    expect(body({ responseFormat: { type: 'json_schema', name: 'x', schema } }).output_config).toEqual({ format: { type: 'json_schema', schema } })
    expect('output_config' in body({ responseFormat: { type: 'json_object' } })).toBe(false)
  })
})

describe('encodeRequest: thinking', () => {
  test('effort → budget (low 1024, medium 2048, high 4096, xhigh/max 8192) or explicit budget', () => {
    const budget = (r: CanonRequest['reasoning']) => (body({ reasoning: r, maxOutputTokens: 20000 }).thinking as { budget_tokens: number } | undefined)?.budget_tokens
    expect(budget({ effort: 'low' })).toBe(1024)
    expect(budget({ effort: 'medium' })).toBe(2048)
    expect(budget({ effort: 'high' })).toBe(4096)
    expect(budget({ effort: 'xhigh' })).toBe(8192)
    expect(budget({ effort: 'max' })).toBe(8192)
    expect(budget({ budgetTokens: 10000 })).toBe(10000)
    expect(budget({ budgetTokens: 100, enabled: true })).toBe(1024)
    expect(budget({ effort: 'none' })).toBeUndefined()
    expect(budget({ enabled: false, budgetTokens: 5000 })).toBeUndefined()
    expect(budget({ summary: 'auto' })).toBeUndefined()
  })

  test('max_tokens raised above the budget; temperature/top_k dropped; forced tool choice → auto', () => {
    const b = body({
      reasoning: { effort: 'high' },
      maxOutputTokens: 1000,
      temperature: 0.2,
      topK: 3,
      topP: 0.5,
      tools: [{ name: 'f', parameters: { type: 'object' } }],
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
    })
    expect(b.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 })
    expect(b.max_tokens).toBe(5096)
    expect('temperature' in b || 'top_k' in b || 'top_p' in b).toBe(false)
    expect(b.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
  })
})

describe('encodeRequest: tools', () => {
  test('tools with schema, cache hint, custom tool, empty schema; tool_choice mapping', () => {
    const b = body({
      tools: [
        { name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } }, cache: { ttl: '1h' } },
        { name: 'noargs', parameters: {} },
        { name: 'typeless', parameters: { properties: { a: { type: 'string' } } } },
        { name: 'apply_patch', parameters: {}, custom: {} },
      ],
      toolChoice: { type: 'tool', name: 'search' },
    })
    const tools = b.tools as Record<string, unknown>[]
    expect(tools[0]).toEqual({ name: 'search', description: 'Search', input_schema: { type: 'object', properties: { q: { type: 'string' } } }, cache_control: { type: 'ephemeral', ttl: '1h' } })
    expect(tools[1].input_schema).toEqual({ type: 'object', properties: {} })
    expect(tools[2].input_schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } })
    expect((tools[3].input_schema as { required: string[] }).required).toEqual(['input'])
    expect(b.tool_choice).toEqual({ type: 'tool', name: 'search' })
    const tools1 = [{ name: 'f', parameters: { type: 'object' } }]
    expect(body({ tools: tools1, toolChoice: { type: 'required' } }).tool_choice).toEqual({ type: 'any' })
    expect(body({ tools: tools1, toolChoice: { type: 'none' }, parallelToolCalls: false }).tool_choice).toEqual({ type: 'none' })
    expect(body({ tools: tools1, parallelToolCalls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect('tool_choice' in body({ tools: tools1 })).toBe(false)
    expect('tool_choice' in body({ toolChoice: { type: 'auto' } })).toBe(false)
  })
})

describe('encodeRequest: messages', () => {
  test('system blocks with cache_control; blank system text dropped, its hint moved back', () => {
    const b = body({ system: [{ type: 'text', text: 'Rules.' }, { type: 'text', text: '  ', cache: {} }, { type: 'image', source: { kind: 'url', url: 'https://x' } }] })
    expect(b.system).toEqual([{ type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral' } }])
    expect('system' in body({ system: [{ type: 'text', text: '' }] })).toBe(false)
  })

  test('OpenAI-style history: separate tool results merged into one user message, results first; ids sanitized consistently', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Do it' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'text', text: '' },
            { type: 'tool_call', id: 'call_1|fc.a', name: 'a', argumentsJson: '{"x":1}' },
            { type: 'tool_call', id: 'call_2', name: 'b', argumentsJson: '' },
            { type: 'tool_call', id: 'call_3', name: 'c', argumentsJson: '{"trunc' },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'call_1|fc.a', content: [{ type: 'text', text: 'one' }] }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'call_2', content: [{ type: 'text', text: 'two' }], isError: true }] },
        { role: 'user', parts: [{ type: 'text', text: 'and then?' }, { type: 'tool_result', callId: 'call_3', content: [] }] },
      ],
    })
    expect(b.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Do it' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1_fc_a', name: 'a', input: { x: 1 } },
          { type: 'tool_use', id: 'call_2', name: 'b', input: {} },
          { type: 'tool_use', id: 'call_3', name: 'c', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1_fc_a', content: 'one' },
          { type: 'tool_result', tool_use_id: 'call_2', content: 'two', is_error: true },
          { type: 'tool_result', tool_use_id: 'call_3' },
          { type: 'text', text: 'and then?' },
        ],
      },
    ])
  })

  test('empty messages dropped and neighbours merged; blank text dropped with its cache hint moved back', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'a', cache: {} }, { type: 'text', text: ' \n', cache: { ttl: '30m' } }] },
        { role: 'assistant', parts: [{ type: 'text', text: '' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] },
      ],
    })
    expect(b.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'a', cache_control: { type: 'ephemeral' } }, { type: 'text', text: 'b' }] }])
  })

  test('reasoning: anthropic signed / redacted replayed unchanged, unsigned and foreign dropped', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'mine', signature: 'SIG', origin: 'anthropic' },
            { type: 'reasoning', text: '', signature: 'SIG2', origin: 'anthropic' },
            { type: 'reasoning', text: '', redacted: 'RED', origin: 'anthropic' },
            { type: 'reasoning', text: 'unsigned', origin: 'anthropic' },
            { type: 'reasoning', text: 'gem', signature: 'GSIG', origin: 'gemini' },
            { type: 'reasoning', text: 'oai', encrypted: 'E', origin: 'openai' },
            { type: 'text', text: 'answer' },
          ],
        },
      ],
    })
    expect((b.messages as { content: unknown[] }[])[1].content).toEqual([
      { type: 'thinking', thinking: 'mine', signature: 'SIG' },
      { type: 'thinking', thinking: '', signature: 'SIG2' },
      { type: 'redacted_thinking', data: 'RED' },
      { type: 'text', text: 'answer' },
    ])
  })

  test('images and files: data URL split, http URL, pdf, text file, image file; unsupported media dropped', () => {
    const b = body({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBO' } },
            { type: 'image', source: { kind: 'url', url: 'https://x/a.jpg' }, cache: { ttl: '5m' } },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/gif', data: 'R0lG' } },
            { type: 'file', data: 'JVBE', mediaType: 'application/pdf', filename: 'a.pdf' },
            { type: 'file', data: Buffer.from('hello').toString('base64'), mediaType: 'text/plain' },
            { type: 'file', data: 'AAAA', mediaType: 'image/webp' },
            { type: 'file', data: 'UklG', mediaType: 'audio/wav' },
            { type: 'tool_result', callId: 'c', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'P' } }] },
          ],
        },
      ],
    })
    expect((b.messages as { content: unknown[] }[])[0].content).toEqual([
      { type: 'tool_result', tool_use_id: 'c', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'P' } }] },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
      { type: 'image', source: { type: 'url', url: 'https://x/a.jpg' }, cache_control: { type: 'ephemeral', ttl: '5m' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lG' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' }, title: 'a.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'AAAA' } },
    ])
  })

  test('custom tool call history: arguments wrapped as {"input": raw}', () => {
    const b = body({ messages: [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'call_p', name: 'apply_patch', argumentsJson: '*** Begin Patch', custom: true }] }] })
    expect((b.messages as { content: unknown[] }[])[0].content).toEqual([{ type: 'tool_use', id: 'call_p', name: 'apply_patch', input: { input: '*** Begin Patch' } }])
  })

  test('front door → upstream round trip of a Claude Code request keeps the wire shape', () => {
    const client = {
      model: 'claude-sonnet-4-5',
      max_tokens: 32000,
      stream: true,
      system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
      thinking: { type: 'enabled', budget_tokens: 10000 },
      tools: [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } }],
      metadata: { user_id: 'user_abc' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Read a.txt' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use Read.', signature: 'SIG' },
            { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { path: 'a.txt' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'hello' }] },
      ],
    }
    const w = encodeRequest(decodeRequest(client), { model: 'claude-sonnet-4-5', defaultMaxTokens: 4096 })
    expect(w.body).toEqual(client)
  })
})
