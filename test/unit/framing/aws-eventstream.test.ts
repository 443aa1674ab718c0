import { describe, expect, test } from 'bun:test'
import { crc32 as sliceBy8 } from '../../../src/framing/crc32'
import { EventStreamParser, FRAMING_ERROR, type EventFrame } from '../../../src/framing/aws-eventstream'
import { crc32, encodeMessage, eventMessage, exceptionMessage } from '../../helpers/aws-eventstream'

const parse = (chunks: Uint8Array[]): EventFrame[] => {
  const out: EventFrame[] = []
  const p = new EventStreamParser((f) => out.push(f))
  for (const c of chunks) p.feed(c)
  p.end()
  return out
}

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

const MESSAGES = [
  eventMessage('messageStart', { role: 'assistant' }),
  eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'héllo ✓ 🎉' } }),
  eventMessage('contentBlockStop', { contentBlockIndex: 0 }),
  exceptionMessage('throttlingException', 'Too many requests'),
]
const WANT: EventFrame[] = [
  { event: 'messageStart', data: '{"role":"assistant"}' },
  { event: 'contentBlockDelta', data: '{"contentBlockIndex":0,"delta":{"text":"héllo ✓ 🎉"}}' },
  { event: 'contentBlockStop', data: '{"contentBlockIndex":0}' },
  { data: '{"message":"Too many requests"}', exception: 'throttlingException' },
]

describe('AWS event-stream parser', () => {
  test('the helper CRC is CRC-32/IEEE, as is Bun.hash.crc32', () => {
    const b = new TextEncoder().encode('123456789')
    expect(crc32(b)).toBe(0xcbf43926)
    expect(Bun.hash.crc32(b)).toBe(0xcbf43926)
  })

  test('the slicing-by-8 CRC agrees with the plain table CRC on every range of random bytes', () => {
    const b = new Uint8Array(300)
    for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24
    for (let from = 0; from < 20; from++) for (let to = from; to < b.length; to += 13) expect(sliceBy8(b, from, to)).toBe(crc32(b.subarray(from, to)))
  })

  test('whole messages in one chunk', () => {
    expect(parse([concat(MESSAGES)])).toEqual(WANT)
  })

  test('split at every byte offset gives the same frames', () => {
    const all = concat(MESSAGES)
    for (let cut = 1; cut < all.length; cut++) expect(parse([all.subarray(0, cut), all.subarray(cut)])).toEqual(WANT)
  })

  test('one byte at a time', () => {
    const all = concat(MESSAGES)
    expect(parse(Array.from(all, (b) => Uint8Array.of(b)))).toEqual(WANT)
  })

  test('three-way splits around every message boundary', () => {
    const all = concat(MESSAGES)
    for (let a = 1; a < 40; a++) for (let b = a + 1; b < all.length; b += 7) expect(parse([all.subarray(0, a), all.subarray(a, b), all.subarray(b)])).toEqual(WANT)
  })

  test('non-string headers are skipped, their sizes respected', () => {
    // :event-type, then a bool, an int32, a byte array and a timestamp header
    const enc = new TextEncoder()
    const plain = encodeMessage({ ':event-type': 'metadata', ':message-type': 'event' }, '{}')
    const hl = new DataView(plain.buffer).getUint32(4)
    const extra = [1, ...enc.encode('b'), 0, 1, ...enc.encode('i'), 4, 0, 0, 0, 9, 1, ...enc.encode('a'), 6, 0, 2, 7, 7, 1, ...enc.encode('t'), 8, 0, 0, 0, 0, 0, 0, 0, 1]
    const headers = [...plain.subarray(12, 12 + hl), ...extra]
    const payload = new TextEncoder().encode('{"x":1}')
    const total = 12 + headers.length + payload.length + 4
    const out = new Uint8Array(total)
    const v = new DataView(out.buffer)
    v.setUint32(0, total)
    v.setUint32(4, headers.length)
    v.setUint32(8, crc32(out.subarray(0, 8)))
    out.set(headers, 12)
    out.set(payload, 12 + headers.length)
    v.setUint32(total - 4, crc32(out.subarray(0, total - 4)))
    expect(parse([out])).toEqual([{ event: 'metadata', data: '{"x":1}' }])
  })

  test('an error message (:error-code / :error-message) is an exception frame', () => {
    const m = encodeMessage({ ':message-type': 'error', ':error-code': 'InternalFailure', ':error-message': 'boom' }, '')
    expect(parse([m])).toEqual([{ data: '{"message":"boom"}', exception: 'InternalFailure' }])
  })

  test('a message CRC mismatch fails the stream once, nothing after it', () => {
    const bad = MESSAGES[1].slice()
    bad[bad.length - 10] ^= 1
    const out = parse([MESSAGES[0], bad, MESSAGES[2]])
    expect(out).toHaveLength(2)
    expect(out[0]).toEqual(WANT[0])
    expect(out[1].exception).toBe(FRAMING_ERROR)
    expect(out[1].data).toContain('message CRC mismatch')
  })

  test('a prelude CRC mismatch is caught before waiting for the claimed length', () => {
    const bad = MESSAGES[0].slice()
    bad[1] = 0x7f // total length now ~8 MB: must not be waited for
    const out = parse([bad.subarray(0, 12)])
    expect(out).toHaveLength(1)
    expect(out[0].data).toContain('prelude CRC mismatch')
  })

  test('an impossible length with a valid prelude CRC is refused', () => {
    const pre = new Uint8Array(12)
    const v = new DataView(pre.buffer)
    v.setUint32(0, 0xffffff00)
    v.setUint32(4, 0)
    v.setUint32(8, crc32(pre.subarray(0, 8)))
    const out = parse([pre])
    expect(out[0].exception).toBe(FRAMING_ERROR)
    expect(out[0].data).toContain('impossible')
  })

  test('a stream cut inside a message ends with a framing error', () => {
    const all = concat(MESSAGES.slice(0, 2))
    const out = parse([all.subarray(0, all.length - 3)])
    expect(out[0]).toEqual(WANT[0])
    expect(out[1].exception).toBe(FRAMING_ERROR)
    expect(out[1].data).toContain('ended in the middle of a message')
  })

  test('a 1 MB message split in ~1000 pieces', () => {
    const big = eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'x'.repeat(1 << 20) } })
    const chunks: Uint8Array[] = []
    for (let o = 0; o < big.length; o += 1049) chunks.push(big.subarray(o, o + 1049))
    const out = parse(chunks)
    expect(out).toHaveLength(1)
    expect(out[0].data).toBe(JSON.stringify({ contentBlockIndex: 0, delta: { text: 'x'.repeat(1 << 20) } }))
  })
})
