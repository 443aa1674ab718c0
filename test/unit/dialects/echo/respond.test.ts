import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../../../src/canonical/event'
import { foldEvents } from '../../../../src/canonical/fold-events'
import type { CanonMessage, CanonRequest, CanonTool } from '../../../../src/canonical/request'
import { ECHO_DIALECT_NAME, echoProvider, echoRespond } from '../../../../src/dialects/echo'
import { countRequestTokens, countTextTokens } from '../../../../src/tokens/count-tokens'

const counterIds = () => {
  let n = 0
  return { newId: (prefix: string) => `${prefix}${++n}` }
}

const WEATHER: CanonTool = { name: 'get_weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }
const TIME: CanonTool = { name: 'get_time', parameters: { type: 'object', properties: {} } }
const PATCH: CanonTool = { name: 'apply_patch', parameters: {}, custom: { format: { type: 'grammar' } } }

const user = (text: string): CanonMessage => ({ role: 'user', parts: [{ type: 'text', text }] })
const request = (text: string, extra: Partial<CanonRequest> = {}): CanonRequest => ({
  model: 'echo-1',
  system: [],
  messages: [user(text)],
  stream: true,
  ...extra,
})

/** The canonical stream invariants (src/canonical/event.ts), checked event by event. */
function expectInvariants(events: CanonEvent[]): void {
  expect(events[0].type).toBe('start')
  expect(events[events.length - 1].type).toBe('end')
  expect(events.filter((e) => e.type === 'start')).toHaveLength(1)
  expect(events.filter((e) => e.type === 'end')).toHaveLength(1)
  const open = new Map<number, string>()
  let next = 0
  let finished = false
  for (const ev of events) {
    switch (ev.type) {
      case 'block_start':
        expect(ev.index).toBe(next++)
        expect(finished).toBe(false)
        open.set(ev.index, ev.block.kind)
        break
      case 'text_delta':
        expect(open.get(ev.index)).toBe('text')
        expect(ev.text.length).toBeGreaterThan(0)
        break
      case 'reasoning_delta':
        expect(open.get(ev.index)).toBe('reasoning')
        break
      case 'tool_args_delta':
        expect(open.get(ev.index)).toBe('tool_call')
        break
      case 'block_stop':
        expect(open.has(ev.index)).toBe(true)
        open.delete(ev.index)
        break
      case 'finish':
        expect(finished).toBe(false)
        expect(open.size).toBe(0)
        finished = true
        break
    }
  }
  expect(open.size).toBe(0)
  if (!events.some((e) => e.type === 'error')) expect(finished).toBe(true)
}

const deltas = (events: CanonEvent[], type: 'text_delta' | 'tool_args_delta' | 'reasoning_delta') => events.filter((e) => e.type === type)

describe('echo provider: text', () => {
  test('echoes the last user text with a summary line, streamed at word boundaries', () => {
    const text = 'Please repeat this sentence back to me, word for word, so I can check the stream.'
    const req: CanonRequest = {
      ...request(text, { maxOutputTokens: 500 }),
      system: [{ type: 'text', text: 'You are a very careful assistant.\nYou always answer in English, briefly and politely.' }],
      messages: [
        user('first question'),
        { role: 'assistant', parts: [{ type: 'text', text: 'first answer' }] },
        { role: 'user', parts: [{ type: 'text', text }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
      ],
      tools: [WEATHER],
    }
    const events = echoRespond(req, counterIds())
    expectInvariants(events)
    const res = foldEvents(events)
    expect(res.id).toBe('msg_echo_1')
    expect(res.model).toBe('echo-1')
    expect(res.finish).toBe('stop')
    expect(res.parts).toEqual([
      {
        type: 'text',
        text:
          `echo: ${text}\n(model echo-1, 3 messages, 1 tools, ` +
          'system: You are a very careful assistant. You always answer in Engli…, images: 1, max tokens: 500)',
      },
    ])
    const pieces = deltas(events, 'text_delta')
    expect(pieces.length).toBeGreaterThanOrEqual(5)
    expect(pieces.length).toBeLessThanOrEqual(8)
    // every piece but the last ends right after a whitespace: no word is cut
    for (const p of pieces.slice(0, -1)) expect(p.type === 'text_delta' && /\s$/.test(p.text)).toBe(true)
  })

  test('no system, no tools, default max tokens', () => {
    const res = foldEvents(echoRespond(request('hi'), counterIds()))
    expect(res.parts).toEqual([{ type: 'text', text: 'echo: hi\n(model echo-1, 1 messages, 0 tools, system: none, images: 0, max tokens: default)' }])
  })

  test('usage: input is the local request count, output the count of what was emitted', () => {
    const req = request('count me please', { system: [{ type: 'text', text: 'sys' }], tools: [WEATHER] })
    const events = echoRespond(req, counterIds())
    const res = foldEvents(events)
    const start = events[0]
    expect(start.type === 'start' && start.usage?.inputTokens).toBe(countRequestTokens(req))
    const text = res.parts[0].type === 'text' ? res.parts[0].text : ''
    expect(res.usage).toEqual({ inputTokens: countRequestTokens(req), outputTokens: countTextTokens(text) })
  })

  test('a turn of only tool results echoes their content and calls nothing again', () => {
    const req: CanonRequest = {
      ...request('', { tools: [WEATHER] }),
      messages: [
        user('CALL get_weather {"city":"Paris"}'),
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_echo_1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'call_echo_1', content: [{ type: 'text', text: 'Sunny, 21°C' }] }] },
      ],
    }
    const events = echoRespond(req, counterIds())
    expectInvariants(events)
    const res = foldEvents(events)
    expect(res.finish).toBe('stop')
    expect(res.parts[0].type === 'text' && res.parts[0].text.startsWith('echo: Sunny, 21°C\n(model echo-1, 3 messages')).toBe(true)
  })

  test('deterministic: same request and ids, same events', () => {
    const req = request('same every time', { reasoning: { effort: 'high' } })
    expect(echoRespond(req, counterIds())).toEqual(echoRespond(req, counterIds()))
  })
})

