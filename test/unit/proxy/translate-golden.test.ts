// Golden bytes for the translated stream lanes: every recorded upstream stream (and a few made
// ones: tool calls, reasoning, the bench mock's shape), through translatingStream for every front
// door, must give exactly the bytes recorded in test/fixtures/golden/translated-streams.json
// (kept as SHA-256 digests and lengths: the texts themselves are 2.4 MB).
// The file was recorded on the code before the per-event CPU work (issue 17), so each speed-up
// is proven to leave the wire untouched. Fed three ways: one upstream frame per chunk (the
// output per chunk is compared too), 7-byte pieces (lines and UTF-8 split anywhere), and a stream
// cut halfway by fail(). Regenerate only on purpose: `GOLDEN_UPDATE=1 bun test <this file>`.
import { describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CanonEvent } from '../../../src/canonical/event'
import { dialectEntry } from '../../../src/dialects'
import type { Dialect, DialectName } from '../../../src/dialects/dialect'
import { encodeEvents, translatingStream } from '../../../src/proxy/translate-stream'
import { warmTokenizer } from '../../../src/tokens/count-tokens'
import { anthropicStream, openaiStream } from '../../../bench/mock-wire'
import { FIXTURES_DIR, fixtureNames, fixtureWire } from '../../helpers/fixtures'
import { testCtx } from '../../helpers/translators'
import { converseRecording, invokeRecording } from '../dialects/bedrock/helpers'

// the reasoning-token estimate counts with the BPE tables once they are loaded (chars/4 before):
// loaded here, so the figures do not depend on which tests ran first in this process
warmTokenizer()

const GOLDEN = join(FIXTURES_DIR, 'golden', 'translated-streams.json')
const FRONTS: DialectName[] = ['openai-chat', 'anthropic', 'openai-responses', 'gemini']
const d = (n: DialectName): Dialect => dialectEntry(n)!
const enc = new TextEncoder()
const dec = new TextDecoder('utf-8', { fatal: true })

/** a canonical answer with everything the encoders treat specially: reasoning, text with
 *  escapes and non-ASCII, two interleaved tool calls, usage after the finish */
const RICH: CanonEvent[] = [
  { type: 'start', id: 'up-1', model: 'm', usage: { inputTokens: 40, cacheReadTokens: 8 } },
  { type: 'block_start', index: 0, block: { kind: 'reasoning', origin: 'openai' } },
  { type: 'reasoning_delta', index: 0, text: 'Think "hard" —' },
  { type: 'reasoning_delta', index: 0, text: ' then\nanswer é😀' },
  { type: 'block_stop', index: 0 },
  { type: 'block_start', index: 1, block: { kind: 'text' } },
  { type: 'text_delta', index: 1, text: 'Hello, <world> & "friends"\t\\' },
  { type: 'text_delta', index: 1, text: ' ünïcödé 😀\u2028' },
  { type: 'block_stop', index: 1 },
  { type: 'block_start', index: 2, block: { kind: 'tool_call', id: 'call_a', name: 'get_weather' } },
  { type: 'block_start', index: 3, block: { kind: 'tool_call', id: 'call_b', name: 'get_time' } },
  { type: 'tool_args_delta', index: 2, json: '{"city":' },
  { type: 'tool_args_delta', index: 3, json: '{"tz":"UTC"}' },
  { type: 'tool_args_delta', index: 2, json: '"Paris"}' },
  { type: 'block_stop', index: 2 },
  { type: 'block_stop', index: 3 },
  { type: 'finish', finish: 'tool_calls' },
  { type: 'usage', usage: { inputTokens: 40, outputTokens: 25, cacheReadTokens: 8, reasoningTokens: 7 } },
  { type: 'end' },
]

const TEXT: CanonEvent[] = [
  { type: 'start', id: 'up-2', model: 'm' },
  { type: 'block_start', index: 0, block: { kind: 'text' } },
  ...Array.from({ length: 12 }, (_, i): CanonEvent => ({ type: 'text_delta', index: 0, text: i === 0 ? 'Hello' : ` tok${i}` })),
  { type: 'block_stop', index: 0 },
  { type: 'finish', finish: 'length' },
  { type: 'usage', usage: { inputTokens: 16, outputTokens: 12 } },
  { type: 'end' },
]

interface Source {
  name: string
  upstream: DialectName
  /** the upstream's bytes, one network read each */
  frames: Uint8Array[]
}

const sseFrames = (dialect: string, name: string): Uint8Array[] => {
  // one read per event: split after each blank line (LF or CRLF)
  const text = fixtureWire(dialect, name)
  return text
    .split(/(?<=\r?\n\r?\n)/)
    .filter((s) => s.length)
    .map((s) => enc.encode(s))
}

