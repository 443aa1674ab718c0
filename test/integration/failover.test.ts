// Routing resilience through the real server: failover before the first byte (every retryable
// failure, every client dialect, streaming and not), key rotation and benching, no retry of the
// client's own errors or after the first byte, backoff and Retry-After on the last target, the
// final error naming what was tried, the route headers, and circuit breakers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic as anthropicWire, openaiChat } from '../helpers/wire'

type Front = 'chat' | 'messages' | 'responses'
const FRONTS: Front[] = ['chat', 'messages', 'responses']
const PATHS: Record<Front, string> = { chat: '/v1/chat/completions', messages: '/v1/messages', responses: '/v1/responses' }
const ANSWER = 'answer from the good upstream'

function bodyFor(front: Front, model: string, stream: boolean, text: string): Record<string, unknown> {
  if (front === 'responses') return { model, stream, input: text }
  if (front === 'messages') return { model, stream, max_tokens: 50, messages: [{ role: 'user', content: text }] }
  return { model, stream, messages: [{ role: 'user', content: text }] }
}

interface Reply1 {
  status: number
  headers: Headers
  raw: string
  /** the assistant text, from JSON or from the stream's deltas */
  text: string
  /** error message when the answer is an error */
  error?: string
}

const sseData = (raw: string): any[] =>
  raw
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)))

function textOf(front: Front, stream: boolean, raw: string): string {
  if (stream) {
    let s = ''
    for (const d of sseData(raw)) {
      if (front === 'chat') s += d.choices?.[0]?.delta?.content ?? ''
      else if (front === 'messages') s += d.type === 'content_block_delta' ? (d.delta.text ?? '') : ''
      else s += d.type === 'response.output_text.delta' ? d.delta : ''
    }
    return s
  }
  const j = JSON.parse(raw)
  if (front === 'chat') return j.choices?.[0]?.message?.content ?? ''
  if (front === 'messages') return (j.content ?? []).find((b: any) => b.type === 'text')?.text ?? ''
  return (j.output ?? []).find((o: any) => o.type === 'message')?.content?.[0]?.text ?? ''
}

