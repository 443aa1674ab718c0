// CPU cost of the stream translators alone, in-process: a 2,000-delta upstream stream (the bench
// mock's exact bytes) pushed through the same byte-level translator the server uses, per direction,
// fed as one frame per network chunk and as 64 KiB reads. Run: `bun bench/translate-cpu.ts`.
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

function measure(make: () => ChunkTranslator, chunks: Uint8Array[]): number {
  const once = () => {
    const t = make()
    for (const c of chunks) t.chunk(c)
    t.end()
  }
  for (let i = 0; i < 30; i++) once()
  const runs = 60
  const t0 = performance.now()
  for (let i = 0; i < runs; i++) once()
  return ((performance.now() - t0) * 1000) / runs / EVENTS
}

const lanes: Array<[string, () => ChunkTranslator, { frames: Uint8Array[]; whole: Uint8Array }]> = [
  ['pass-through OpenAI Chat', () => passthroughStream(d('openai-chat')), chat],
  ['pass-through Anthropic', () => passthroughStream(d('anthropic')), ant],
  ['OpenAI upstream → Anthropic client', () => translatingStream(d('openai-chat'), d('anthropic'), ctx), chat],
  ['Anthropic upstream → OpenAI Chat client', () => translatingStream(d('anthropic'), d('openai-chat'), ctx), ant],
  ['Anthropic upstream → Responses client', () => translatingStream(d('anthropic'), d('openai-responses'), ctx), ant],
  ['OpenAI upstream → Responses client', () => translatingStream(d('openai-chat'), d('openai-responses'), ctx), chat],
]

const rows = ['| lane | µs CPU per event, one frame per read | µs per event, 64 KiB reads |', '|---|---:|---:|']
for (const [name, make, body] of lanes)
  rows.push(`| ${name} | ${measure(make, body.frames).toFixed(2)} | ${measure(make, chunked(body.whole, 65536)).toFixed(2)} |`)
console.log(`Translator CPU, ${EVENTS}-delta streams, bun ${Bun.version}\n\n${rows.join('\n')}`)