describe('echo provider: tool calls', () => {
  test('CALL <tool> <json> streams one tool call in several argument pieces', () => {
    const events = echoRespond(request('CALL get_weather {"city":"Paris"}', { tools: [WEATHER, TIME] }), counterIds())
    expectInvariants(events)
    expect(deltas(events, 'tool_args_delta').length).toBeGreaterThan(1)
    const res = foldEvents(events)
    expect(res.finish).toBe('tool_calls')
    expect(res.parts).toEqual([{ type: 'tool_call', id: 'call_echo_2', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }])
    expect(res.usage.outputTokens).toBe(countTextTokens('get_weather') + countTextTokens('{"city":"Paris"}'))
  })

  test('several CALL lines become parallel calls; JSON is optional', () => {
    const text = 'Do both:\nCALL get_weather {"city":"Paris"}\n  CALL get_time\nthanks'
    const res = foldEvents(echoRespond(request(text, { tools: [WEATHER, TIME] }), counterIds()))
    expect(res.finish).toBe('tool_calls')
    expect(res.parts).toEqual([
      { type: 'tool_call', id: 'call_echo_2', name: 'get_weather', argumentsJson: '{"city":"Paris"}' },
      { type: 'tool_call', id: 'call_echo_3', name: 'get_time', argumentsJson: '{}' },
    ])
  })

  test('parallelToolCalls: false keeps only the first call', () => {
    const text = 'CALL get_weather {"city":"Paris"}\nCALL get_time'
    const res = foldEvents(echoRespond(request(text, { tools: [WEATHER, TIME], parallelToolCalls: false }), counterIds()))
    expect(res.parts.map((p) => p.type === 'tool_call' && p.name)).toEqual(['get_weather'])
  })

  test('a custom tool takes the rest of the line raw', () => {
    const res = foldEvents(echoRespond(request('CALL apply_patch *** Begin Patch', { tools: [PATCH] }), counterIds()))
    expect(res.parts).toEqual([{ type: 'tool_call', id: 'call_echo_2', name: 'apply_patch', argumentsJson: '*** Begin Patch', custom: true }])
  })

  test('no call without tools, for an undeclared tool, with bad JSON, or with tool choice none', () => {
    const cases: CanonRequest[] = [
      request('CALL get_weather {"city":"Paris"}'),
      request('CALL launch_rocket {}', { tools: [WEATHER] }),
      request('CALL get_weather {city: Paris}', { tools: [WEATHER] }),
      request('CALL get_weather [1,2]', { tools: [WEATHER] }),
      request('CALL get_weather {"city":"Paris"}', { tools: [WEATHER], toolChoice: { type: 'none' } }),
    ]
    for (const req of cases) {
      const events = echoRespond(req, counterIds())
      expectInvariants(events)
      const res = foldEvents(events)
      expect(res.finish).toBe('stop')
      expect(res.parts).toHaveLength(1)
      expect(res.parts[0].type).toBe('text')
    }
  })

  test('a CALL in an earlier user turn is not repeated', () => {
    const req = request('', { tools: [WEATHER] })
    req.messages = [user('CALL get_weather {}'), { role: 'assistant', parts: [{ type: 'text', text: 'ok' }] }, user('and now?')]
    expect(foldEvents(echoRespond(req, counterIds())).finish).toBe('stop')
  })
})

