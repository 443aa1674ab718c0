// The stream pump's edge cases with short timers (the proxy uses a fixed 15 s keep-alive): a
// keep-alive never lands inside an upstream event, a translator that throws still ends the stream
// with an error and finishes the request once, idle and cancel each finish exactly once.
import { expect, test } from 'bun:test'
import { DIALECTS } from '../../src/dialects'
import { parseSseText } from '../../src/framing/sse'
import { pumpStream, SSE_PING, type PumpOutcome } from '../../src/proxy/stream-pump'
import { passthroughStream } from '../../src/proxy/passthrough-tap'
import { translatingStream, type ChunkTranslator } from '../../src/proxy/translate-stream'

const enc = new TextEncoder()
const chat = DIALECTS['openai-chat']
const anthropic = DIALECTS.anthropic

/** an upstream body: each piece after its pause */
function upstream(pieces: Array<[pauseMs: number, text: string]>, then: 'end' | 'hang' | 'error' = 'end'): { body: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let i = 0
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      if (i < pieces.length) {
        const [pause, text] = pieces[i++]
        if (pause) await Bun.sleep(pause)
        c.enqueue(enc.encode(text))
        return
      }
      if (then === 'end') c.close()
      else if (then === 'error') c.error(new Error('socket closed'))
      else await new Promise<void>(() => {})
    },
    cancel() {
      cancelled = true
    },
  })
  return { body, cancelled: () => cancelled }
}

function pump(body: ReadableStream<Uint8Array>, translator: ChunkTranslator, o: { idleMs?: number; keepAliveMs?: number } = {}) {
  const outcomes: PumpOutcome[] = []
  const aborts: string[] = []
  const out = pumpStream({
    reader: body.getReader(),
    translator,
    abort: (r) => aborts.push(r),
    idleTimeoutMs: o.idleMs ?? 5000,
    keepAliveMs: o.keepAliveMs ?? 5000,
    keepAlive: SSE_PING,
    onDone: (x) => outcomes.push(x),
  })
  return { out, outcomes, aborts }
}

const chunk = (content: string) => JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })

test('pass-through: a keep-alive falls between events, never inside one the upstream split', async () => {
  const frame = `data: ${chunk('hello')}\n\n`
  // the upstream sends half an event, then goes quiet for longer than the keep-alive interval
  const up = upstream([
    [0, frame],
    [0, frame.slice(0, 20)],
    [150, frame.slice(20)],
    [150, 'data: [DONE]\n\n'],
  ])
  const { out, outcomes } = pump(up.body, passthroughStream(chat), { keepAliveMs: 30 })
  const text = await new Response(out).text()
  // the client's parser sees two whole chunks and [DONE]: no frame was cut by a ping
  const frames = parseSseText(text)
  expect(frames.map((f) => f.data)).toEqual([chunk('hello'), chunk('hello'), '[DONE]'])
  // and pings were sent while the upstream was quiet between events
  expect(text).toContain(': ping\n\n')
  expect(outcomes.length).toBe(1)
})

test('translated: pings flow while the upstream is quiet, between whole events', async () => {
  const up = upstream([
    [0, `data: ${chunk('a')}\n\n`],
    [200, `data: ${chunk('b')}\n\n`],
    [0, 'data: [DONE]\n\n'],
  ])
  const t = translatingStream(chat, anthropic, { model: 'm', newId: (p) => `${p}1`, now: () => 1 })
  const { out, outcomes } = pump(up.body, t, { keepAliveMs: 30 })
  const text = await new Response(out).text()
  expect(text).toContain(': ping\n\n')
  const deltas = parseSseText(text).filter((f) => f.event === 'content_block_delta').map((f) => JSON.parse(f.data).delta.text)
  expect(deltas.join('')).toBe('ab')
  expect(outcomes.length).toBe(1)
})

test('a translator that throws ends the stream with an error frame and finishes the request once', async () => {
  // the upstream would go on (it is still open when the translator breaks)
  const up = upstream(
    [
      [0, `data: ${chunk('a')}\n\n`],
      [0, `data: ${chunk('b')}\n\n`],
    ],
    'hang',
  )
  const real = translatingStream(chat, anthropic, { model: 'm', newId: (p) => `${p}1`, now: () => 1 })
  let calls = 0
  const broken: ChunkTranslator = {
    get observed() {
      return real.observed
    },
    chunk(b) {
      if (++calls === 2) throw new TypeError('boom in an encoder')
      return real.chunk(b)
    },
    end: () => real.end(),
    fail: (e) => real.fail(e),
  }
  const { out, outcomes, aborts } = pump(up.body, broken)
  const text = await Promise.race([new Response(out).text(), Bun.sleep(3000).then(() => 'HUNG')])
  expect(text).not.toBe('HUNG')
  const errors = parseSseText(text).filter((f) => f.event === 'error')
  expect(errors.length).toBe(1)
  expect(outcomes.length).toBe(1)
  expect(outcomes[0].observed.error?.status).toBe(502)
  // the upstream is let go
  expect(aborts.length).toBe(1)
  expect(up.cancelled()).toBe(true)
})

test('idle timeout: one error frame, the upstream cancelled, finished once', async () => {
  const up = upstream([[0, `data: ${chunk('a')}\n\n`]], 'hang')
  const t = translatingStream(chat, anthropic, { model: 'm', newId: (p) => `${p}1`, now: () => 1 })
  const t0 = performance.now()
  const { out, outcomes, aborts } = pump(up.body, t, { idleMs: 100 })
  const text = await new Response(out).text()
  expect(performance.now() - t0).toBeLessThan(1000)
  expect(parseSseText(text).filter((f) => f.event === 'error').length).toBe(1)
  expect(text).toContain('idle_timeout')
  expect(aborts).toEqual(['idle'])
  expect(outcomes.length).toBe(1)
  expect(outcomes[0].clientDisconnected).toBe(false)
})

test('an upstream read error mid-stream: one error frame, finished once', async () => {
  const up = upstream([[0, `data: ${chunk('a')}\n\n`]], 'error')
  const t = translatingStream(chat, anthropic, { model: 'm', newId: (p) => `${p}1`, now: () => 1 })
  const { out, outcomes } = pump(up.body, t)
  const text = await new Response(out).text()
  expect(parseSseText(text).filter((f) => f.event === 'error').length).toBe(1)
  expect(outcomes.length).toBe(1)
})

test('client cancel: upstream aborted and cancelled, finished once as disconnected', async () => {
  const up = upstream([[0, `data: ${chunk('a')}\n\n`]], 'hang')
  const { out, outcomes, aborts } = pump(up.body, passthroughStream(chat))
  const reader = out.getReader()
  await reader.read()
  await reader.cancel()
  await Bun.sleep(10)
  expect(aborts).toEqual(['client disconnected'])
  expect(up.cancelled()).toBe(true)
  expect(outcomes.length).toBe(1)
  expect(outcomes[0].clientDisconnected).toBe(true)
})

test('pass-through: an upstream that dies inside an event still gets a well-formed error event after it', async () => {
  const frame = `data: ${chunk('hello')}\n\n`
  const up = upstream(
    [
      [0, frame],
      [10, frame.slice(0, 25)],
    ],
    'error',
  )
  const { out, outcomes } = pump(up.body, passthroughStream(chat))
  const frames = parseSseText(await new Response(out).text())
  // the cut event is lost (its JSON is incomplete), but the error event parses on its own
  const last = JSON.parse(frames[frames.length - 1].data)
  expect(last.error.message).toContain('mid-stream')
  expect(outcomes.length).toBe(1)
})
