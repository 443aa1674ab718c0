// CPU cost of the stream translators alone, in-process: a 2,000-delta upstream stream pushed
// through the same byte-level translator the server uses, for every front door × upstream dialect,
// fed as one frame per network chunk and as 64 KiB reads; process CPU time, medians over rounds.
// Chat and Anthropic upstreams send the bench mock's exact bytes (shaped like the recordings);
// the Responses upstream stream is written by our own encoder, which follows the recordings; the
// Gemini one is built here like gemini/reasoning-no-thoughts.chunks.txt (running usage on every
// chunk). Bedrock's ConverseStream is AWS event-stream messages with the random `p` padding
// Bedrock adds; Bedrock InvokeModel is the Anthropic stream's events in base64 `chunk` messages.
// The issue-17 lanes also run wrapped as the server serves them (max_event_size scan and the
// secret redactor, with two upstream keys registered as every configured key is).
// Run: `bun bench/translate-cpu.ts`.
import type { CanonEvent } from '../src/canonical/event'
import { newId } from '../src/build-runtime'
import { dialectEntry } from '../src/dialects'
import type { Dialect, DialectName } from '../src/dialects/dialect'
import { registerSecret } from '../src/observe/redact'
import { boundedEvents, redactedStream } from '../src/proxy/bounded-stream'
import { passthroughStream } from '../src/proxy/passthrough-tap'
import { encodeEvents, translatingStream, type ChunkTranslator, type OpeningTranslator } from '../src/proxy/translate-stream'
import { chunkMessage, eventMessage } from '../test/helpers/aws-eventstream'
import { anthropicStream, openaiStream } from './mock-wire'

const EVENTS = 2000
// the server's own id generator: ids as long as in production (they are in every frame)
const ctx = { model: 'claude-sonnet-4-5', newId, now: () => 1770933883 }
const d = (n: DialectName): Dialect => dialectEntry(n)!

interface Wire {
  frames: Uint8Array[]
  whole: Uint8Array
}

function join(frames: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
  let at = 0
  for (const f of frames) {
    out.set(f, at)
    at += f.length
  }
  return out
}

/** a 2,000-delta text answer as `dialect`'s own stream encoder writes it, one frame group per delta */
function encodedWire(dialect: DialectName): Wire {
  const events: CanonEvent[] = [{ type: 'start', id: 'bench', model: 'm', usage: { inputTokens: 16 } }, { type: 'block_start', index: 0, block: { kind: 'text' } }]
  for (let i = 0; i < EVENTS; i++) events.push({ type: 'text_delta', index: 0, text: i === 0 ? 'Hello' : ` tok${i}` })
  events.push({ type: 'block_stop', index: 0 }, { type: 'finish', finish: 'stop' }, { type: 'usage', usage: { inputTokens: 16, outputTokens: EVENTS } }, { type: 'end' })
  const frames = encodeEvents(d(dialect), ctx, events).chunks
  return { frames, whole: join(frames) }
}

/** Gemini as the recordings show it: one text part per chunk and the running usage on every one */
function geminiWire(): Wire {
  const enc = new TextEncoder()
  const chunk = (text: string, i: number, finish: string) =>
    enc.encode(
      `data: {"candidates":[{"content":{"parts":[{"text":${JSON.stringify(text)}}],"role":"model"}${finish},"index":0}],"usageMetadata":{"promptTokenCount":16,"candidatesTokenCount":${i + 1},"totalTokenCount":${17 + i},"promptTokensDetails":[{"modality":"TEXT","tokenCount":16}]},"modelVersion":"gemini-2.5-flash","responseId":"bH6LaZW8Fp_3nsEPqtaSwQ4"}\r\n\r\n`,
    )
  const frames: Uint8Array[] = []
  for (let i = 0; i < EVENTS; i++) frames.push(chunk(i === 0 ? 'Hello' : ` tok${i}`, i, ''))
  frames.push(chunk('', EVENTS, ',"finishReason":"STOP"'))
  return { frames, whole: join(frames) }
}

