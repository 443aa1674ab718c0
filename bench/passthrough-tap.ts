// CPU of the pass-through usage tap alone, in-process: the byte-level tap the server uses
// (src/proxy/passthrough-tap.ts) against the string tap it replaced
// (test/helpers/passthrough-tap-reference.ts), interleaved in one process so both see the same
// machine. Lanes: bench/translate-cpu.ts's pass-through ones (2,000-delta streams, one frame per
// read and 64 KiB reads) and the server bench's 20-chunk OpenAI Chat stream (`"usage":null` on
// every chunk, the usage last) read as one chunk and one frame per read.
// Run pinned, ~15 s: `taskset -c 0 bun bench/passthrough-tap.ts`.
import type { CanonEvent } from '../src/canonical/event'
import { newId } from '../src/build-runtime'
import { dialectEntry } from '../src/dialects'
import type { Dialect, DialectName } from '../src/dialects/dialect'
import { passthroughStream } from '../src/proxy/passthrough-tap'
import { encodeEvents, type ChunkTranslator } from '../src/proxy/translate-stream'
import { referencePassthroughStream } from '../test/helpers/passthrough-tap-reference'
import { anthropicStream, openaiStream } from './mock-wire'

const d = (n: DialectName): Dialect => dialectEntry(n)!
const join = (frames: Uint8Array[]): Uint8Array => Buffer.concat(frames)
const chunked = (whole: Uint8Array, size: number): Uint8Array[] => {
  const out: Uint8Array[] = []
  for (let i = 0; i < whole.length; i += size) out.push(whole.subarray(i, i + size))
  return out
}
function sse(body: ReturnType<typeof openaiStream>): Uint8Array[] {
  if (body.kind !== 'sse') throw new Error('mock-wire returned JSON')
  return body.frames
}
/** the Responses stream as our own encoder writes it (as bench/translate-cpu.ts does) */
function responsesFrames(n: number): Uint8Array[] {
  const events: CanonEvent[] = [{ type: 'start', id: 'bench', model: 'm', usage: { inputTokens: 16 } }, { type: 'block_start', index: 0, block: { kind: 'text' } }]
  for (let i = 0; i < n; i++) events.push({ type: 'text_delta', index: 0, text: i === 0 ? 'Hello' : ` tok${i}` })
  events.push({ type: 'block_stop', index: 0 }, { type: 'finish', finish: 'stop' }, { type: 'usage', usage: { inputTokens: 16, outputTokens: n }, }, { type: 'end' })
  return encodeEvents(d('openai-responses'), { model: 'm', newId, now: () => 1770933883 }, events).chunks
}

interface Lane {
  name: string
  dialect: DialectName
  reads: Uint8Array[]
  /** events in the stream (for µs per event) */
  events: number
  /** streams per trial */
  runs: number
}
const lanes: Lane[] = []
const big: Array<[string, DialectName, Uint8Array[]]> = [
  ['OpenAI Chat', 'openai-chat', sse(openaiStream('gpt-bench', 2000, true))],
  ['Anthropic', 'anthropic', sse(anthropicStream('claude-bench', 2000))],
  ['Responses', 'openai-responses', responsesFrames(2000)],
]
for (const [name, dialect, frames] of big) {
  lanes.push({ name: `pass-through ${name}, 2,000 deltas, a frame per read`, dialect, reads: frames, events: 2000, runs: 20 })
  lanes.push({ name: `pass-through ${name}, 2,000 deltas, 64 KiB reads`, dialect, reads: chunked(join(frames), 65536), events: 2000, runs: 20 })
}
const small = sse(openaiStream('gpt-bench', 20, true))
lanes.push({ name: 'OpenAI Chat 20 chunks, `"usage":null` on each, one read', dialect: 'openai-chat', reads: [join(small)], events: 20, runs: 2000 })
lanes.push({ name: 'OpenAI Chat 20 chunks, `"usage":null` on each, a frame per read', dialect: 'openai-chat', reads: small, events: 20, runs: 2000 })

type Make = (d: Dialect) => ChunkTranslator
const impls: Array<[string, Make]> = [
  ['string tap (before)', referencePassthroughStream],
  ['byte tap (now)', passthroughStream],
]
interface Case {
  lane: Lane
  once: () => void
  trials: number[]
}
const cases: Case[] = []
for (const lane of lanes)
  for (const [, make] of impls) {
    const dialect = d(lane.dialect)
    cases.push({
      lane,
      once: () => {
        const t = make(dialect)
        for (const r of lane.reads) t.chunk(r)
        t.end()
        if (t.observed.usage.outputTokens === 0) throw new Error(`${lane.name}: no usage read`)
      },
      trials: [],
    })
  }

// lane by lane (so one lane's garbage is not collected on another's time): warm-up to JSC's
// optimizing tier, then rounds alternating the two taps; a trial is process CPU (user + system)
// per stream over ~10 ms of streams
const ROUNDS = 11
for (let i = 0; i < cases.length; i += impls.length) {
  const group = cases.slice(i, i + impls.length)
  for (const c of group) for (const t0 = performance.now(); performance.now() - t0 < 300; ) c.once()
  for (let k = 0; k < ROUNDS; k++)
    for (const c of group) {
      const c0 = process.cpuUsage()
      for (let r = 0; r < c.lane.runs; r++) c.once()
      const u = process.cpuUsage(c0)
      c.trials.push((u.user + u.system) / c.lane.runs)
    }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
const range = (xs: number[], div: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return `${(s[0]! / div).toFixed(2)}–${(s[s.length - 1]! / div).toFixed(2)}`
}
const rows = [`| lane | ${impls.map(([n]) => `${n}: µs per stream (per event), range per event`).join(' | ')} |`, `|---|${impls.map(() => '---:').join('|')}|`]
for (let i = 0; i < cases.length; i += impls.length) {
  const lane = cases[i]!.lane
  const cells = impls.map((_, j) => {
    const t = cases[i + j]!.trials
    return `${median(t).toFixed(1)} (${(median(t) / lane.events).toFixed(3)}), ${range(t, lane.events)}`
  })
  rows.push(`| ${lane.name} | ${cells.join(' | ')} |`)
}
console.log(`Pass-through tap CPU, bun ${Bun.version}, medians of ${ROUNDS} rounds alternating the two taps (range: min–max per event)\n\n${rows.join('\n')}`)
