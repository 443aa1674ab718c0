import { afterEach, expect, test } from 'bun:test'
import { clearSecrets, registerSecret } from '../../../src/observe/redact'
import { StreamRedactor } from '../../../src/observe/redact-stream'

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