const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** ConverseStream as Bedrock sends it: text deltas with padding of varying length, usage last */
function converseWire(): Wire {
  const frames: Uint8Array[] = [eventMessage('messageStart', { p: PAD.slice(0, 20), role: 'assistant' })]
  for (let i = 0; i < EVENTS; i++) frames.push(eventMessage('contentBlockDelta', { contentBlockIndex: 0, delta: { text: i === 0 ? 'Hello' : ` tok${i}` }, p: PAD.slice(0, 4 + (i % 40)) }))
  frames.push(eventMessage('contentBlockStop', { contentBlockIndex: 0, p: PAD.slice(0, 30) }))
  frames.push(eventMessage('messageStop', { p: PAD.slice(0, 10), stopReason: 'end_turn' }))
  frames.push(eventMessage('metadata', { metrics: { latencyMs: 2040 }, p: PAD.slice(0, 12), usage: { inputTokens: 16, outputTokens: EVENTS, totalTokens: EVENTS + 16 } }))
  return { frames, whole: join(frames) }
}

/** InvokeModelWithResponseStream: each Anthropic event of the bench stream as a base64 chunk */
function invokeWire(): Wire {
  const dec = new TextDecoder()
  const frames = mockWire(anthropicStream('claude-bench', EVENTS)).frames.flatMap((f) =>
    dec
      .decode(f)
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => chunkMessage(JSON.parse(l.slice(6)))),
  )
  return { frames, whole: join(frames) }
}

function mockWire(body: ReturnType<typeof openaiStream>): Wire {
  if (body.kind !== 'sse') throw new Error('mock-wire returned JSON')
  return body
}

const WIRES: Partial<Record<DialectName, Wire>> = {
  'openai-chat': mockWire(openaiStream('gpt-bench', EVENTS, true)),
  anthropic: mockWire(anthropicStream('claude-bench', EVENTS)),
  'openai-responses': encodedWire('openai-responses'),
  gemini: geminiWire(),
  bedrock: converseWire(),
}
const NAMES: Partial<Record<DialectName, string>> = { 'openai-chat': 'OpenAI Chat', anthropic: 'Anthropic', 'openai-responses': 'Responses', gemini: 'Gemini', bedrock: 'Bedrock Converse' }
const FRONTS: DialectName[] = ['openai-chat', 'anthropic', 'openai-responses', 'gemini']
const UPSTREAMS: DialectName[] = ['openai-chat', 'anthropic', 'openai-responses', 'gemini', 'bedrock']

function chunked(whole: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (let i = 0; i < whole.length; i += size) out.push(whole.subarray(i, i + size))
  return out
}

const lanes: Array<[string, () => ChunkTranslator, Wire]> = []
for (const up of UPSTREAMS)
  for (const front of FRONTS) {
    const wire = WIRES[up]!
    if (up === front) lanes.push([`pass-through ${NAMES[up]}`, () => passthroughStream(d(up)), wire])
    else lanes.push([`${NAMES[up]} upstream → ${NAMES[front]} client`, () => translatingStream(d(up), d(front), ctx), wire])
  }
// as served: the response wrappers around the translator (respond.ts), upstream keys registered
registerSecret('sk-proj-benchUpstreamKey0123456789abcdefXYZ')
registerSecret('sk-ant-api03-benchAnthropicKey0123456789abcdef')
const served = (t: OpeningTranslator): ChunkTranslator => redactedStream(boundedEvents(t, 1 << 20, 'bench'))
for (const [up, front] of [['openai-chat', 'anthropic'], ['anthropic', 'openai-chat'], ['anthropic', 'openai-responses'], ['openai-responses', 'anthropic']] as const)
  lanes.push([`${NAMES[up]} upstream → ${NAMES[front]} client, as served (max_event_size + redaction)`, () => served(translatingStream(d(up), d(front), ctx)), WIRES[up]!])
// the same Bedrock dialect, through its other API
const invoke = invokeWire()
for (const front of FRONTS) lanes.push([`Bedrock InvokeModel upstream → ${NAMES[front]} client`, () => translatingStream(d('bedrock'), d(front), ctx), invoke])

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
// swing by 2x). Then 11 rounds; in each, every case runs 10 streams, so all cases see the same
// machine conditions. A trial is process CPU time (user + system, every thread: JSC's concurrent
// GC included) per event; the table shows each case's median and its range (this shared 2-core VM
// is noisy: the minimum is the steadiest figure to compare changes by).
for (const c of cases) for (const t0 = performance.now(); performance.now() - t0 < 1000; ) c.once()
const RUNS = 10
const ROUNDS = 11
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
