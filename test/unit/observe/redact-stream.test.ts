import { afterEach, expect, test } from 'bun:test'
import { clearSecrets, registerSecret } from '../../../src/observe/redact'
import { includesAny, StreamRedactor } from '../../../src/observe/redact-stream'

afterEach(clearSecrets)
const enc = new TextEncoder()
const dec = (parts: Array<Uint8Array | undefined>) => new TextDecoder().decode(Buffer.concat(parts.filter((p): p is Uint8Array => !!p)))

test('a key split at any offset is still redacted; masked forms too; other bytes unchanged (unicode included)', () => {
  const key = 'sk-ant-api03-AbCdEfGhIjKlMnOp-9876'
  registerSecret(key)
  const text = `data: {"error":"bad key ${key} — ünïcødé 🎉 sk-ant-…9876 and sk-ant-****9876"}\n\n`
  const bytes = enc.encode(text)
  for (let cut = 0; cut <= bytes.length; cut++) {
    for (const step of [1, 3, bytes.length]) {
      const r = new StreamRedactor()
      const out: Array<Uint8Array | undefined> = []
      const first = bytes.subarray(0, cut)
      for (let i = 0; i < first.length; i += step) out.push(r.push(first.subarray(i, i + step)))
      out.push(r.push(bytes.subarray(cut)))
      out.push(r.flush())
      const got = dec(out)
      expect(got).not.toContain(key)
      expect(got).not.toContain('…9876')
      expect(got).not.toContain('****9876')
      expect(got).toBe(`data: {"error":"bad key [REDACTED] — ünïcødé 🎉 [REDACTED] and [REDACTED]"}\n\n`)
    }
  }
})

test('a piece with nothing to redact is passed on as the same bytes', () => {
  registerSecret('sk-some-registered-key-1234')
  const r = new StreamRedactor()
  const b = enc.encode('data: {"x":"hello"}\n\n')
  expect(r.push(b)).toBe(b)
  const none = new StreamRedactor()
  clearSecrets()
  expect(none.push(b)).toBe(b)
})

test('the anchor search on the array itself answers as Buffer#includes (the plain path it replaces)', () => {
  // seeded, so a failure reproduces; a small alphabet so anchors occur, at the ends too
  let seed = 17
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return (seed >> 8) % n
  }
  const alphabet = [0x73, 0x6b, 0x2d, 0x0a, 0xe2, 0x80, 0xa6, 0x61]
  let hits = 0
  for (let i = 0; i < 20000; i++) {
    const b = Uint8Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]!)
    const anchors = Array.from({ length: 1 + rand(3) }, () => Buffer.from(Uint8Array.from({ length: 1 + rand(3) }, () => alphabet[rand(alphabet.length)]!)))
    const plain = anchors.some((a) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(a))
    expect(includesAny(b, anchors)).toBe(plain)
    // and on a view into a larger array (the translators' and the network's chunks both are)
    const big = new Uint8Array(b.length + 6)
    big.set(b, 3)
    expect(includesAny(big.subarray(3, 3 + b.length), anchors)).toBe(plain)
    if (plain) hits++
  }
  expect(hits).toBeGreaterThan(5000)
  expect(hits).toBeLessThan(15000)
  // an empty needle is found everywhere, as Buffer#includes says
  expect(includesAny(new Uint8Array(0), [Buffer.alloc(0)])).toBe(Buffer.alloc(0).includes(Buffer.alloc(0)))
})

test('a translated chunk (a small TextEncoder array) with no key in it goes out as the same array', () => {
  registerSecret('sk-ant-api03-AbCdEfGhIjKlMnOp-9876')
  const r = new StreamRedactor()
  for (const text of ['event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" tok1"}}\n\n', 'data: {"content":"I ask: s"}\n\n', 'data: {"content":"sk-"}\n\n']) {
    const b = enc.encode(text)
    expect(r.push(b)).toBe(b)
  }
})
