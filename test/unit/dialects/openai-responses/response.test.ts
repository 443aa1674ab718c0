import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA, wrapCustomInput } from '../../../../src/canonical/custom-tools'
import type { CanonRequest } from '../../../../src/canonical/request'
import type { CanonResponse } from '../../../../src/canonical/response'
import { decodeRequest } from '../../../../src/dialects/openai-responses/decode-request'
import { decodeResponse } from '../../../../src/dialects/openai-responses/decode-response'
import { encodeResponse } from '../../../../src/dialects/openai-responses/encode-response'
import { GatewayError } from '../../../../src/errors'
import { readJsonFixture, sdkReturning, testCtx, type Payload } from './helpers'

describe('decodeResponse: recorded bodies', () => {
  test('text (Azure)', () => {
    const res = decodeResponse(readJsonFixture('text-azure.json'))
    expect(res.id).toStartWith('resp_')
    expect(res.model).toBe('gpt-5.1')
    expect(res.created).toBeGreaterThan(0)
    expect(res.parts.length).toBe(1)
    expect(res.parts[0].type).toBe('text')
    expect(res.finish).toBe('stop')
  })

  test('tool call (Azure): call_id, arguments, tool_calls, usage', () => {
    const res = decodeResponse(readJsonFixture('tool-call-azure.json'))
    expect(res.parts).toEqual([{ type: 'tool_call', id: 'call_YunNGbIwdVJ2i0y0Mybva4Pw', name: 'weather', argumentsJson: '{"location":"San Francisco"}' }])
    expect(res.finish).toBe('tool_calls')
    expect(res.usage).toEqual({ inputTokens: 45, outputTokens: 24, cacheReadTokens: 0, reasoningTokens: 0 })
  })

  test('reasoning with encrypted content, then text', () => {
    const body = readJsonFixture('reasoning-encrypted-content.json')
    const res = decodeResponse(body)
    const reasoning = res.parts[0]
    expect(reasoning.type).toBe('reasoning')
    if (reasoning.type !== 'reasoning') return
    expect(reasoning.origin).toBe('openai')
    expect(reasoning.text).toStartWith('**Reporting final result**')
    expect(reasoning.encrypted).toBe((body.output as Payload[])[0].encrypted_content)
    expect(reasoning.itemId).toStartWith('rs_')
    expect(res.parts[1]).toEqual({ type: 'text', text: '12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570' })
  })

  test('phase messages around a web search: the texts, the search skipped', () => {
    const res = decodeResponse(readJsonFixture('phase-commentary-final.json'))
    expect(res.parts.map((p) => p.type)).toEqual(['text', 'text'])
  })

  test('incomplete and failed bodies', () => {
    expect(decodeResponse({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }).finish).toBe('length')
    expect(decodeResponse({ status: 'incomplete', incomplete_details: { reason: 'content_filter' }, output: [] }).finish).toBe('content_filter')
    expect(() => decodeResponse({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow' } })).toThrow(GatewayError)
    try {
      decodeResponse({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow' } })
    } catch (e) {
      expect((e as GatewayError).status).toBe(429)
      expect((e as GatewayError).message).toBe('slow')
    }
    expect(() => decodeResponse('nope')).toThrow(GatewayError)
  })
})

describe('encodeResponse', () => {
  const res: CanonResponse = {
    id: 'up',
    model: 'upstream',
    created: 1,
    parts: [
      { type: 'reasoning', text: 'Because.', origin: 'openai', encrypted: 'gAAA', itemId: 'rs_up' },
      { type: 'reasoning', text: 'Claude thinking', signature: 'SIG', origin: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'opaque', origin: 'anthropic' },
      { type: 'text', text: 'Hello' },
      { type: 'tool_call', id: 'call_1', name: 'f', argumentsJson: '' },
    ],
    finish: 'tool_calls',
    usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: 2, reasoningTokens: 1 },
  }

  test('the Response object: items in order, ids, usage, echoed settings', () => {
    const request = decodeRequest({ model: 'm', input: 'x', instructions: 'Be nice.', tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }], reasoning: { effort: 'low' } })
    const body = encodeResponse(res, testCtx(request)) as Payload
    expect(body).toMatchObject({
      id: 'resp_test4',
      object: 'response',
      created_at: 1700000000,
      status: 'completed',
      completed_at: 1700000000,
      error: null,
      incomplete_details: null,
      model: 'client-model',
      output_text: 'Hello',
      instructions: 'Be nice.',
      parallel_tool_calls: true,
      reasoning: { effort: 'low', summary: null },
      store: false,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [{ type: 'function', name: 'f', description: null, parameters: { type: 'object' }, strict: false }],
    })
    expect(body.output).toEqual([
      { id: 'rs_up', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Because.' }], encrypted_content: 'gAAA' },
      { id: 'rs_test1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Claude thinking' }] },
      { id: 'msg_test2', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: 'Hello' }] },
      { id: 'fc_test3', type: 'function_call', status: 'completed', arguments: '{}', call_id: 'call_1', name: 'f' },
    ])
    expect(body.usage).toEqual({ input_tokens: 10, input_tokens_details: { cached_tokens: 2 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 1 }, total_tokens: 15 })
    expect(JSON.stringify(body)).not.toContain('SIG')
  })

  test('finish → status: length and content filter are incomplete', () => {
    const length = encodeResponse({ ...res, finish: 'length' }, testCtx()) as Payload
    expect(length).toMatchObject({ status: 'incomplete', completed_at: null, incomplete_details: { reason: 'max_output_tokens' } })
    expect((encodeResponse({ ...res, finish: 'content_filter' }, testCtx()) as Payload).incomplete_details).toEqual({ reason: 'content_filter' })
  })

  test('a declared custom tool called through a function-style upstream: custom_tool_call with the raw input', () => {
    const request: CanonRequest = { model: 'm', system: [], messages: [], stream: false, tools: [{ name: 'apply_patch', parameters: CUSTOM_INPUT_SCHEMA, custom: {} }] }
    const body = encodeResponse(
      { ...res, parts: [{ type: 'tool_call', id: 'call_p', name: 'apply_patch', argumentsJson: wrapCustomInput('*** Begin Patch') }] },
      testCtx(request),
    ) as Payload
    expect(body.output).toEqual([{ id: 'ctc_test1', type: 'custom_tool_call', call_id: 'call_p', name: 'apply_patch', input: '*** Begin Patch' }])
    expect(body.tools).toEqual([{ type: 'custom', name: 'apply_patch' }])
  })

  test('round trip through a recorded body keeps the items', () => {
    const body = encodeResponse(decodeResponse(readJsonFixture('reasoning-encrypted-content.json')), testCtx()) as Payload
    expect(body.output.map((i: Payload) => i.type)).toEqual(['reasoning', 'message'])
  })

  test('the openai SDK parses the body (output_text computed from it)', async () => {
    const body = encodeResponse(res, testCtx())
    const parsed = await sdkReturning(JSON.stringify(body), 'application/json').responses.create({ model: 'm', input: 'x' })
    expect(parsed.output_text).toBe('Hello')
    expect(parsed.output.length).toBe(4)
    expect(parsed.usage?.total_tokens).toBe(15)
  })
})
