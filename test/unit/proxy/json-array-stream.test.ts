import { expect, test } from 'bun:test'
import { jsonArrayStream } from '../../../src/proxy/json-array-stream'
import type { ChunkTranslator } from '../../../src/proxy/translate-stream'

const identity = (): ChunkTranslator => ({ observed: { usage: { inputTokens: 0, outputTokens: 0 } }, chunk: (b) => b, end: () => undefined, fail: () => new TextEncoder().encode('data: {"error":{"code":502}}\n\n') })
const enc = new TextEncoder()
const dec = new TextDecoder()

const SSE = 'data: {"a":1}\r\n\r\n: ping\r\n\r\ndata: {"b":"x\\ny"}\r\n\r\ndata: {"c":"é"}\r\n\r\n'

function run(text: string, cut: number): string {
  const t = jsonArrayStream(identity())
  const bytes = enc.encode(text)
  let out = ''
  for (const part of [bytes.subarray(0, cut), bytes.subarray(cut)]) {
    const o = t.chunk(part)
    if (o) out += dec.decode(o)
  }
  out += dec.decode(t.end() ?? new Uint8Array())
  return out
}

test('SSE events become array elements, verbatim, at every split offset (multi-byte characters included)', () => {
  const len = enc.encode(SSE).length
  for (let cut = 0; cut <= len; cut++) {
    const out = run(SSE, cut)
    expect(JSON.parse(out)).toEqual([{ a: 1 }, { b: 'x\ny' }, { c: 'é' }])
    expect(out).toBe('[{"a":1}\r\n,{"b":"x\\ny"}\r\n,{"c":"é"}]')
  }
})

test('an empty stream is an empty array; a failure ends the array with the error element', () => {
  expect(run('', 0)).toBe('[]')
  const t = jsonArrayStream(identity())
  const first = dec.decode(t.chunk(enc.encode('data: {"a":1}\n\n'))!)
  const last = dec.decode(t.fail({ status: 502, kind: 'api_error', message: 'x' })!)
  expect(JSON.parse(first + last)).toEqual([{ a: 1 }, { error: { code: 502 } }])
  expect(t.end()).toBeUndefined()
})
