// Adversarial upstream framing through translated streams: the same upstream SSE bytes cut every
// k bytes (k = 1..7), cut once at every offset around the start and around the first multi-byte
// characters (with a pause, so the proxy reads the two halves separately), and re-sent with CRLF
// line endings and comment lines. Whatever the cuts, the client
// SDK must assemble byte-identical text (emoji with modifiers and ZWJ, CJK, astral symbols) and
// the same tool arguments. One pair per upstream decoder and per front encoder.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { frameText, type Received } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'
import { MODEL, type Up } from './rig'
import { everyNBytes, startSplitUpstream, type SplitUpstream } from './split-upstream'

const TEXT = 'Grüße 👋🏽 aus 東京! 👨‍👩‍👧 naïve café ✅ — 한국어 テキスト 𝄞 end.'
const ARGS = { city: '東京 🗼', note: 'çà va ✓' }

type Front = 'openai-chat' | 'anthropic' | 'openai-responses'
const PAIRS: Array<[Up, Front]> = [
  ['anthropic', 'openai-chat'],
  ['openai-chat', 'anthropic'],
  ['gemini', 'openai-responses'],
  ['openai-responses', 'anthropic'],
]

let split: SplitUpstream
let proxy: TestProxy
beforeAll(async () => {
  split = startSplitUpstream()
  proxy = await startProxy({
    providers: {
      'up-chat': { dialect: 'openai-chat', base_url: `${split.url}/v1`, api_key: 'k', max_retries: 0 },
      'up-resp': { dialect: 'openai-responses', base_url: `${split.url}/v1`, api_key: 'k', max_retries: 0 },
      'up-ant': { dialect: 'anthropic', base_url: split.url, api_key: 'k', max_retries: 0 },
      'up-gem': { dialect: 'gemini', base_url: split.url, api_key: 'k', max_retries: 0 },
    },
    models: { 'chat-*': 'up-chat/*', 'resp-*': 'up-resp/*', 'ant-*': 'up-ant/*', 'gem-*': 'up-gem/*' },
  })
})
afterAll(() => {
  proxy?.stop()
  split?.stop()
})

/** the upstream's exact streamed wire reply, as text */
function wireText(up: Up): string {
  const r = { path: up === 'gemini' ? '/v1beta/models/m:streamGenerateContent' : '/', body: { model: 'm', stream: true } } as unknown as Received
  const reply = WIRE[up](r, { text: TEXT, tools: [{ id: 'call_1', name: 'lookup', args: ARGS }], usage: { input: 9, output: 5 } })
  if (reply.kind !== 'sse') throw new Error('expected an SSE reply')
  return reply.frames.map(frameText).join('')
}

/** the same stream with CRLF line endings and comment lines (OpenRouter's keep-alive style) */
const crlfWithComments = (sse: string) => ': OPENROUTER PROCESSING\r\n\r\n' + sse.replaceAll('\n\n', '\n\n: keep-alive\n\n').replaceAll('\n', '\r\n')

interface Seen {
  text: string
  args: unknown
}

async function drive(front: Front, model: string): Promise<Seen> {
  const tools = [{ name: 'lookup', description: 'Look up', parameters: { type: 'object', properties: { city: { type: 'string' }, note: { type: 'string' } } } }]
  if (front === 'anthropic') {
    const client = new Anthropic({ apiKey: 'k', baseURL: proxy.url, maxRetries: 0 })
    const m = await client.messages
      .stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], tools: tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as { type: 'object' } })) })
      .finalMessage()
    let text = ''
    let args: unknown
    for (const b of m.content) {
      if (b.type === 'text') text += b.text
      if (b.type === 'tool_use') args = b.input
    }
    return { text, args }
  }
  const client = new OpenAI({ apiKey: 'k', baseURL: `${proxy.url}/v1`, maxRetries: 0 })
  if (front === 'openai-chat') {
    const stream = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'hi' }], tools: tools.map((f) => ({ type: 'function' as const, function: f })) })
    let deltas = ''
    stream.on('content', (d) => (deltas += d))
    const c = await stream.finalChatCompletion()
    const msg = c.choices[0].message
    // the accumulated message and the raw deltas must agree
    expect(msg.content ?? '').toBe(deltas)
    return { text: msg.content ?? '', args: JSON.parse(msg.tool_calls?.[0]?.type === 'function' ? msg.tool_calls[0].function.arguments : 'null') }
  }
  const r = await client.responses.stream({ model, input: 'hi', tools: tools.map((t) => ({ type: 'function' as const, strict: false, ...t })) }).finalResponse()
  const call = r.output.find((i) => i.type === 'function_call')
  return { text: r.output_text, args: call?.type === 'function_call' ? JSON.parse(call.arguments) : undefined }
}

async function expectIntact(front: Front, up: Up, payload: Uint8Array, cuts: number[], pauseMs = 0) {
  split.set(payload, cuts, pauseMs)
  const seen = await drive(front, MODEL[up])
  if (seen.text !== TEXT || JSON.stringify(seen.args) !== JSON.stringify(ARGS)) throw new Error(`cuts ${cuts.slice(0, 8).join(',')}…: got ${JSON.stringify(seen)}`)
}

const enc = new TextEncoder()

for (const [up, front] of PAIRS)
  describe(`${up} upstream → ${front} client`, () => {
    const lf = enc.encode(wireText(up))
    const crlf = enc.encode(crlfWithComments(wireText(up)))

    test('cut every k bytes, k = 1..7 (LF, then CRLF with comment lines)', async () => {
      for (const payload of [lf, crlf]) for (let k = 1; k <= 7; k++) await expectIntact(front, up, payload, everyNBytes(payload.length, k))
    })

    test('one cut at every offset of the first 48 bytes and across the first multi-byte characters', async () => {
      const firstWide = lf.findIndex((b) => b >= 0x80)
      expect(firstWide).toBeGreaterThan(0)
      const offsets = new Set<number>()
      for (let o = 1; o <= 48; o++) offsets.add(o)
      for (let o = firstWide - 8; o <= firstWide + 40; o++) offsets.add(o)
      // a real pause: a lone cut would otherwise be coalesced on loopback
      for (const o of offsets) await expectIntact(front, up, lf, [o], 2)
    })
  })
