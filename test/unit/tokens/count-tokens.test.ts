import { beforeAll, describe, expect, test } from 'bun:test'
import type { CanonRequest, CanonTool } from '../../../src/canonical/request'
import { countRequestTokens, countTextTokens, truncateTextTokens, warmTokenizer } from '../../../src/tokens/count-tokens'
import { PNG_3X2, pngHeader } from './images'

const WEATHER: CanonTool = {
  name: 'get_weather',
  description: 'Get the weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
}

const userText = (text: string): CanonRequest => ({ model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text }] }], stream: false })

// the one-time table load (~0.7 s) must not count against the speed test below
beforeAll(warmTokenizer)

describe('countTextTokens (o200k_base)', () => {
  // expected values computed once with gpt-tokenizer's o200k_base in a REPL
  test.each([
    ['', 0],
    ['hello world', 2],
    ['Hello, world!', 4],
    ['The quick brown fox jumps over the lazy dog.', 10],
    ['{"city":"Paris"}', 5],
    ['tokenization is fun 🎉', 6],
    ['こんにちは世界', 2],
  ])('%p → %p', (text, n) => {
    expect(countTextTokens(text)).toBe(n)
  })

  test('special-token look-alikes are counted as plain text instead of throwing', () => {
    expect(countTextTokens('<|endoftext|>')).toBe(7)
  })

  test('100 KB of text is counted fast', () => {
    const text = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(1800) // 102,600 chars
    const t0 = performance.now()
    const n = countTextTokens(text)
    const ms = performance.now() - t0
    expect(n).toBe(18001)
    expect(ms).toBeLessThan(250)
  })
})

describe('truncateTextTokens', () => {
  test('keeps the longest token prefix that fits', () => {
    const text = 'The quick brown fox jumps over the lazy dog.'
    expect(truncateTextTokens(text, 3)).toBe('The quick brown')
    expect(truncateTextTokens(text, 100)).toBe(text)
    expect(truncateTextTokens(text, 0)).toBe('')
  })

  test('never ends in half a character', () => {
    const cut = truncateTextTokens('🎉🎉🎉🎉', 1)
    expect(cut).not.toContain('\uFFFD')
    expect('🎉🎉🎉🎉'.startsWith(cut)).toBe(true)
  })
})

describe('countRequestTokens', () => {
  test('system, named user turn, reasoning, tool call, tool result and tool definitions', () => {
    const req: CanonRequest = {
      model: 'gpt-x',
      system: [{ type: 'text', text: 'You are a helpful assistant.' }], // 6
      messages: [
        { role: 'user', name: 'alice', parts: [{ type: 'text', text: 'hello world' }] }, // 2 + name 1
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Let me think', origin: 'anthropic', signature: 'sig' }, // 3
            { type: 'tool_call', id: 'c1', name: 'get_weather', argumentsJson: '{"city":"Paris"}' }, // 2 + 5
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'c1', name: 'get_weather', content: [{ type: 'text', text: 'Sunny, 21°C' }] }] }, // 2 + 5
      ],
      tools: [WEATHER], // 2 + 19 + 6
      stream: false,
    }
    // priming 3 + system (3+6) + user (3+2+1+1) + assistant (3+3+2+5) + tool result (3+2+5) + tools 27
    expect(countRequestTokens(req)).toBe(69)
  })

  test('a tool definition adds its name, description and schema', () => {
    const base = userText('hello world')
    expect(countRequestTokens(base)).toBe(3 + 3 + 2)
    expect(countRequestTokens({ ...base, tools: [WEATHER] }) - countRequestTokens(base)).toBe(2 + 6 + 19)
  })

  test('images: known size by the Anthropic formula, unknown size flat', () => {
    const withImage = (source: { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string }): CanonRequest => ({
      ...userText(''),
      messages: [{ role: 'user', parts: [{ type: 'image', source }] }],
    })
    const overhead = 3 + 3
    // 3x2 px → ceil(6 / 750) = 1
    expect(countRequestTokens(withImage({ kind: 'base64', mediaType: 'image/png', data: PNG_3X2 }))).toBe(overhead + 1)
    // 1000x500 → 500000 / 750 = 666.7 → 667
    expect(countRequestTokens(withImage({ kind: 'base64', mediaType: 'image/png', data: pngHeader(1000, 500) }))).toBe(overhead + 667)
    // 4000x3000 is downscaled by the upstream: capped at 1,600
    expect(countRequestTokens(withImage({ kind: 'base64', mediaType: 'image/png', data: pngHeader(4000, 3000) }))).toBe(overhead + 1600)
    // data URL given as a URL: still measured
    expect(countRequestTokens(withImage({ kind: 'url', url: `data:image/png;base64,${PNG_3X2}` }))).toBe(overhead + 1)
    expect(countRequestTokens(withImage({ kind: 'url', url: 'https://example.com/cat.png' }))).toBe(overhead + 1600)
    expect(countRequestTokens(withImage({ kind: 'base64', mediaType: 'image/png', data: 'bm90IGFuIGltYWdl' }))).toBe(overhead + 1600)
  })

  test('images inside tool results are counted', () => {
    const req: CanonRequest = {
      ...userText(''),
      messages: [
        {
          role: 'user',
          parts: [{ type: 'tool_result', callId: 'c', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: pngHeader(1000, 500) } }] }],
        },
      ],
    }
    expect(countRequestTokens(req)).toBe(3 + 3 + 667)
  })

  test('a text file is decoded and counted', () => {
    const req: CanonRequest = {
      ...userText(''),
      messages: [{ role: 'user', parts: [{ type: 'file', data: Buffer.from('hello world').toString('base64'), mediaType: 'text/plain' }] }],
    }
    expect(countRequestTokens(req)).toBe(3 + 3 + 2)
  })

  test('never throws on a schema that cannot be serialised', () => {
    const cyclic: Record<string, unknown> = { type: 'object' }
    cyclic.self = cyclic
    const req: CanonRequest = { ...userText('hello world'), tools: [{ name: 'get_weather', parameters: cyclic }] }
    expect(countRequestTokens(req)).toBe(3 + 3 + 2 + 2)
  })
})
