// Claude's thinking through a Responses client: packed into encrypted_content when the client asks
// for replayable state, restored (text + signature, or redacted data) when the item comes back,
// never sent to an OpenAI upstream, never offered to a client that did not ask.
import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import type { CanonResponse } from '../../../../src/canonical/response'
import { dropCarriedReasoning, packAnthropicReasoning, packGeminiCallSignature, unpackAnthropicReasoning, unpackGeminiCallSignature, wantsCarriedReasoning } from '../../../../src/dialects/openai-responses/carried-reasoning'
import { decodeRequest } from '../../../../src/dialects/openai-responses/decode-request'
import { encodeRequest } from '../../../../src/dialects/openai-responses/encode-request'
import { encodeResponse } from '../../../../src/dialects/openai-responses/encode-response'
import { encodeAll, payloads, sseText, testCtx, type Payload } from './helpers'

const ASKING = decodeRequest({ model: 'm', input: 'x', include: ['reasoning.encrypted_content'], store: false })
const NOT_ASKING = decodeRequest({ model: 'm', input: 'x' })

const THINKING: CanonEvent[] = [
  { type: 'start', id: 'msg_up', model: 'claude' },
  { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
  { type: 'reasoning_delta', index: 0, text: 'Let me think.' },
  { type: 'reasoning_signature', index: 0, signature: 'EqQBsig' },
  { type: 'block_stop', index: 0 },
  { type: 'block_start', index: 1, block: { kind: 'redacted_reasoning', data: 'opaque-redacted' } },
  { type: 'block_stop', index: 1 },
  { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'toolu_1', name: 'shell' } },
  { type: 'tool_args_delta', index: 2, json: '{"cmd":"ls"}' },
  { type: 'block_stop', index: 2 },
  { type: 'finish', finish: 'tool_calls' },
  { type: 'end' },
]

const doneItems = (events: CanonEvent[], request = ASKING): Payload[] =>
  payloads(encodeAll(events, testCtx(request)))
    .filter((p) => p.type === 'response.output_item.done')
    .map((p) => p.item)

describe('carried Claude thinking', () => {
  test('pack/unpack round trip; foreign or damaged values are not ours', () => {
    expect(unpackAnthropicReasoning(packAnthropicReasoning('t ✓', 'sig')!)).toEqual({ type: 'reasoning', text: 't ✓', signature: 'sig', origin: 'anthropic' })
    expect(unpackAnthropicReasoning(packAnthropicReasoning('', undefined, 'red')!)).toEqual({ type: 'reasoning', text: '', redacted: 'red', origin: 'anthropic' })
    expect(packAnthropicReasoning('unsigned', undefined)).toBeUndefined()
    expect(unpackAnthropicReasoning('gAAAAABo-openai-state')).toBeUndefined()
    expect(unpackAnthropicReasoning('llmproxy.anthropic.v1:%%%not-base64')).toBeUndefined()
    expect(wantsCarriedReasoning(ASKING)).toBe(true)
    expect(wantsCarriedReasoning(NOT_ASKING)).toBe(false)
  })

  test('stream: a client that asked gets both blocks in encrypted_content; the next turn restores them', () => {
    const items = doneItems(THINKING)
    expect(items.map((i) => i.type)).toEqual(['reasoning', 'reasoning', 'function_call'])
    expect(items[0].summary).toEqual([{ type: 'summary_text', text: 'Let me think.' }])
    expect(items[1].summary).toEqual([])
    for (const i of items.slice(0, 2)) expect(i.encrypted_content).toStartWith('llmproxy.anthropic.v1:')

    // Codex replays the items as it got them (content null), then the tool output
    const next = decodeRequest({
      model: 'm',
      input: [{ role: 'user', content: 'hi' }, ...items.map((i) => (i.type === 'reasoning' ? { ...i, content: null } : i)), { type: 'function_call_output', call_id: 'toolu_1', output: 'a.txt' }],
      include: ['reasoning.encrypted_content'],
      store: false,
    })
    const assistant = next.messages.find((m) => m.role === 'assistant')!
    expect(assistant.parts.slice(0, 2)).toEqual([
      { type: 'reasoning', text: 'Let me think.', signature: 'EqQBsig', origin: 'anthropic' },
      { type: 'reasoning', text: '', redacted: 'opaque-redacted', origin: 'anthropic' },
    ])
    // towards an OpenAI upstream, none of it is sent
    const wire = JSON.stringify(encodeRequest(next, { model: 'gpt-5', defaultMaxTokens: 1000 }).body)
    expect(wire).not.toContain('llmproxy.anthropic')
    expect(wire).not.toContain('EqQBsig')
  })

  test('stream: a client that did not ask gets the summary only, and no item for redacted thinking', () => {
    const frames = encodeAll(THINKING, testCtx(NOT_ASKING))
    expect(sseText(frames)).not.toContain('EqQBsig')
    expect(sseText(frames)).not.toContain('llmproxy.anthropic')
    expect(doneItems(THINKING, NOT_ASKING).map((i) => i.type)).toEqual(['reasoning', 'function_call'])
  })

  test('stream: a thinking block with only a signature (display omitted) still gets an item to carry it', () => {
    const items = doneItems([
      { type: 'start', id: 'x', model: 'claude' },
      { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'anthropic' } },
      { type: 'reasoning_signature', index: 0, signature: 'onlysig' },
      { type: 'block_stop', index: 0 },
      { type: 'finish', finish: 'stop' },
      { type: 'end' },
    ])
    expect(items).toHaveLength(1)
    expect(items[0].summary).toEqual([])
    expect(unpackAnthropicReasoning(items[0].encrypted_content)).toEqual({ type: 'reasoning', text: '', signature: 'onlysig', origin: 'anthropic' })
  })

  test('pass-through to an OpenAI upstream drops reasoning items holding a packed value, nothing else', () => {
    const packed = packAnthropicReasoning('t', 'sig')!
    const body = { model: 'gpt-5', input: [{ role: 'user', content: 'x' }, { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'gAAAA-openai' }] }
    expect(dropCarriedReasoning(body)).toBe(body)
    const mixed = { ...body, input: [...body.input, { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: packed }, { type: 'function_call_output', call_id: 'c', output: 'ok' }] }
    expect((dropCarriedReasoning(mixed).input as Payload[]).map((i) => i.id ?? i.type ?? i.role)).toEqual(['user', 'rs_1', 'function_call_output'])
    expect(dropCarriedReasoning({ model: 'gpt-5', input: 'plain' })).toEqual({ model: 'gpt-5', input: 'plain' })
  })

  test('non-streaming: the same items', () => {
    const res: CanonResponse = {
      id: 'up',
      model: 'claude',
      created: 1,
      parts: [
        { type: 'reasoning', text: 'Because.', signature: 'SIG', origin: 'anthropic' },
        { type: 'reasoning', text: '', redacted: 'opaque', origin: 'anthropic' },
        { type: 'text', text: 'Hi' },
      ],
      finish: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
    }
    const asked = (encodeResponse(res, testCtx(ASKING)) as Payload).output
    expect(asked.map((i: Payload) => i.type)).toEqual(['reasoning', 'reasoning', 'message'])
    expect(unpackAnthropicReasoning(asked[0].encrypted_content)).toMatchObject({ text: 'Because.', signature: 'SIG' })
    expect(unpackAnthropicReasoning(asked[1].encrypted_content)).toMatchObject({ redacted: 'opaque' })
    const plain = (encodeResponse(res, testCtx(NOT_ASKING)) as Payload).output
    expect(plain.map((i: Payload) => i.type)).toEqual(['reasoning', 'message'])
    expect(JSON.stringify(plain)).not.toContain('SIG')
  })
})

