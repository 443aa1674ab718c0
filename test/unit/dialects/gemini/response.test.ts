import { describe, expect, test } from 'bun:test'
import { foldEvents } from '../../../../src/canonical/fold-events'
import type { CanonResponse } from '../../../../src/canonical/response'
import { GatewayError } from '../../../../src/errors'
import { decodeResponse } from '../../../../src/dialects/gemini/decode-response'
import { encodeRequest } from '../../../../src/dialects/gemini/encode-request'
import { encodeResponse } from '../../../../src/dialects/gemini/encode-response'
import { decodeAll, fixtureFrames, readJsonFixture, testCtx } from './helpers'

describe('decodeResponse: recorded bodies', () => {
  test('text with signature: text part, then a text-less gemini reasoning part; usage totals', () => {
    const res = decodeResponse(readJsonFixture('text-thought-signature.json'))
    expect(res.id).toBe('Un6LacrVMcjUxs0PmJfWoQc')
    expect(res.model).toBe('gemini-3-pro-preview')
    expect(res.parts).toEqual([
      { type: 'text', text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y." },
      { type: 'reasoning', text: '', signature: 'EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg', origin: 'gemini' },
    ])
    expect(res.finish).toBe('stop')
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 272, reasoningTokens: 244 })
  })

  test('reasoning-no-thoughts: same shape', () => {
    const res = decodeResponse(readJsonFixture('reasoning-no-thoughts.json'))
    expect(res.parts.map((p) => p.type)).toEqual(['text', 'reasoning'])
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 311, reasoningTokens: 282 })
  })

  test('tool call: id synthesized, signature kept on the call, finish tool_calls', () => {
    const res = decodeResponse(readJsonFixture('tool-call.json'))
    expect(res.parts).toEqual([
      {
        type: 'tool_call',
        id: 'call_m36LaZGyCLz1xs0PtNSB-QU_0',
        name: 'weather',
        argumentsJson: '{"location":"San Francisco"}',
        signature: 'EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5',
      },
    ])
    expect(res.finish).toBe('tool_calls')
  })

  test('decoded history replays to Gemini with every signature on its original part', () => {
    const call = decodeResponse(readJsonFixture('tool-call.json'))
    const text = decodeResponse(readJsonFixture('text-thought-signature.json'))
    const body = encodeRequest(
      {
        model: 'm',
        system: [],
        stream: false,
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', parts: call.parts },
          { role: 'user', parts: [{ type: 'tool_result', callId: 'call_m36LaZGyCLz1xs0PtNSB-QU_0', content: [{ type: 'text', text: '18C' }] }] },
          { role: 'assistant', parts: text.parts },
          { role: 'user', parts: [{ type: 'text', text: 'more' }] },
        ],
      },
      { model: 'gemini-3-pro-preview', defaultMaxTokens: 1 },
    ).body as Record<string, any>
    const original = readJsonFixture('tool-call.json') as any
    expect(body.contents[1].parts[0].thoughtSignature).toBe(original.candidates[0].content.parts[0].thoughtSignature)
    expect(body.contents[2].parts[0].functionResponse.name).toBe('weather')
    const textOriginal = readJsonFixture('text-thought-signature.json') as any
    expect(body.contents[3].parts).toEqual(textOriginal.candidates[0].content.parts)
  })

  test('streamed fixture folded = non-streaming shape (text + signature part); replays its signature on the text', () => {
    const res = foldEvents(decodeAll(fixtureFrames('text-thought-signature.chunks.txt')))
    expect(res.parts.map((p) => p.type)).toEqual(['text', 'reasoning'])
    const body = encodeRequest(
      { model: 'm', system: [], stream: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }, { role: 'assistant', parts: res.parts }] },
      { model: 'g', defaultMaxTokens: 1 },
    ).body as Record<string, any>
    expect(body.contents[1].parts).toHaveLength(1)
    expect(body.contents[1].parts[0].thoughtSignature).toStartWith('EqsFCqgFAb4+9vvt')
  })
})

describe('decodeResponse: hand-made bodies', () => {
  test('thought parts, several calls, MAX_TOKENS wins over calls', () => {
    const res = decodeResponse({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'plan', thought: true, thoughtSignature: 'T' }, { functionCall: { id: 'x', name: 'a', args: { q: 1 } } }, { functionCall: { name: 'b' } }] },
          finishReason: 'MAX_TOKENS',
        },
      ],
      responseId: 'r',
      createTime: '2026-04-02T17:03:50.399550Z',
    })
    expect(res.parts).toEqual([
      { type: 'reasoning', text: 'plan', signature: 'T', origin: 'gemini' },
      { type: 'tool_call', id: 'x', name: 'a', argumentsJson: '{"q":1}' },
      { type: 'tool_call', id: 'call_r_1', name: 'b', argumentsJson: '{}' },
    ])
    expect(res.finish).toBe('length')
    expect(res.created).toBe(1775149430)
    expect(res.usage).toEqual({ inputTokens: 0, outputTokens: 0 })
  })

  test('blocked prompt: no candidates → empty content_filter answer', () => {
    const res = decodeResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } })
    expect(res.parts).toEqual([])
    expect(res.finish).toBe('content_filter')
    expect(res.usage.inputTokens).toBe(4)
  })

  test('an error body, a one-element array, a non-object', () => {
    expect(() => decodeResponse({ error: { code: 400, message: 'bad', status: 'INVALID_ARGUMENT' } })).toThrow('bad')
    try {
      decodeResponse([{ error: { code: 429, message: 'slow', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } }])
      throw new Error('no throw')
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError)
      expect((e as GatewayError).status).toBe(429)
      expect((e as GatewayError).retryAfter).toBe(3)
    }
    expect(() => decodeResponse('nope')).toThrow(GatewayError)
  })
})

describe('encodeResponse (front door)', () => {
  const res = (over: Partial<CanonResponse>): CanonResponse => ({ id: 'r1', model: 'up', created: 0, parts: [], finish: 'stop', usage: { inputTokens: 10, outputTokens: 30, reasoningTokens: 20, cacheReadTokens: 4 }, ...over })

  test('thoughts, text, calls; foreign signatures never sent; usage split back', () => {
    const out = encodeResponse(
      res({
        parts: [
          { type: 'reasoning', text: 'claude thinking', signature: 'anthropic-sig', origin: 'anthropic' },
          { type: 'text', text: 'Hi' },
          { type: 'reasoning', text: '', signature: 'gem', origin: 'gemini' },
          { type: 'tool_call', id: 'call_1', name: 'f', argumentsJson: '{"a":1}' },
        ],
        finish: 'tool_calls',
      }),
      testCtx(),
    )
    expect(out).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'claude thinking', thought: true }, { text: 'Hi', thoughtSignature: 'gem' }, { functionCall: { name: 'f', args: { a: 1 }, id: 'call_1' } }],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 40, cachedContentTokenCount: 4, thoughtsTokenCount: 20 },
      modelVersion: 'client-model',
      responseId: 'r1',
    })
  })

  test('no content still has one part; finish mapping; fresh id', () => {
    const out = encodeResponse(res({ id: '', finish: 'length' }), testCtx())
    expect(out.candidates[0].content.parts).toEqual([{ text: '' }])
    expect(out.candidates[0].finishReason).toBe('MAX_TOKENS')
    expect(out.responseId).toBe('test1')
    expect(encodeResponse(res({ finish: 'content_filter' }), testCtx()).candidates[0].finishReason).toBe('SAFETY')
    expect(encodeResponse(res({ finish: 'error' }), testCtx()).candidates[0].finishReason).toBe('OTHER')
  })
})
