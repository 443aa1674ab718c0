import { describe, expect, test } from 'bun:test'
import type { CanonRequest } from '../../../src/canonical/request'
import type { CanonResponse } from '../../../src/canonical/response'
import { foldEvents } from '../../../src/canonical/fold-events'
import { cacheable, cacheKey, EventRecorder, eventsOf } from '../../../src/cache/cache-key'

const req = (more: Partial<CanonRequest> = {}): CanonRequest => ({ model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false, ...more })
const S = { ttl: 1000, any_temperature: false }

describe('response cache keys', () => {
  test('streamed or not is one key; owner, model asked for, content and parameters make different ones', () => {
    const k = cacheKey('a', 'alias', req())
    expect(cacheKey('a', 'alias', req({ stream: true, streamUsage: true }))).toBe(k)
    for (const other of [cacheKey('b', 'alias', req()), cacheKey('a', 'other', req()), cacheKey('a', 'alias', req({ maxOutputTokens: 5 })), cacheKey('a', 'alias', req({ messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi!' }] }] }))])
      expect(other).not.toBe(k)
  })

  test('cacheable: temperature > 0 only when allowed, never n > 1', () => {
    expect(cacheable(req(), S)).toBe(true)
    expect(cacheable(req({ temperature: 0 }), S)).toBe(true)
    expect(cacheable(req({ temperature: 0.2 }), S)).toBe(false)
    expect(cacheable(req({ temperature: 0.2 }), { ...S, any_temperature: true })).toBe(true)
    expect(cacheable(req({ n: 2 }), { ...S, any_temperature: true })).toBe(false)
  })

  test('a whole answer as events folds back to itself', () => {
    const res: CanonResponse = {
      id: 'r',
      model: 'm',
      created: 1,
      parts: [
        { type: 'reasoning', text: 'think', signature: 'sig', origin: 'x' },
        { type: 'text', text: 'hello' },
        { type: 'tool_call', id: 'c', name: 'f', argumentsJson: '{"a":1}' },
      ],
      finish: 'tool_calls',
      usage: { inputTokens: 3, outputTokens: 4 },
    }
    const back = foldEvents(eventsOf(res), 1)
    expect(back.parts).toEqual(res.parts)
    expect(back.finish).toBe('tool_calls')
  })

  test('the recorder keeps only clean, complete answers within its size', () => {
    const ok = new EventRecorder(10_000)
    for (const e of eventsOf({ id: 'r', model: 'm', created: 1, parts: [{ type: 'text', text: 'x' }], finish: 'stop', usage: { inputTokens: 1, outputTokens: 1 } })) ok.push(e)
    expect(ok.complete).toBe(true)
    const failed = new EventRecorder(10_000)
    failed.push({ type: 'error', status: 500, kind: 'api_error', message: 'x' })
    failed.push({ type: 'end' })
    expect(failed.complete).toBe(false)
    const big = new EventRecorder(100)
    for (const e of eventsOf({ id: 'r', model: 'm', created: 1, parts: [{ type: 'text', text: 'x'.repeat(500) }], finish: 'stop', usage: { inputTokens: 1, outputTokens: 1 } })) big.push(e)
    expect(big.complete).toBe(false)
    expect(big.events.length).toBe(0)
  })
})
