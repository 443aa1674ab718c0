// A pass-through stream cut before its usage: the tap estimates the output it delivered from a
// sample of its first events, scaled per event; the estimate is the same however the stream was
// split and whatever its line ends, and near the upstream's own count.
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DIALECTS } from '../../../src/dialects'
import { passthroughStream } from '../../../src/proxy/passthrough-tap'

const enc = new TextEncoder()
const lines = readFileSync(join(import.meta.dir, '../../fixtures/openai-chat/text-usage-obfuscation.chunks.txt'), 'utf8').split('\n').filter((l) => l.trim())
// the recording without its usage chunk: as if the client left just before it
const text = lines.filter((l) => !/"usage":\{/.test(l)).map((l) => `data: ${l}\n\n`).join('')

function estimate(s: string, pieces: number): number {
  const t = passthroughStream(DIALECTS['openai-chat'])
  const bytes = enc.encode(s)
  const step = Math.ceil(bytes.length / pieces)
  for (let i = 0; i < bytes.length; i += step) t.chunk(bytes.subarray(i, i + step))
  t.end()
  expect(t.observed.usage.outputTokens).toBe(0)
  return t.observed.delivered!.tokens()
}

test('estimated output of a cut pass-through stream: split- and line-end-independent, near the real 300', () => {
  const whole = estimate(text, 1)
  for (const n of [2, 7, 50, 500]) expect(estimate(text, n)).toBe(whole)
  expect(estimate(text.replace(/\n/g, '\r\n'), 13)).toBe(whole)
  console.log(`estimated ${whole} output tokens (the upstream counted 300)`)
  expect(whole).toBeGreaterThan(150)
  expect(whole).toBeLessThan(600)
})