async function call(proxy: TestProxy, front: Front, model: string, stream = false, text = 'hello', headers: Record<string, string> = {}): Promise<Reply1> {
  const res = await fetch(`${proxy.url}${PATHS[front]}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(bodyFor(front, model, stream, text)),
  })
  const raw = await res.text()
  if (res.status !== 200) return { status: res.status, headers: res.headers, raw, text: '', error: JSON.parse(raw).error?.message }
  return { status: res.status, headers: res.headers, raw, text: textOf(front, stream, raw) }
}

const route = (r: Reply1) => [r.headers.get('x-llm-proxy-provider'), r.headers.get('x-llm-proxy-model'), r.headers.get('x-llm-proxy-attempts')]

/** who received what, across all mocks, in arrival order */
const order: string[] = []
const tagged = (name: string, script: (r: Received, n: number) => Reply | Promise<Reply>) =>
  startMock((r, n) => {
    order.push(`${name} ${r.body?.model}`)
    return script(r, n)
  })
const errorReply = (status: number, headers?: Record<string, string>): Reply => ({
  kind: 'json',
  status,
  headers,
  body: { error: { message: `boom ${status}`, type: status < 500 ? 'invalid_request_error' : 'server_error', param: null, code: null } },
})
const statusIn = (model: string) => Number(/(\d{3})/.exec(model)![1])
const sawModel = (m: Mock, model: string) => m.received.filter((r) => r.body?.model === model).length
const sawText = (m: Mock, text: string) => m.received.filter((r) => JSON.stringify(r.body).includes(text)).length

// a port nobody listens on: a server started and stopped at once
const closedPort = (() => {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
  const port = s.port
  s.stop(true)
  return port
})()

describe('one proxy, many failure modes', () => {
  let bad: Mock
  let hang: Mock
  let dropper: Mock
  let good: Mock
  let proxy: TestProxy
  beforeAll(async () => {
    bad = tagged('bad', (r) => errorReply(statusIn(r.body.model)))
    hang = tagged('hang', () => ({ kind: 'hang' }))
    dropper = tagged('dropper', (r) => ({ ...(openaiChat(r, { text: 'partial answer that never ends' }) as any), dropAfter: 3, delayMs: 30 }))
    good = tagged('good', (r) => openaiChat(r, { text: ANSWER }))
    const o = (m: Mock | string, extra: Record<string, unknown> = {}) => ({
      dialect: 'openai-chat',
      base_url: `${typeof m === 'string' ? m : m.url}/v1`,
      api_key: 'k-one',
      ...extra,
    })
    proxy = await startProxy({
      providers: {
        bad: o(bad),
        closed: o(`http://127.0.0.1:${closedPort}`),
        slow: o(hang, { first_byte_timeout: '300ms' }),
        dropper: o(dropper),
        good: o(good),
        p429: o(bad),
        p503: o(bad, { max_retries: 0 }),
      },
      models: {
        'f-*': { targets: ['bad/*'], fallbacks: ['good/gpt-good'] },
        'refused-*': { targets: ['closed/*'], fallbacks: ['good/gpt-good'] },
        'slow-*': { targets: ['slow/*'], fallbacks: ['good/gpt-good'] },
        'drop-*': { targets: ['dropper/*'], fallbacks: ['good/gpt-good'] },
        'all-*': { targets: ['p429/*'], fallbacks: ['p503/m-503'] },
      },
    })
  })
  afterAll(() => {
    proxy?.stop()
    for (const m of [bad, hang, dropper, good]) m?.stop()
  })

  for (const front of FRONTS)
    for (const stream of [false, true])
      test(`${front}${stream ? ' streaming' : ''}: every retryable failure before the first byte fails over to the fallback`, async () => {
        const cases = ['f-408', 'f-409', 'f-429', 'f-500', 'f-502', 'f-503', 'f-504', 'f-529', 'refused-x', 'slow-x']
        await Promise.all(
          cases.map(async (c) => {
            // unique per dialect and mode: every request is a new target for the breakers
            const model = `${c}-${front}-${stream}`
            const marker = `msg ${model}`
            const r = await call(proxy, front, model, stream, marker)
            expect({ model, status: r.status, error: r.error }).toEqual({ model, status: 200, error: undefined })
            expect(r.text).toBe(ANSWER)
            expect(route(r)).toEqual(['good', 'gpt-good', '2'])
            expect(sawText(good, marker)).toBe(1)
            const failed = c.startsWith('f-') ? sawModel(bad, model) : c.startsWith('slow') ? sawModel(hang, model) : 1
            expect({ model, failed }).toEqual({ model, failed: 1 })
            // the failing target was asked first, the fallback after it
            const first = order.findIndex((o) => o.endsWith(` ${model}`))
            if (!c.startsWith('refused')) expect(first).toBeGreaterThanOrEqual(0)
            // (a refused connection reaches no mock: first is -1, and a negative fromIndex would
            // make indexOf search only the last entries)
            expect(order.indexOf('good gpt-good', Math.max(0, first))).toBeGreaterThan(first)
          }),
        )
      })

  for (const front of FRONTS)
    test(`${front}: errors the client caused (400, 404, 413, 422) come back at once, never retried`, async () => {
      for (const status of [400, 404, 413, 422]) {
        const model = `f-${status}-${front}`
        const marker = `msg ${model}`
        const r = await call(proxy, front, model, false, marker)
        expect(r.status).toBe(status)
        expect(r.error).toContain(`boom ${status}`)
        expect(sawModel(bad, model)).toBe(1)
        expect(sawText(good, marker)).toBe(0)
        expect(route(r)).toEqual(['bad', model, '1'])
      }
    })

  test('pass-through: the upstream error body reaches a same-dialect client byte for byte', async () => {
    const r = await call(proxy, 'chat', 'f-422-raw')
    expect(r.status).toBe(422)
    expect(JSON.parse(r.raw)).toEqual({ error: { message: 'boom 422', type: 'invalid_request_error', param: null, code: null } })
  })

  const streamError: Record<Front, (raw: string) => boolean> = {
    chat: (raw) => sseData(raw).some((d) => d.error?.message),
    messages: (raw) => raw.includes('event: error') && sseData(raw).some((d) => d.type === 'error'),
    responses: (raw) => sseData(raw).some((d) => d.type === 'response.failed' || d.type === 'error'),
  }
  for (const front of FRONTS)
    test(`${front}: a stream that drops after the first byte ends with an in-stream error; nothing is retried`, async () => {
      const model = `drop-${front}`
      const marker = `msg ${model}`
      const r = await call(proxy, front, model, true, marker)
      expect(r.status).toBe(200)
      expect(r.text.length).toBeGreaterThan(0) // part of the answer went out
      expect(streamError[front](r.raw)).toBe(true)
      expect(sawModel(dropper, model)).toBe(1)
      expect(sawText(good, marker)).toBe(0)
      expect(route(r)).toEqual(['dropper', model, '1'])
    })

  for (const front of FRONTS)
    test(`${front}: when everything failed the error says what was tried`, async () => {
      const model = `all-429-${front}`
      const r = await call(proxy, front, model)
      // Anthropic's own overloaded status is 529
      expect(r.status).toBe(front === 'messages' ? 529 : 503)
      expect(r.error).toContain(`tried p429/${model} (429), p503/m-503 (503)`)
      expect(route(r)).toEqual(['p503', 'm-503', '2'])
    })

  test('a single failing target forwards its error with the route headers', async () => {
    const r = await call(proxy, 'messages', 'bad/x-404')
    expect(r.status).toBe(404)
    expect(route(r)).toEqual(['bad', 'x-404', '1'])
    expect(r.headers.get('x-request-id')).toMatch(/^req_/)
    const ok = await call(proxy, 'chat', 'good/gpt-direct', true)
    expect(route(ok)).toEqual(['good', 'gpt-direct', '1'])
  })
})