describe('carried Gemini call signatures', () => {
  const CALL: CanonEvent[] = [
    { type: 'start', id: 'g', model: 'gemini' },
    { type: 'block_start', index: 0, block: { kind: 'tool_call', id: 'call_g_0', name: 'shell', signature: 'gsig==' } },
    { type: 'tool_args_delta', index: 0, json: '{"cmd":"ls"}' },
    { type: 'block_stop', index: 0 },
    { type: 'finish', finish: 'tool_calls' },
    { type: 'end' },
  ]

  test('round trip of the packed value', () => {
    expect(unpackGeminiCallSignature(packGeminiCallSignature('a/b+c=='))).toBe('a/b+c==')
    expect(unpackGeminiCallSignature(packAnthropicReasoning('t', 's')!)).toBeUndefined()
  })

  test('stream: a summary-less reasoning item just before the call; replayed, the signature is back on the call', () => {
    const items = doneItems(CALL)
    expect(items.map((i) => i.type)).toEqual(['reasoning', 'function_call'])
    expect(items[0].summary).toEqual([])
    const next = decodeRequest({
      model: 'm',
      input: [{ role: 'user', content: 'hi' }, ...items, { type: 'function_call_output', call_id: 'call_g_0', output: 'a.txt' }],
      include: ['reasoning.encrypted_content'],
    })
    const assistant = next.messages.find((m) => m.role === 'assistant')!
    expect(assistant.parts).toEqual([{ type: 'tool_call', id: 'call_g_0', name: 'shell', argumentsJson: '{"cmd":"ls"}', signature: 'gsig==' }])
    // a packed item never goes to OpenAI as it is
    expect(dropCarriedReasoning({ input: items }).input).toEqual([items[1]])
  })

  test('stream: no item for a client that did not ask', () => {
    expect(doneItems(CALL, NOT_ASKING).map((i) => i.type)).toEqual(['function_call'])
  })

  test('non-streaming: the same item before the call', () => {
    const res: CanonResponse = {
      id: 'g',
      model: 'gemini',
      created: 1,
      parts: [{ type: 'tool_call', id: 'c1', name: 'f', argumentsJson: '{}', signature: 'gsig' }],
      finish: 'tool_calls',
      usage: { inputTokens: 1, outputTokens: 1 },
    }
    const out = (encodeResponse(res, testCtx(ASKING)) as Payload).output
    expect(out.map((i: Payload) => i.type)).toEqual(['reasoning', 'function_call'])
    expect(unpackGeminiCallSignature(out[0].encrypted_content)).toBe('gsig')
    expect((encodeResponse(res, testCtx(NOT_ASKING)) as Payload).output.map((i: Payload) => i.type)).toEqual(['function_call'])
  })
})