function sources(): Source[] {
  const out: Source[] = []
  for (const up of ['openai-chat', 'anthropic', 'openai-responses', 'gemini'] as const) {
    for (const name of fixtureNames(up)) if (name.endsWith('.sse') || name.endsWith('.chunks.txt')) out.push({ name: `${up}/${name}`, upstream: up, frames: sseFrames(up, name) })
    // made streams, written by the upstream dialect's own encoder
    for (const [label, events] of [['rich', RICH], ['text', TEXT]] as const)
      out.push({ name: `${up}/made-${label}`, upstream: up, frames: encodeEvents(d(up), testCtx('upstream-model'), events).chunks })
  }
  const mock = (b: ReturnType<typeof openaiStream>) => (b.kind === 'sse' ? b.frames : [])
  out.push({ name: 'openai-chat/bench-mock', upstream: 'openai-chat', frames: mock(openaiStream('gpt-bench', 20, true)) })
  out.push({ name: 'anthropic/bench-mock', upstream: 'anthropic', frames: mock(anthropicStream('claude-bench', 20)) })
  for (const name of fixtureNames('bedrock', '.chunks.txt')) out.push({ name: `bedrock/${name}`, upstream: 'bedrock', frames: converseRecording(name) })
  for (const name of fixtureNames('anthropic', '.chunks.txt')) out.push({ name: `bedrock/invoke-${name}`, upstream: 'bedrock', frames: invokeRecording(name) })
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const text = (b: Uint8Array | undefined): string => (b ? dec.decode(b) : '')

interface Run {
  /** per frame fed: what chunk() returned, then end()'s output last */
  perFrame: string[]
  pieces: string
  cut: string
  observed: unknown
}

/** what the golden file keeps of a run */
interface Golden {
  /** bytes of the whole output, and SHA-256 of the per-frame outputs (so the split counts too) */
  bytes: number
  perFrame: string
  cutBytes: number
  cut: string
  observed: unknown
}

const sha = (s: string): string => new Bun.CryptoHasher('sha256').update(s).digest('hex')

const golden = (r: Run): Golden => ({ bytes: enc.encode(r.perFrame.join('')).length, perFrame: sha(JSON.stringify(r.perFrame)), cutBytes: enc.encode(r.cut).length, cut: sha(r.cut), observed: r.observed })

function run(src: Source, front: DialectName): Run {
  const make = () => translatingStream(d(src.upstream), d(front), testCtx('client-model'))
  const a = make()
  const perFrame = src.frames.map((f) => text(a.chunk(f)))
  perFrame.push(text(a.end()))
  const { delivered: _, ...observed } = a.observed
  const whole = concat(src.frames)
  const b = make()
  let pieces = ''
  // 7-byte pieces; Bedrock's binary messages are fed whole (the parser's own tests split those)
  const size = src.upstream === 'bedrock' ? whole.length : 7
  for (let i = 0; i < whole.length; i += size) pieces += text(b.chunk(whole.subarray(i, i + size)))
  pieces += text(b.end())
  const c = make()
  let cut = ''
  const half = src.frames.length >> 1
  for (let i = 0; i < half; i++) cut += text(c.chunk(src.frames[i]!))
  cut += text(c.fail({ status: 504, kind: 'timeout', message: 'upstream idle for 30 s' }))
  return { perFrame, pieces, cut, observed: JSON.parse(JSON.stringify(observed)) }
}

function record(): Record<string, Run> {
  const out: Record<string, Run> = {}
  for (const src of sources()) for (const front of FRONTS) out[`${src.name} → ${front}`] = run(src, front)
  return out
}

if (process.env.GOLDEN_UPDATE === '1') {
  const all = record()
  const out: Record<string, Golden> = {}
  for (const key of Object.keys(all)) out[key] = golden(all[key]!)
  writeFileSync(GOLDEN, `${JSON.stringify(out, null, 1)}\n`)
}

describe('translated streams: golden bytes', () => {
  const recorded = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Golden>
  const now = record()

  test('every lane of the golden file is still produced', () => {
    expect(Object.keys(now).sort()).toEqual(Object.keys(recorded).sort())
    expect(Object.keys(now).length).toBeGreaterThan(150)
  })

  for (const key of Object.keys(recorded))
    test(key, () => {
      const got = now[key]!
      // the 7-byte feed gives the same bytes as the frame-wise one
      expect(got.pieces).toBe(got.perFrame.join(''))
      expect(golden(got)).toEqual(recorded[key]!)
    })
})
