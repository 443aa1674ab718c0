import { describe, expect, test } from 'bun:test'
import { readFixture } from '../../test/helpers/fixtures'
import { anthropicJson, anthropicStream, openaiJson, openaiStream, shapeOf } from '../mock-wire'

const dec = new TextDecoder()
const text = (b: Uint8Array) => dec.decode(b)

/** a recording from test/fixtures, as 'dialect/name' */
const fixture = (p: string) => readFixture(p.slice(0, p.indexOf('/')), p.slice(p.indexOf('/') + 1))

describe('shapeOf', () => {
  test('reads chunks and delay from the model name; headers win; defaults and bounds', () => {
    expect(shapeOf('gpt-bench-c2000-d5')).toEqual({ chunks: 2000, delayMs: 5 })
    expect(shapeOf('claude-bench-c7-d0', new Headers({ 'x-mock-chunks': '3' }))).toEqual({ chunks: 3, delayMs: 0 })
    expect(shapeOf('gpt-4o')).toEqual({ chunks: 20, delayMs: 0 })
    expect(shapeOf('gpt-bench-c999999999')).toEqual({ chunks: 100_000, delayMs: 0 })
  })
})

describe('OpenAI Chat bodies', () => {
  test('stream: role chunk, one delta per chunk, finish, usage chunk, [DONE]; same keys as the fixture', () => {
    const body = openaiStream('gpt-bench-c3', 3, true)
    if (body.kind !== 'sse') throw new Error('expected sse')
    const frames = body.frames.map(text)
    expect(frames).toHaveLength(1 + 3 + 1 + 1 + 1)
    expect(text(body.whole)).toBe(frames.join(''))
    expect(frames.at(-1)).toBe('data: [DONE]\n\n')
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)))
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual(['', 'Hello', ' tok1', ' tok2', null, null])
    expect(chunks[4].choices[0].finish_reason).toBe('stop')
    expect(chunks[5].choices).toEqual([])
    expect(chunks[5].usage.completion_tokens).toBe(3)
    const real = JSON.parse(fixture('openai-chat/text-usage-obfuscation.chunks.txt').split('\n')[1])
    delete real.obfuscation
    expect(Object.keys(chunks[1]).sort()).toEqual(Object.keys(real).sort())
  })

  test('stream without include_usage has no usage key and no usage chunk', () => {
    const body = openaiStream('m', 1, false)
    if (body.kind !== 'sse') throw new Error('expected sse')
    expect(body.frames).toHaveLength(4)
    expect(JSON.parse(text(body.frames[0]).slice(6))).not.toHaveProperty('usage')
  })

  test('json has the keys of the recorded completion', () => {
    const body = openaiJson('gpt-x', 2)
    if (body.kind !== 'json') throw new Error('expected json')
    const ours = JSON.parse(text(body.body))
    expect(Object.keys(ours).sort()).toEqual(Object.keys(JSON.parse(fixture('openai-chat/text.json'))).sort())
    expect(ours.choices[0].message.content).toBe('Hello tok1')
  })
})

describe('Anthropic bodies', () => {
  test('stream has the event sequence of the recording, with N text deltas', () => {
    const body = anthropicStream('claude-bench-c3', 3)
    if (body.kind !== 'sse') throw new Error('expected sse')
    const events = (s: string) => [...s.matchAll(/^event: (\w+)$/gm)].map((m) => m[1])
    expect(events(text(body.whole))).toEqual(events(fixture('anthropic/text-basic.sse')))
    for (const f of body.frames.map(text)) {
      const [ev, data] = f.split('\n')
      expect(JSON.parse(data.slice(6)).type).toBe(ev.slice(7))
    }
  })

  test('json has the keys of the recorded message', () => {
    const body = anthropicJson('claude-x', 2)
    if (body.kind !== 'json') throw new Error('expected json')
    const ours = JSON.parse(text(body.body))
    const real = JSON.parse(fixture('anthropic/text.json'))
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort())
    expect(Object.keys(ours.usage).sort()).toEqual(Object.keys(real.usage).sort())
  })
})