describe('echo provider: errors, reasoning, limits', () => {
  test('ERROR <status> answers with start, error, end', () => {
    const events = echoRespond(request('please fail with ERROR 429 now'), counterIds())
    expectInvariants(events)
    expect(events).toEqual([
      { type: 'start', id: 'msg_echo_1', model: 'echo-1' },
      { type: 'error', status: 429, kind: 'rate_limit', message: 'echo: simulated error 429' },
      { type: 'end' },
    ])
    expect(() => foldEvents(events)).toThrow('echo: simulated error 429')
    const e503 = echoRespond(request('ERROR 503'), counterIds())[1]
    expect(e503.type === 'error' && e503.kind).toBe('overloaded')
  })

  test('ERROR with a non-error status is just text', () => {
    expect(foldEvents(echoRespond(request('ERROR 200'), counterIds())).finish).toBe('stop')
  })

  test('requested reasoning comes first as a neutral openai-origin block without signature', () => {
    for (const reasoning of [{ effort: 'medium' as const }, { budgetTokens: 1024 }]) {
      const events = echoRespond(request('think about this', { reasoning }), counterIds())
      expectInvariants(events)
      expect(events[1]).toEqual({ type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } })
      expect(deltas(events, 'reasoning_delta').length).toBeGreaterThan(1)
      expect(events.some((e) => e.type === 'reasoning_signature')).toBe(false)
      const res = foldEvents(events)
      expect(res.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
      const thought = res.parts[0].type === 'reasoning' ? res.parts[0].text : ''
      const text = res.parts[1].type === 'text' ? res.parts[1].text : ''
      expect(thought).not.toContain('\n')
      expect(res.usage.reasoningTokens).toBe(countTextTokens(thought))
      expect(res.usage.outputTokens).toBe(countTextTokens(thought) + countTextTokens(text))
    }
  })

  test('reasoning also precedes tool calls', () => {
    const res = foldEvents(echoRespond(request('CALL get_time', { tools: [TIME], reasoning: { effort: 'low' } }), counterIds()))
    expect(res.parts.map((p) => p.type)).toEqual(['reasoning', 'tool_call'])
    expect(res.finish).toBe('tool_calls')
  })

  test('no reasoning when disabled or effort none', () => {
    for (const reasoning of [{ effort: 'high' as const, enabled: false }, { effort: 'none' as const }, { summary: 'auto' as const }]) {
      const res = foldEvents(echoRespond(request('x', { reasoning }), counterIds()))
      expect(res.parts.map((p) => p.type)).toEqual(['text'])
    }
  })

  test('maxOutputTokens cuts the text and finishes with length', () => {
    const full = foldEvents(echoRespond(request('a fairly long message that will not fit'), counterIds()))
    const fullText = full.parts[0].type === 'text' ? full.parts[0].text : ''
    const events = echoRespond(request('a fairly long message that will not fit', { maxOutputTokens: 8 }), counterIds())
    expectInvariants(events)
    const res = foldEvents(events)
    expect(res.finish).toBe('length')
    const text = res.parts[0].type === 'text' ? res.parts[0].text : ''
    expect(fullText.startsWith(text)).toBe(true)
    expect(text.length).toBeLessThan(fullText.length)
    expect(res.usage.outputTokens).toBe(countTextTokens(text))
    expect(res.usage.outputTokens).toBeLessThanOrEqual(8)
  })

  test('a budget spent on reasoning leaves no text block (never an empty one)', () => {
    const events = echoRespond(request('CALL get_time', { tools: [TIME], reasoning: { effort: 'low' }, maxOutputTokens: 3 }), counterIds())
    expectInvariants(events)
    const res = foldEvents(events)
    expect(res.finish).toBe('length')
    expect(res.parts.map((p) => p.type)).toEqual(['reasoning'])
    expect(res.usage.outputTokens).toBe(3)
  })

  test('a budget that fits exactly is not a truncation', () => {
    // the summary line names the limit, so find the limit equal to the reply's own size
    let limit = 100
    for (let i = 0; i < 5; i++) limit = foldEvents(echoRespond(request('exact fit', { maxOutputTokens: limit }), counterIds())).usage.outputTokens
    const res = foldEvents(echoRespond(request('exact fit', { maxOutputTokens: limit }), counterIds()))
    expect(res.usage.outputTokens).toBe(limit)
    expect(res.finish).toBe('stop')
  })
})

test('echoProvider is the named local provider', () => {
  expect(ECHO_DIALECT_NAME).toBe('echo')
  expect(echoProvider.name).toBe('echo')
  expect(echoProvider.respond).toBe(echoRespond)
})
