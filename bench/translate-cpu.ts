// CPU cost of the stream translators alone, in-process: a 2,000-delta upstream stream (the bench
// mock's exact bytes) pushed through the same byte-level translator the server uses, per direction,
// fed as one frame per network chunk and as 64 KiB reads; process CPU time, median of 9 trials. Run: `bun bench/translate-cpu.ts`.
import { DIALECTS } from '../src/dialects'
import type { Dialect } from '../src/dialects/dialect'
import { passthroughStream, translatingStream, type ChunkTranslator } from '../src/proxy/translate-stream'
import { anthropicStream, openaiStream } from './mock-wire'

const EVENTS = 2000
const chat = openaiStream('gpt-bench', EVENTS, true)
const ant = anthropicStream('claude-bench', EVENTS)
if (chat.kind !== 'sse' || ant.kind !== 'sse') throw new Error('mock-wire returned JSON')
const ctx = { model: 'm', newId: (p: string) => `${p}bench`, now: () => 1 }
const d = (n: 'openai-chat' | 'anthropic' | 'openai-responses'): Dialect => DIALECTS[n]!.dialect

function chunked(whole: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < whole.length; i += size) out.push(whole.subarray(i, i + size))
  return out
}

const lanes: Array<[string, () => ChunkTranslator, { frames: Uint8Array[]; whole: Uint8Array }]> = [
  ['pass-through OpenAI Chat', () => passthroughStream(d('openai-chat')), chat],
  ['pass-through Anthropic', () => passthroughStream(d('anthropic')), ant],
  ['OpenAI upstream → Anthropic client', () => translatingStream(d('openai-chat'), d('anthropic'), ctx), chat],
  ['Anthropic upstream → OpenAI Chat client', () => translatingStream(d('anthropic'), d('openai-chat'), ctx), ant],
  ['Anthropic upstream → Responses client', () => translatingStream(d('anthropic'), d('openai-responses'), ctx), ant],
  ['OpenAI upstream → Responses client', () => translatingStream(d('openai-chat'), d('openai-responses'), ctx), chat],
]

interface Case {
  once: () => void
  trials: number[]
}

const cases: Case[] = []
for (const [, make, body] of lanes)
  for (const chunks of [body.frames, chunked(body.whole, 65536)])
    cases.push({
      once: () => {
        const t = make()
        for (const c of chunks) t.chunk(c)
        t.end()
      },
      trials: [],
    })

// Warm-up: JSC needs ~100 streams per case to reach its optimizing tier (fewer made the figures
// swing by 2x). Then 15 rounds; in each, every case runs 12 streams, so all cases see the same
// machine conditions. A trial is process CPU time (user + system, every thread: JSC's concurrent
// GC included) per event; the table shows each case's median and its range (this shared 2-core VM
// is noisy: the minimum is the steadiest figure to compare changes by).
for (const c of cases) for (const t0 = performance.now(); performance.now() - t0 < 1500; ) c.once()
const RUNS = 12
const ROUNDS = 15
for (let k = 0; k < ROUNDS; k++)
  for (const c of cases) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < RUNS; i++) c.once()
    const u = process.cpuUsage(c0)
    c.trials.push((u.user + u.system) / RUNS / EVENTS)
  }
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!
const spread = (xs: number[]) => `${xs[0]!.toFixed(2)}–${xs[xs.length - 1]!.toFixed(2)}`

const rows = [`| lane | µs CPU per event, one frame per read | µs per event, 64 KiB reads | range over ${ROUNDS} rounds (frame / 64 KiB) |`, '|---|---:|---:|---|']
lanes.forEach(([name], i) => {
  const [frame, bulk] = [cases[2 * i]!, cases[2 * i + 1]!]
  rows.push(`| ${name} | ${median(frame.trials).toFixed(2)} | ${median(bulk.trials).toFixed(2)} | ${spread(frame.trials)} / ${spread(bulk.trials)} |`)
})
console.log(`Translator CPU, ${EVENTS}-delta streams, bun ${Bun.version}\n\n${rows.join('\n')}`)
