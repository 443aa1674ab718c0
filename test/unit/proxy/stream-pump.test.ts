// The stream pump: keep-alives while the upstream is silent, idle cut-off, client cancel → abort.
import { expect, test } from 'bun:test'
import { pumpStream, SSE_PING, type PumpOutcome } from '../../../src/proxy/stream-pump'
import type { ChunkTranslator } from '../../../src/proxy/translate-stream'

const enc = new TextEncoder()
const identity = (): ChunkTranslator => ({
  observed: { usage: { inputTokens: 0, outputTokens: 0 } },
  chunk: (b) => b,
  end: () => undefined,
  fail: (e) => enc.encode(`event: error\ndata: ${JSON.stringify(e)}\n\n`),
})

function upstream(pieces: string[], gapMs: number, signal?: AbortSignal): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      if (i > 0) await Bun.sleep(gapMs)
      if (signal?.aborted) return c.error(new DOMException('aborted', 'AbortError'))
      if (i >= pieces.length) return c.close()
      c.enqueue(enc.encode(pieces[i++]))
    },
  })
}

async function drain(s: ReadableStream<Uint8Array>): Promise<string> {
  return await new Response(s).text()
}

test('sends a keep-alive comment while the upstream is silent, and the data in order', async () => {
  let outcome: PumpOutcome | undefined
  const body = pumpStream({
    reader: upstream(['data: 1\n\n', 'data: 2\n\n'], 250).getReader(),
    translator: identity(),
    abort: () => {},
    idleTimeoutMs: 5000,
    keepAliveMs: 60,
    keepAlive: SSE_PING,
    onDone: (o) => (outcome = o),
  })
  const text = await drain(body)
  expect(text.startsWith('data: 1\n\n')).toBe(true)
  expect(text.replaceAll(': ping\n\n', '')).toBe('data: 1\n\ndata: 2\n\n')
  expect(text).toContain(': ping\n\n')
  expect(outcome?.clientDisconnected).toBe(false)
})

test('an upstream silent past the idle timeout is cut with an error frame', async () => {
  const ctl = new AbortController()
  const body = pumpStream({
    reader: upstream(['data: 1\n\n', 'data: never\n\n'], 5000, ctl.signal).getReader(),
    translator: identity(),
    abort: () => ctl.abort(),
    idleTimeoutMs: 120,
    keepAliveMs: 10_000,
    keepAlive: SSE_PING,
    onDone: () => {},
  })
  const t0 = performance.now()
  const reader = body.getReader()
  const dec = new TextDecoder()
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    text += dec.decode(value)
  }
  expect(performance.now() - t0).toBeLessThan(2000)
  expect(text).toContain('event: error')
  expect(text).toContain('idle_timeout')
})

test('a client cancel aborts the upstream and reports the disconnect', async () => {
  let aborted = ''
  let outcome: PumpOutcome | undefined
  const body = pumpStream({
    reader: upstream(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n'], 100).getReader(),
    translator: identity(),
    abort: (why) => (aborted = why),
    idleTimeoutMs: 5000,
    keepAliveMs: 10_000,
    keepAlive: SSE_PING,
    onDone: (o) => (outcome = o),
  })
  const reader = body.getReader()
  await reader.read()
  await reader.cancel()
  expect(aborted).toBe('client disconnected')
  expect(outcome?.clientDisconnected).toBe(true)
})