describe('keys', () => {
  const keyed = (fails: (auth: string, n: number) => Reply | undefined) => {
    const seen: string[] = []
    const mock = startMock((r, n) => {
      const auth = r.headers.get('authorization') ?? ''
      seen.push(auth.replace('Bearer ', ''))
      return fails(auth, n) ?? openaiChat(r, { text: ANSWER })
    })
    return { mock, seen }
  }
  const config = (keyedUrl: string, fallbackUrl?: string) => ({
    providers: {
      keyed: { dialect: 'openai-chat', base_url: `${keyedUrl}/v1`, api_key: ['k1', 'k2'] },
      ...(fallbackUrl ? { spare: { dialect: 'openai-chat', base_url: `${fallbackUrl}/v1`, api_key: 'k-spare' } } : {}),
    },
    models: { pick: fallbackUrl ? { targets: ['keyed/m'], fallbacks: ['spare/m'] } : 'keyed/m' },
  })

  for (const status of [401, 403, 429])
    test(`${status} on k1: retried with k2 on the same provider, then the next target`, async () => {
      const one = keyed((auth) => (auth === 'Bearer k1' ? errorReply(status) : undefined))
      const p = await startProxy(config(one.mock.url))
      const all = keyed(() => errorReply(status))
      const spare = startMock((r) => openaiChat(r, { text: ANSWER }))
      const p2 = await startProxy(config(all.mock.url, spare.url))
      try {
        const r = await call(p, 'chat', 'pick')
        expect(r.status).toBe(200)
        expect(one.seen).toEqual(['k1', 'k2'])
        expect(route(r)).toEqual(['keyed', 'm', '2'])
        // both keys refused: then the fallback target, each key asked once
        const r2 = await call(p2, 'messages', 'pick')
        expect(r2.status).toBe(200)
        expect(r2.text).toBe(ANSWER)
        expect(all.seen).toEqual(['k1', 'k2'])
        expect(spare.received.length).toBe(1)
        expect(route(r2)).toEqual(['spare', 'm', '3'])
      } finally {
        p.stop()
        p2.stop()
        for (const m of [one.mock, all.mock, spare]) m.stop()
      }
    })

  test('a 401 with the only key is not retried with that same key', async () => {
    const one = keyed(() => errorReply(401))
    const p = await startProxy({ providers: { keyed: { dialect: 'openai-chat', base_url: `${one.mock.url}/v1`, api_key: 'k1' } }, models: { pick: 'keyed/m' } })
    try {
      const r = await call(p, 'chat', 'pick')
      expect(r.status).toBe(401)
      expect(one.seen).toEqual(['k1'])
    } finally {
      p.stop()
      one.mock.stop()
    }
  })

  test('after a 401, k1 is benched: later requests use only k2, until a reload', async () => {
    const one = keyed((auth) => (auth === 'Bearer k1' ? errorReply(401) : undefined))
    const raw = config(one.mock.url)
    const p = await startProxy(raw)
    try {
      for (let i = 0; i < 5; i++) expect((await call(p, 'chat', 'pick')).status).toBe(200)
      expect(one.seen).toEqual(['k1', 'k2', 'k2', 'k2', 'k2', 'k2'])
      p.reload(raw)
      expect((await call(p, 'chat', 'pick')).status).toBe(200)
      expect(one.seen.slice(6)).toEqual(['k1', 'k2'])
    } finally {
      p.stop()
      one.mock.stop()
    }
  })

  test('after a 429 with Retry-After: 1, k1 is skipped for about a second, then used again', async () => {
    let limited = false
    const one = keyed((auth) => {
      if (auth !== 'Bearer k1' || limited) return undefined
      limited = true
      return errorReply(429, { 'retry-after': '1' })
    })
    const p = await startProxy(config(one.mock.url))
    try {
      const t0 = performance.now()
      for (let i = 0; i < 4; i++) expect((await call(p, 'chat', 'pick')).status).toBe(200)
      expect(performance.now() - t0).toBeLessThan(900)
      expect(one.seen).toEqual(['k1', 'k2', 'k2', 'k2', 'k2'])
      await Bun.sleep(1100 - (performance.now() - t0))
      for (let i = 0; i < 2; i++) expect((await call(p, 'chat', 'pick')).status).toBe(200)
      expect(one.seen.slice(5).sort()).toEqual(['k1', 'k2'])
    } finally {
      p.stop()
      one.mock.stop()
    }
  })
})

