import { describe, expect, test } from 'bun:test'
import { formatSse, parseSseText, sseDecodeStream, SseParser, type SseFrame } from '../../../src/framing/sse'

const TEXT = [
  'event: message_start\ndata: {"type":"message_start","text":"héllo 🌍 世界"}\n\n',
  ': keep-alive comment\n\n',
  'data: {"a":1}\r\n\r\n',
  'data: line one\ndata: line two\n\n',
  'id: 7\nevent: x\ndata:no-space\n\n',
  'event: ping\ndata: {"type":"ping"}\r\r',
  'data: [DONE]\n\n',
].join('')

const EXPECTED: SseFrame[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo 🌍 世界"}' },
  { data: '{"a":1}' },
  { data: 'line one\nline two' },
  { event: 'x', data: 'no-space', id: '7' },
  { event: 'ping', data: '{"type":"ping"}' },
  { data: '[DONE]' },
]

async function decodeBytes(pieces: Uint8Array[]): Promise<SseFrame[]> {
  const out: SseFrame[] = []
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      for (const p of pieces) c.enqueue(p)
      c.close()
    },
  }).pipeThrough(sseDecodeStream())
  for await (const f of stream) out.push(f)
  return out
}

describe('SSE parsing', () => {
  test('LF, CRLF and CR line ends, multi-line data, comments, event and id fields', () => {
    expect(parseSseText(TEXT)).toEqual(EXPECTED)
  })

  test('a final event without its blank line is still delivered', () => {
    expect(parseSseText('data: {"last":true}')).toEqual([{ data: '{"last":true}' }])
  })

  test('text split at every character offset gives the same frames', () => {
    for (let i = 0; i <= TEXT.length; i++) {
      const out: SseFrame[] = []
      const p = new SseParser((f) => out.push(f))
      p.feed(TEXT.slice(0, i))
      p.feed(TEXT.slice(i))
      p.flush()
      expect(out).toEqual(EXPECTED)
    }
  })

  test('bytes split at every offset (multi-byte UTF-8 cut in half) give the same frames', async () => {
    const bytes = new TextEncoder().encode(TEXT)
    for (let i = 0; i <= bytes.length; i++) {
      expect(await decodeBytes([bytes.subarray(0, i), bytes.subarray(i)])).toEqual(EXPECTED)
    }
  })

  test('one byte per chunk', async () => {
    const bytes = new TextEncoder().encode(TEXT)
    expect(await decodeBytes(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)))).toEqual(EXPECTED)
  })
})

describe('SSE formatting', () => {
  test('round trips through the parser, multi-line data included', () => {
    const frames: SseFrame[] = [{ event: 'a', data: '{"x":1}' }, { data: 'two\nlines' }, { data: 'cr\r\nlf' }]
    expect(parseSseText(frames.map(formatSse).join(''))).toEqual([{ event: 'a', data: '{"x":1}' }, { data: 'two\nlines' }, { data: 'cr\nlf' }])
  })
  test('comments are keep-alives that parse to nothing', () => {
    expect(formatSse({ comment: 'ping', data: '' })).toBe(': ping\n\n')
    expect(parseSseText(': ping\n\n')).toEqual([])
  })
})
