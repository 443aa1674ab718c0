// Before/after CPU of one translated lane, in one process: the translators of another tree (a
// `git archive <rev> | tar -x -C <dir>` of the code before a change, with node_modules linked) and
// of this one, alternating rounds of 4 streams so both see the same machine. The shared VM moves
// whole-bench figures by ±20 % between runs; alternating rounds in one process does not.
// "served": wrapped as respond.ts serves a stream (max_event_size scan, secret redactor with two
// upstream keys registered). µs of process CPU per event on a 2,000-delta stream.
// Run: `bun bench/translate-ab.ts <base-dir> <upstream> <front> [seconds] [served 0|1]`
import { resolve } from 'node:path'
import type { CanonEvent } from '../src/canonical/event'
import { newId } from '../src/build-runtime'
import { anthropicStream, openaiStream } from './mock-wire'

const [baseDir, up, front, secs = '8', served = '0'] = process.argv.slice(2)
if (!baseDir || !up || !front) throw new Error('usage: bun bench/translate-ab.ts <base-dir> <upstream> <front> [seconds] [served 0|1]')
const EVENTS = 2000
const ctx = { model: 'claude-sonnet-4-5', newId, now: () => 1770933883 }

interface Tree {
  dialectEntry: (n: string) => unknown
  translatingStream: (up: unknown, front: unknown, c: typeof ctx) => { chunk(b: Uint8Array): unknown; end(): unknown }
  encodeEvents: (front: unknown, c: typeof ctx, events: CanonEvent[]) => { chunks: Uint8Array[] }
  wrap: (t: any) => { chunk(b: Uint8Array): unknown; end(): unknown }
}

async function load(root: string): Promise<Tree> {
  const d = await import(resolve(root, 'src/dialects/index.ts'))
  const t = await import(resolve(root, 'src/proxy/translate-stream.ts'))
  const w = await import(resolve(root, 'src/proxy/bounded-stream.ts'))
  const r = await import(resolve(root, 'src/observe/redact.ts'))
  r.registerSecret('sk-proj-benchUpstreamKey0123456789abcdefXYZ')
  r.registerSecret('sk-ant-api03-benchAnthropicKey0123456789abcdef')
  return { dialectEntry: d.dialectEntry, translatingStream: t.translatingStream, encodeEvents: t.encodeEvents, wrap: (x) => w.redactedStream(w.boundedEvents(x, 1 << 20, 'bench')) }
}

const trees: Record<'before' | 'after', Tree> = { before: await load(baseDir), after: await load(resolve(import.meta.dir, '..')) }

function upstreamFrames(): Uint8Array[] {
  const mock = up === 'openai-chat' ? openaiStream('gpt-bench', EVENTS, true) : up === 'anthropic' ? anthropicStream('claude-bench', EVENTS) : undefined
  if (mock) return mock.kind === 'sse' ? mock.frames : []
  // other upstreams: their own encoder's stream
  const events: CanonEvent[] = [{ type: 'start', id: 'bench', model: 'm', usage: { inputTokens: 16 } }, { type: 'block_start', index: 0, block: { kind: 'text' } }]
  for (let i = 0; i < EVENTS; i++) events.push({ type: 'text_delta', index: 0, text: i === 0 ? 'Hello' : ` tok${i}` })
  events.push({ type: 'block_stop', index: 0 }, { type: 'finish', finish: 'stop' }, { type: 'usage', usage: { inputTokens: 16, outputTokens: EVENTS } }, { type: 'end' })
  const t = trees.after
  return t.encodeEvents(t.dialectEntry(up!), ctx, events).chunks
}
const frames = upstreamFrames()

function once(t: Tree): void {
  let s = t.translatingStream(t.dialectEntry(up!), t.dialectEntry(front!), ctx)
  if (served === '1') s = t.wrap(s)
  for (const f of frames) s.chunk(f)
  s.end()
}

const names = ['before', 'after'] as const
for (const k of names) for (const t0 = performance.now(); performance.now() - t0 < 700; ) once(trees[k])
const trials: Record<string, number[]> = { before: [], after: [] }
for (const end = performance.now() + Number(secs) * 1000; performance.now() < end; )
  for (const k of names) {
    const c0 = process.cpuUsage()
    for (let i = 0; i < 4; i++) once(trees[k])
    const u = process.cpuUsage(c0)
    trials[k]!.push((u.user + u.system) / 4 / EVENTS)
  }
const q = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!
const show = (k: string) => `${k} ${q(trials[k]!, 0.5).toFixed(3)} (p10 ${q(trials[k]!, 0.1).toFixed(3)}, p90 ${q(trials[k]!, 0.9).toFixed(3)})`
console.log(`${up} upstream → ${front} client${served === '1' ? ', served' : ''}, µs CPU per event: ${show('before')} | ${show('after')} | ${trials.before!.length} rounds`)
