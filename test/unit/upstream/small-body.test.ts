// readBodyText reads a small body of known length in one call (readSmallBody) and anything else
// read by read: both give the same text for the same bytes, however the network split them.
import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors'
import { readBodyText, type BodyBounds } from '../../../src/upstream/bounded-body'

const bounds = (o: Partial<BodyBounds> = {}): BodyBounds => ({ providerName: 'p', idleMs: 5_000, deadline: Infinity, abort: () => {}, maxBytes: 1 << 20, ...o })

/** `bytes` as a body arriving in pieces of `size`, with or without its content-length */
function answer(bytes: Uint8Array, size: number, known: boolean): Response {
  let at = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (at >= bytes.length) return c.close()
      c.enqueue(bytes.slice(at, (at += size)))
    },
  })
  return new Response(body, { headers: known ? { 'content-length': String(bytes.length) } : {} })
}

const enc = new TextEncoder()
const samples: Record<string, Uint8Array> = {
  ascii: enc.encode('{"id":"chatcmpl-1","choices":[{"message":{"content":"hello"}}],"usage":{"prompt_tokens":3}}'),
  multibyte: enc.encode('{"content":"ü 😀 日本語 \u2028 end"}'),
  bom: new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode('{"a":1}')]),
  invalid: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d, 0xe2, 0x82]),
  empty: new Uint8Array(0),
}

describe('readBodyText: known small length in one read, the same text as read by read', () => {
  for (const [name, bytes] of Object.entries(samples))
    test(name, async () => {
      const plain = await readBodyText(answer(bytes, 1, false), bounds())
      expect(plain).toBe(new TextDecoder().decode(bytes))
      for (const size of [1, 2, 3, 5, 64]) expect(await readBodyText(answer(bytes, size, true), bounds())).toBe(plain)
    })

  test('a known-length body that stalls ends at idle_timeout, and the upstream is let go', async () => {
    const aborted: string[] = []
    const stalled = new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(enc.encode('{"partial":'))
        },
      }),
      { headers: { 'content-length': '100' } },
    )
    const started = performance.now()
    const err = await readBodyText(stalled, bounds({ idleMs: 80, abort: (why) => aborted.push(why) })).catch((e) => e)
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).code).toBe('upstream_timeout')
    expect((err as GatewayError).message).toContain('idle_timeout')
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(aborted).toEqual(['idle'])
  })

  test('the deadline, when sooner than idle_timeout, says request_timeout', async () => {
    const stalled = new Response(new ReadableStream<Uint8Array>({ start() {} }), { headers: { 'content-length': '10' } })
    const err = (await readBodyText(stalled, bounds({ idleMs: 5_000, deadline: performance.now() + 60 })).catch((e) => e)) as GatewayError
    expect(err.message).toContain('request_timeout')
  })

  test('a body that breaks is a 502 bad_upstream_response', async () => {
    const broken = new Response(
      new ReadableStream<Uint8Array>({
        pull(c) {
          c.error(new Error('connection reset'))
        },
      }),
      { headers: { 'content-length': '10' } },
    )
    const err = (await readBodyText(broken, bounds()).catch((e) => e)) as GatewayError
    expect(err.status).toBe(502)
    expect(err.code).toBe('bad_upstream_response')
  })

  test('over max_response_size by its content-length: refused before reading, small or not', async () => {
    const err = (await readBodyText(answer(samples.ascii, 8, true), bounds({ maxBytes: 10 })).catch((e) => e)) as GatewayError
    expect(err.code).toBe('bad_upstream_response')
    expect(err.message).toContain('max_response_size')
  })
})
