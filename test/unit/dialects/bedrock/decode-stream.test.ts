import { describe, expect, test } from 'bun:test'
import { bedrockDialect } from '../../../../src/dialects/bedrock'
import { eventMessage, exceptionMessage } from '../../../helpers/aws-eventstream'
import { assertWellFormed, blockTexts, converseRecording, decodeAll, framesOf, invokeRecording, of } from './helpers'

describe('ConverseStream decoding (recordings)', () => {
  test('text: one text block, end_turn, usage from metadata after messageStop', () => {
    const events = decodeAll(framesOf(converseRecording('converse-stream-text.chunks.txt')))
    assertWellFormed(events)
    expect(events[0]).toEqual({ type: 'start', id: '', model: '' })
    expect(of(events, 'block_start').map((b) => b.block)).toEqual([{ kind: 'text' }])
    expect(blockTexts(events)[0]).toBe('Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."')
    expect(of(events, 'finish')).toEqual([{ type: 'finish', finish: 'stop' }])
    expect(of(events, 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 22, outputTokens: 55 } }])
    expect(of(events, 'error')).toHaveLength(0)
  })

  test('reasoning: a reasoning block tagged with the entry\'s reasoningOrigin, with its signature (no contentBlockStart), then text', () => {
    const events = decodeAll(framesOf(converseRecording('converse-stream-reasoning.chunks.txt')))
    assertWellFormed(events)
    expect(of(events, 'block_start').map((b) => b.block)).toEqual([{ kind: 'reasoning', origin: bedrockDialect.reasoningOrigin }, { kind: 'text' }])
    expect(blockTexts(events)[0]).toBe('Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nr appears at positions 3, 8, and 9.\n\nSo there are 3 r\'s.')
    const sig = of(events, 'reasoning_signature')
    expect(sig).toHaveLength(1)
    expect(sig[0].index).toBe(0)
    expect(sig[0].signature).toStartWith('Ep0CCkgICxABGAIqQOWPB6')
    expect(of(events, 'usage')[0].usage).toEqual({ inputTokens: 51, outputTokens: 94 })
  })

  test('the fast path and JSON.parse agree (with and without the padding member)', () => {
    const payloads = [
      { contentBlockIndex: 0, delta: { text: 'a "quoted" \\ \u2028 é' } },
      { contentBlockIndex: 0, delta: { text: 'b' }, p: 'abcXYZ012' },
      // padding that is not plain letters goes to JSON.parse
      { contentBlockIndex: 0, delta: { text: 'c' }, p: 'a\\"}' },
      { contentBlockIndex: 0, delta: { reasoningContent: { text: 'r' } } },
    ]
    const fast = decodeAll(framesOf([eventMessage('messageStart', { role: 'assistant' }), ...payloads.map((p) => eventMessage('contentBlockDelta', p))]))
    // spaced JSON never matches the fast path
    const slow = decodeAll([{ event: 'messageStart', data: '{}' }, ...payloads.map((p) => ({ event: 'contentBlockDelta', data: JSON.stringify(p, null, 1) }))])
    expect(fast).toEqual(slow)
    expect(blockTexts(fast)[0]).toBe('a "quoted" \\ \u2028 ébc')
  })

  test('tool use: contentBlockStart opens it, input fragments pass through, tool_calls finish', () => {
    const events = decodeAll(
      framesOf([
        eventMessage('messageStart', { role: 'assistant' }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Checking.' } }),
        eventMessage('contentBlockStop', { contentBlockIndex: 0 }),
        eventMessage('contentBlockStart', { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_abc', name: 'get_weather' } } }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } }),
        eventMessage('contentBlockStop', { contentBlockIndex: 1 }),
        eventMessage('messageStop', { stopReason: 'tool_use' }),
        eventMessage('metadata', { usage: { inputTokens: 420, outputTokens: 31, totalTokens: 451, cacheReadInputTokens: 100, cacheWriteInputTokens: 20 } }),
      ]),
    )
    assertWellFormed(events)
    expect(of(events, 'block_start')[1].block).toEqual({ kind: 'tool_call', id: 'tooluse_abc', name: 'get_weather' })
    expect(blockTexts(events)[1]).toBe('{"city":"Paris"}')
    expect(of(events, 'finish')[0].finish).toBe('tool_calls')
    // Bedrock's inputTokens excludes the cache: the canonical count includes it
    expect(of(events, 'usage')[0].usage).toEqual({ inputTokens: 540, outputTokens: 31, cacheReadTokens: 100, cacheWriteTokens: 20 })
  })

  test('absurd block indexes are dropped, not allocated', () => {
    const t0 = performance.now()
    const events = decodeAll(
      framesOf([
        eventMessage('messageStart', { role: 'assistant' }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 999999999, delta: { text: 'x' } }),
        eventMessage('contentBlockStart', { contentBlockIndex: 1e9, start: { toolUse: { toolUseId: 't', name: 'f' } } }),
        eventMessage('contentBlockDelta', { contentBlockIndex: -1, delta: { text: 'y' } }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'ok' } }),
        eventMessage('messageStop', { stopReason: 'end_turn' }),
      ]),
    )
    assertWellFormed(events)
    expect(blockTexts(events)).toEqual(['ok'])
    expect(performance.now() - t0).toBeLessThan(500)
  })

  test('redacted reasoning becomes a redacted block', () => {
    const events = decodeAll(
      framesOf([
        eventMessage('messageStart', { role: 'assistant' }),
        eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { redactedContent: 'UkVEQUNURUQ=' } } }),
        eventMessage('contentBlockStop', { contentBlockIndex: 0 }),
        eventMessage('messageStop', { stopReason: 'end_turn' }),
      ]),
    )
    assertWellFormed(events)
    expect(of(events, 'block_start')[0].block).toEqual({ kind: 'redacted_reasoning', data: 'UkVEQUNURUQ=' })
  })

  for (const [type, status, kind] of [
    ['throttlingException', 429, 'rate_limit'],
    ['validationException', 400, 'invalid_request'],
    ['serviceUnavailableException', 503, 'overloaded'],
    ['modelStreamErrorException', 502, 'api_error'],
    ['internalServerException', 500, 'api_error'],
  ] as const)
    test(`in-stream ${type} → ${status} ${kind}, open blocks closed`, () => {
      const events = decodeAll(
        framesOf([eventMessage('messageStart', { role: 'assistant' }), eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } }), exceptionMessage(type, 'it broke')]),
      )
      assertWellFormed(events)
      const err = of(events, 'error')
      expect(err).toHaveLength(1)
      expect(err[0]).toMatchObject({ status, kind })
      expect(err[0].message).toContain('it broke')
    })

  test('a stream that stops before messageStop ends with an error', () => {
    const events = decodeAll(framesOf([eventMessage('messageStart', { role: 'assistant' }), eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } })]))
    assertWellFormed(events)
    expect(of(events, 'error')[0].status).toBe(502)
  })

  test('a CRC error mid-stream is a 502 error', () => {
    const bad = eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hi' } })
    bad[bad.length - 1] ^= 0xff
    const events = decodeAll(framesOf([eventMessage('messageStart', { role: 'assistant' }), bad]))
    assertWellFormed(events)
    expect(of(events, 'error')[0]).toMatchObject({ status: 502, kind: 'api_error' })
    expect(of(events, 'error')[0].message).toContain('CRC')
  })
})

describe('InvokeModelWithResponseStream decoding (Anthropic events in base64 chunks)', () => {
  test('the Anthropic recording decodes as through the Anthropic dialect: thinking with signature, then text', () => {
    const events = decodeAll(framesOf(invokeRecording('thinking-signature-text.chunks.txt')))
    assertWellFormed(events)
    expect(events[0]).toMatchObject({ type: 'start', id: 'msg_01Y6V41gqPaKWEw7iPouH7iW' })
    expect(of(events, 'block_start').map((b) => b.block)).toEqual([{ kind: 'reasoning', origin: 'anthropic' }, { kind: 'text' }])
    expect(of(events, 'reasoning_signature')).toHaveLength(1)
    expect(of(events, 'finish')).toHaveLength(1)
    expect(of(events, 'error')).toHaveLength(0)
  })

  test('an exception frame after chunks keeps its AWS status', () => {
    const frames = framesOf([...invokeRecording('thinking-signature-text.chunks.txt').slice(0, 4), exceptionMessage('throttlingException', 'slow down')])
    const events = decodeAll(frames)
    assertWellFormed(events)
    expect(of(events, 'error')[0]).toMatchObject({ status: 429, kind: 'rate_limit' })
  })
})
