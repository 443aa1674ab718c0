// The SSE parser under hostile framing: any split of the input into pieces (mixed LF, CRLF and CR
// line ends, multi-line data, comments) gives the same frames as the whole text, and a huge event
// arriving in small pieces is parsed in linear time (it runs on the event loop, per stream).
import { expect, test } from 'bun:test'
import { parseSseText, SseParser, type SseFrame } from '../../src/framing/sse'
import { rng } from './gen-bodies'

function parsePieces(pieces: string[]): SseFrame[] {
  const out: SseFrame[] = []
  const p = new SseParser((f) => out.push(f))
  for (const s of pieces) p.feed(s)
  p.flush()
  return out
}

function randomStream(r: () => number): string {
  const ends = ['\n', '\r\n', '\r']
  let s = ''
  for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) {
    const eol = ends[Math.floor(r() * 3)]
    if (r() < 0.2) s += `: comment ${i}${eol}`
    if (r() < 0.4) s += `event: e${i}${eol}`
    if (r() < 0.2) s += `id: ${i}${eol}`
    for (let k = 0, m = 1 + Math.floor(r() * 3); k < m; k++) s += `data:${r() < 0.5 ? ' ' : ''}{"i":${i},"k":${k},"t":"ü€𝄞 x"}${eol}`
    s += eol
  }
  return s
}

test('any split of the input gives the frames of the whole text (2,000 random streams)', () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const r = rng(seed)
    const text = randomStream(r)
    const whole = parseSseText(text)
    const pieces: string[] = []
    for (let i = 0; i < text.length; ) {
      const n = 1 + Math.floor(r() * 12)
      pieces.push(text.slice(i, i + n))
      i += n
    }
    expect({ seed, frames: parsePieces(pieces) }).toEqual({ seed, frames: whole })
    // one character at a time: every CR/LF boundary falls between pieces
    expect({ seed, frames: parsePieces(text.split('')) }).toEqual({ seed, frames: whole })
  }
})

test('a 20 MB event in 4 KB pieces parses in linear time', () => {
  const line = `data: ${'A'.repeat(20 * 2 ** 20)}\n\n`
  let got = 0
  const p = new SseParser((f) => (got += f.data.length))
  const t0 = performance.now()
  for (let i = 0; i < line.length; i += 4096) p.feed(line.slice(i, i + 4096))
  const ms = performance.now() - t0
  expect(got).toBe(20 * 2 ** 20)
  // a rescan of the pending line on every piece took ~3 s here; linear is ~50 ms
  expect(ms).toBeLessThan(500)
})
