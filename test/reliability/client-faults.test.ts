// A client that goes away never leaves work behind: before the upstream answered, mid-stream, or
// while the proxy fails over, the upstream request is aborted (the mock sees it), the request is
// finished exactly once (its log line) and the active-streams gauge returns to 0.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'
import { PATHS, requestBody, type Front } from './client-view'

const LONG = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')

/** upstream model names end in the scenario; the n-th request for a model is its n-th attempt */
async function script(r: Received, _n: number, seen: Map<string, number>): Promise<Reply> {
  const model: string = r.body?.model ?? ''
  const attempt = seen.get(model) ?? 0
  seen.set(model, attempt + 1)
  const isAnthropic = r.path.endsWith('/messages')
  const wire = (text: string) => (isAnthropic ? anthropic(r, { text }) : openaiChat(r, { text }))
  const scenario = model.slice(model.lastIndexOf('-') + 1)
  if (scenario === 'hang') return { kind: 'hang' }
  if (scenario === 'stream') {
    const w = wire(LONG)
    // many frames, 100 ms apart: the stream is still running when the client leaves; each delta
    // frame is split in 3 pieces by the wire helper, so make more by repeating the text frames
    return w.kind === 'sse' ? { ...w, frames: [...w.frames.slice(0, 2), ...Array(40).fill(w.frames[2]), ...w.frames.slice(2)], delayMs: 100 } : w
  }
  if (scenario === 'slowfail') {
    // first target: fails slowly; the fallback then hangs until the client leaves
    if (attempt === 0) {
      await Bun.sleep(300)
      return isAnthropic
        ? { kind: 'json', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }
        : { kind: 'json', status: 503, body: { error: { message: 'unavailable', type: 'server_error' } } }
    }
    return { kind: 'hang' }
  }
  if (scenario === 'hangfirst') return attempt === 0 ? { kind: 'hang' } : wire('the fallback should never be asked')
  return wire('fine')
}

interface Lane {
  name: string
  front: Front
  up: 'an' | 'oc'
}
const LANES: Lane[] = [
  { name: 'chat → anthropic', front: 'chat', up: 'an' },
  { name: 'messages → openai-chat', front: 'messages', up: 'oc' },
  { name: 'responses → anthropic', front: 'responses', up: 'an' },
  { name: 'chat pass-through', front: 'chat', up: 'oc' },
]

let mock: Mock
let proxy: TestProxy
let seq = 0

beforeAll(async () => {
  const seen = new Map<string, number>()
  mock = startMock((r, n) => script(r, n, seen))
  const common = { api_key: 'k', max_retries: 0, first_byte_timeout: '5s', idle_timeout: '5s' }
  proxy = await startProxy(
    {
      logging: { level: 'info', requests: true },
      providers: {
        an: { dialect: 'anthropic', base_url: mock.url, ...common },
        an2: { dialect: 'anthropic', base_url: mock.url, ...common },
        oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, ...common },
        oc2: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, ...common },
      },
      // fo-*: the same model name on a second provider as the fallback (the mock counts attempts)
      models: { 'fo-an-*': { targets: ['an/*'], fallbacks: ['an2/*'] }, 'fo-oc-*': { targets: ['oc/*'], fallbacks: ['oc2/*'] }, 'an-*': 'an/*', 'oc-*': 'oc/*' },
    },
    {},
    { breaker: { minAttempts: 1_000_000 } },
  )
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

async function until(cond: () => boolean, ms = 3000): Promise<boolean> {
  const end = performance.now() + ms
  while (performance.now() < end) {
    if (cond()) return true
    await Bun.sleep(10)
  }
  return cond()
}

interface LogLine {
  msg?: string
  model?: string
  status?: number
  disconnected?: boolean
  attempts?: number
}
const requestLines = (model: string): LogLine[] =>
  proxy.logs
    .map((l) => {
      try {
        return JSON.parse(l) as LogLine
      } catch {
        return {}
      }
    })
    .filter((l) => l.msg === 'request' && l.model === model)

async function activeStreams(): Promise<number> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('llm_proxy_active_streams'))
  return line ? Number(line.split(' ').pop()) : NaN
}

/** starts a streaming request, lets `leave` decide when to hang up, returns the model it used */
async function leaveEarly(lane: Lane, model: string, leave: (res: Response | undefined) => Promise<void>, waitMs: number): Promise<void> {
  const ctl = new AbortController()
  const pending = fetch(`${proxy.url}${PATHS[lane.front]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(requestBody(lane.front, model, true)),
    signal: ctl.signal,
  }).catch(() => undefined)
  if (waitMs > 0) {
    await Bun.sleep(waitMs)
    ctl.abort()
    await pending
    return
  }
  await leave(await pending)
  ctl.abort()
}

const upstreamOf = (model: string) => mock.received.filter((r) => r.body?.model === model)

for (const lane of LANES) {
  describe(lane.name, () => {
    test('disconnect before the upstream answered: upstream aborted, request finished', async () => {
      const model = `${lane.up}-${++seq}-hang`
      await leaveEarly(lane, model, async () => {}, 200)
      expect(await until(() => upstreamOf(model).length === 1 && upstreamOf(model)[0].aborted)).toBe(true)
      expect(await until(() => requestLines(model).length === 1)).toBe(true)
      expect(requestLines(model)[0].status).toBe(499)
    })

    test('disconnect mid-stream: upstream aborted, request finished as disconnected', async () => {
      const model = `${lane.up}-${++seq}-stream`
      await leaveEarly(
        lane,
        model,
        async (res) => {
          expect(res?.status).toBe(200)
          const reader = res!.body!.getReader()
          // a few chunks in, then hang up
          for (let i = 0; i < 3; i++) await reader.read()
          await reader.cancel()
        },
        0,
      )
      expect(await until(() => upstreamOf(model).length === 1 && upstreamOf(model)[0].aborted)).toBe(true)
      expect(await until(() => requestLines(model).length === 1)).toBe(true)
      expect(requestLines(model)[0].disconnected).toBe(true)
      // the mock would have sent for 5 s more; the abort came well before that
    })

    test('disconnect while the first target hangs: it is aborted and no fallback is asked', async () => {
      const model = `fo-${lane.up}-${++seq}-hangfirst`
      await leaveEarly(lane, model, async () => {}, 200)
      expect(await until(() => upstreamOf(model).length >= 1 && upstreamOf(model)[0].aborted)).toBe(true)
      expect(await until(() => requestLines(model).length === 1)).toBe(true)
      await Bun.sleep(100)
      expect(upstreamOf(model).length).toBe(1)
      expect(requestLines(model)[0].status).toBe(499)
    })

    test('disconnect during failover (first target failed slowly, fallback pending): fallback aborted', async () => {
      const model = `fo-${lane.up}-${++seq}-slowfail`
      // the first target answers 503 after 300 ms, the fallback then hangs; leave at 600 ms
      await leaveEarly(lane, model, async () => {}, 600)
      expect(await until(() => upstreamOf(model).length === 2 && upstreamOf(model)[1].aborted)).toBe(true)
      expect(await until(() => requestLines(model).length === 1)).toBe(true)
      expect(requestLines(model)[0].attempts).toBe(2)
    })
  })
}

test('after all of it: no stream is counted active, every request logged once', async () => {
  expect(await until(() => proxy.logs.filter((l) => l.includes('"msg":"request"')).length === seq)).toBe(true)
  expect(await activeStreams()).toBe(0)
})