describe('retries on the last target', () => {
  const single = (url: string, extra: Record<string, unknown> = {}) => ({
    providers: { solo: { dialect: 'openai-chat', base_url: `${url}/v1`, api_key: 'k', max_retries: 2, ...extra } },
    models: { solo: 'solo/m' },
  })

  test('max_retries: 2 → three requests with backoff between them, then the error names all three', async () => {
    const times: number[] = []
    const m = startMock(() => {
      times.push(performance.now())
      return errorReply(503)
    })
    const p = await startProxy(single(m.url))
    try {
      const r = await call(p, 'responses', 'solo')
      expect(m.received.length).toBe(3)
      expect(r.status).toBe(503)
      expect(r.error).toContain('tried solo/m (503), solo/m (503), solo/m (503)')
      expect(route(r)).toEqual(['solo', 'm', '3'])
      // full-jitter backoff: base 250 ms then 500 ms, never more
      expect(times[2] - times[0]).toBeLessThan(1500)
    } finally {
      p.stop()
      m.stop()
    }
  })

  test('Retry-After: 1 from a 429 is honoured in real time', async () => {
    const times: number[] = []
    const m = startMock((r, n) => {
      times.push(performance.now())
      return n === 0 ? errorReply(429, { 'retry-after': '1' }) : openaiChat(r, { text: ANSWER })
    })
    const p = await startProxy(single(m.url))
    try {
      const r = await call(p, 'chat', 'solo', true)
      expect(r.status).toBe(200)
      expect(r.text).toBe(ANSWER)
      expect(m.received.length).toBe(2)
      const gap = times[1] - times[0]
      expect(gap).toBeGreaterThanOrEqual(950)
      expect(gap).toBeLessThan(2500)
      expect(route(r)).toEqual(['solo', 'm', '2'])
    } finally {
      p.stop()
      m.stop()
    }
  })

  test('waits: jittered backoff without Retry-After, a huge Retry-After capped (injected sleep)', async () => {
    const slept: number[] = []
    const sleep = async (ms: number) => void slept.push(ms)
    const m = startMock((r) => (r.body.model === 'capped' ? errorReply(429, { 'retry-after': '3600' }) : errorReply(502)))
    const p = await startProxy(
      {
        providers: { solo: { dialect: 'openai-chat', base_url: `${m.url}/v1`, api_key: 'k', max_retries: 2 } },
        models: { solo: 'solo/m', capped: 'solo/capped' },
      },
      {},
      { sleep },
    )
    try {
      expect((await call(p, 'chat', 'solo')).status).toBe(502)
      expect(slept.length).toBe(2)
      expect(slept[0]).toBeLessThan(250)
      expect(slept[1]).toBeLessThan(500)
      slept.length = 0
      const t0 = performance.now()
      const r = await call(p, 'messages', 'capped')
      expect(performance.now() - t0).toBeLessThan(1000)
      expect(r.status).toBe(429)
      expect(m.received.filter((x) => x.body.model === 'capped').length).toBe(3)
      expect(slept).toEqual([30_000, 30_000])
      expect(r.headers.get('retry-after')).toBe('3600')
    } finally {
      p.stop()
      m.stop()
    }
  })

  test('a client that leaves during a Retry-After wait ends the request at once', async () => {
    const m = startMock(() => errorReply(429, { 'retry-after': '20' }))
    const p = await startProxy(single(m.url))
    try {
      const ctl = new AbortController()
      const pending = fetch(`${p.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(bodyFor('chat', 'solo', false, 'x')), signal: ctl.signal }).catch(() => undefined)
      await Bun.sleep(200)
      expect(m.received.length).toBe(1)
      ctl.abort()
      await pending
      const t0 = performance.now()
      while (!p.logs.some((l) => l.includes('"msg":"request"')) && performance.now() - t0 < 2000) await Bun.sleep(20)
      expect(performance.now() - t0).toBeLessThan(1000)
      expect(m.received.length).toBe(1)
    } finally {
      p.stop()
      m.stop()
    }
  })

  test('no wait beyond request_timeout: the plan gives up instead of sleeping past it', async () => {
    const m = startMock(() => errorReply(429, { 'retry-after': '20' }))
    const p = await startProxy({ ...single(m.url), server: { request_timeout: '2s' } })
    try {
      const t0 = performance.now()
      const r = await call(p, 'chat', 'solo')
      expect(performance.now() - t0).toBeLessThan(1000)
      expect(r.status).toBe(429)
      expect(m.received.length).toBe(1)
    } finally {
      p.stop()
      m.stop()
    }
  })
})

describe('circuit breaker', () => {
  test('a target that keeps failing is skipped until the cool-down, then probed once', async () => {
    const dead = startMock(() => errorReply(503))
    const good = startMock((r) => openaiChat(r, { text: ANSWER }))
    const p = await startProxy(
      {
        providers: {
          dead: { dialect: 'openai-chat', base_url: `${dead.url}/v1`, api_key: 'k' },
          closed: { dialect: 'openai-chat', base_url: `http://127.0.0.1:${closedPort}/v1`, api_key: 'k' },
          good: { dialect: 'openai-chat', base_url: `${good.url}/v1`, api_key: 'k' },
        },
        models: {
          cb: { targets: ['dead/m'], fallbacks: ['good/m'] },
          gone: { targets: ['closed/m'], fallbacks: ['good/m'] },
        },
      },
      {},
      { breaker: { cooldownMs: 600 } },
    )
    try {
      const attempts = async (model: string) => {
        const r = await call(p, 'chat', model)
        expect(r.status).toBe(200)
        return route(r)[2]
      }
      for (let i = 0; i < 5; i++) expect(await attempts('cb')).toBe('2')
      expect(dead.received.length).toBe(5)
      // open: straight to the fallback, the dead mock's count stops growing
      for (let i = 0; i < 4; i++) expect(await attempts('cb')).toBe('1')
      expect(dead.received.length).toBe(5)
      await Bun.sleep(650)
      // half-open: one probe (it fails: open again)
      expect(await attempts('cb')).toBe('2')
      expect(dead.received.length).toBe(6)
      expect(await attempts('cb')).toBe('1')
      expect(dead.received.length).toBe(6)
      // connection failures count too
      for (let i = 0; i < 5; i++) expect(await attempts('gone')).toBe('2')
      expect(await attempts('gone')).toBe('1')
    } finally {
      p.stop()
      dead.stop()
      good.stop()
    }
  })
})

describe('an error as the very first stream event', () => {
  test('is failed over like an HTTP error: no output had reached the client', async () => {
    const bad = startMock(() => ({
      kind: 'sse',
      frames: [{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }],
    }))
    const good = startMock((r) => anthropicWire(r, { text: 'from the fallback' }))
    const p = await startProxy({
      providers: {
        bad: { dialect: 'anthropic', base_url: bad.url, api_key: 'k', max_retries: 0 },
        good: { dialect: 'anthropic', base_url: good.url, api_key: 'k' },
      },
      models: { m: { targets: ['bad/claude-x'], fallbacks: ['good/claude-y'] } },
    })
    try {
      const res = await fetch(`${p.url}/v1/messages`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      })
      const text = await res.text()
      expect(res.status).toBe(200)
      expect(text).toContain('message_stop')
      expect(text).toContain('"stop_reason":"end_turn"')
      expect(text).not.toContain('Overloaded')
      expect(res.headers.get('x-llm-proxy-provider')).toBe('good')
      expect(bad.received).toHaveLength(1)
      expect(good.received).toHaveLength(1)
    } finally {
      p.stop()
      bad.stop()
      good.stop()
    }
  })
})
