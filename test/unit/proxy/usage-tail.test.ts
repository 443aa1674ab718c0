import { expect, test } from 'bun:test'
import { DIALECTS } from '../../../src/dialects'
import { boundedEvents, StreamLimitError } from '../../../src/proxy/bounded-stream'
import { lastUsageObject, UsageTail } from '../../../src/proxy/usage-tail'
import type { OpeningTranslator } from '../../../src/proxy/translate-stream'

const enc = new TextEncoder()

test('UsageTail keeps at most ~1 MiB of a 50 MB body and still reads each dialect\'s usage from the tail', () => {
  const bodies: Array<[string, string]> = [
    ['openai-chat', JSON.stringify({ id: 'c', choices: [{ index: 0, message: { role: 'assistant', content: 'A'.repeat(50e6) }, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 9, total_tokens: 13 } })],
    ['anthropic', JSON.stringify({ id: 'm', type: 'message', content: [{ type: 'text', text: 'say "usage":{"input_tokens":99} please'.repeat(1e6) }], usage: { input_tokens: 4, output_tokens: 9 } })],
    ['gemini', JSON.stringify({ candidates: [{ content: { parts: [{ text: 'B'.repeat(3e6) }] } }], usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 9 }, modelVersion: 'g' })],
    ['openai-responses', JSON.stringify({ id: 'r', output: [{ type: 'message', content: [{ type: 'output_text', text: 'C'.repeat(3e6) }] }], usage: { input_tokens: 4, output_tokens: 9, total_tokens: 13 }, metadata: {} })],
  ]
  for (const [dialect, body] of bodies) {
    const tail = new UsageTail()
    const bytes = enc.encode(body)
    let maxHeld = 0
    for (let i = 0; i < bytes.length; i += 65536) {
      tail.push(bytes.subarray(i, i + 65536))
      maxHeld = Math.max(maxHeld, tail.held)
    }
    expect([dialect, maxHeld <= 1024 * 1024 + 65536]).toEqual([dialect, true])
    expect(tail.usage(DIALECTS[dialect as 'anthropic']!)).toMatchObject({ inputTokens: 4, outputTokens: 9 })
  }
})

test('lastUsageObject skips look-alikes inside strings', () => {
  expect(lastUsageObject('{"a":"x \\"usage\\":{\\"n\\":1}","usage":{"n":2},"z":"\\"usage\\":{}"}')).toEqual({ key: 'usage', json: '{"n":2}' })
  expect(lastUsageObject('{"usage":null}')).toBeUndefined()
})

test('boundedEvents counts bytes since the last blank line (LF, CR, CRLF, split across chunks)', () => {
  const inner: OpeningTranslator = { observed: { usage: { inputTokens: 0, outputTokens: 0 } }, opened: true, openingError: undefined, chunk: (b) => b, end: () => undefined, fail: () => undefined }
  const ok = boundedEvents(inner, 10, 'p')
  for (const piece of ['data: 12\n', '\n', 'data: 1234\r\n\r\n', 'data: 12\r', '\r', 'data: 1\n\n']) expect(() => ok.chunk(enc.encode(piece))).not.toThrow()
  const line = boundedEvents(inner, 10, 'p')
  line.chunk(enc.encode('data: 1234'))
  expect(() => line.chunk(enc.encode('5'))).toThrow(StreamLimitError)
  const event = boundedEvents(inner, 10, 'p')
  event.chunk(enc.encode('data: 1\n'))
  expect(() => event.chunk(enc.encode('data: 2\n'))).toThrow('max_event_size')
})
