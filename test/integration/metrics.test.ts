// GET /metrics after real traffic, read with the strict exposition parser: every family the
// gateway promises is there with the right labels and plausible values.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'
import { parsePrometheus, type Family } from '../unit/observe/prometheus-parser'

const GOOD = 'sk-metrics-good-1111111111'
const REVOKED = 'sk-metrics-revoked-2222222'
const CLIENT = 'sk-metrics-client-3333333'
const LIMITED = 'sk-metrics-limited-444444'

let up: Mock
let proxy: TestProxy
let flakyCalls = 0

function upstream(r: Received): Reply {
  const fail = (status: number): Reply => ({ kind: 'json', status, body: { error: { message: `mock ${status}`, type: 'server_error', code: null } } })
  if (r.path.startsWith('/down/')) return fail(503)
  if (r.path.startsWith('/flaky/') && flakyCalls++ % 2 === 0) return fail(503)
  if (r.headers.get('authorization') === `Bearer ${REVOKED}`) return { kind: 'json', status: 401, body: { error: { message: 'revoked', type: 'invalid_request_error', code: 'invalid_api_key' } } }
  const last = r.body?.messages?.at(-1)?.content
  const reply = openaiChat(r, { text: 'metrics answer', usage: { input: 1000, output: 200 } })
  if (reply.kind === 'sse') return last === 'SLOW' ? { ...reply, delayMs: 120 } : reply
  if (reply.kind === 'json') {
    const body = reply.body as { usage: Record<string, unknown> }
    body.usage.prompt_tokens_details = { cached_tokens: 300 }
    body.usage.completion_tokens_details = { reasoning_tokens: 50 }
  }
  return reply
}

const chat = (key: string, model: string, content = 'hi', stream = false) =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
  })

async function scrape(): Promise<Map<string, Family>> {
  const res = await fetch(`${proxy.url}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
  return parsePrometheus(await res.text())
}

/** The value of the one sample of `name` whose labels include `labels` (0 when absent). */
function value(fams: Map<string, Family>, family: string, labels: Record<string, string> = {}, sample = family): number {
  const f = fams.get(family)
  if (!f) throw new Error(`no metric family ${family}`)
  const hits = f.samples.filter((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  return hits.reduce((a, s) => a + s.value, 0)
}

beforeAll(async () => {
  up = startMock(upstream)
  proxy = await startProxy(
    {
      providers: {
        up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: [GOOD, REVOKED], max_retries: 0 },
        down: { dialect: 'openai-chat', base_url: `${up.url}/down/v1`, api_key: GOOD, max_retries: 0 },
        flaky: { dialect: 'openai-chat', base_url: `${up.url}/flaky/v1`, api_key: GOOD, max_retries: 1 },
        demo: { dialect: 'echo' },
      },
      models: {
        safe: { strategy: 'fallback', targets: ['down/m1'], fallbacks: ['up/gpt-4o'] },
        'gpt-*': 'up/*',
        'echo-*': 'demo/*',
      },
      pricing: { 'gpt-4o': { input: 2.5, output: 10, cache_read: 1.25 } },
      auth: {
        keys: [
          { key: CLIENT, name: 'client' },
          { key: LIMITED, name: 'limited', rpm: 1 },
        ],
      },
    },
    {},
    { sleep: async () => {}, breaker: { window: 2, minAttempts: 2, failureRatio: 0.5, cooldownMs: 60_000 } },
  )

  // traffic: plain successes (one of them through the revoked key, then the good one), a
  // fallback past a failing target twice (its circuit opens), a retry, a rate-limit refusal
  for (let i = 0; i < 3; i++) expect((await chat(CLIENT, 'gpt-4o')).status).toBe(200)
  for (let i = 0; i < 2; i++) expect((await chat(CLIENT, 'safe')).status).toBe(200)
  expect((await chat(CLIENT, 'flaky/f1')).status).toBe(200)
  expect((await chat(LIMITED, 'echo-1')).status).toBe(200)
  expect((await chat(LIMITED, 'echo-1')).status).toBe(429)
  const s = await chat(CLIENT, 'gpt-4o', 'hi', true)
  await s.text()
})

afterAll(() => {
  proxy?.stop()
  up?.stop()
})

test('requests by front, provider, model and status; tokens by kind; cost', async () => {
  const m = await scrape()
  expect(value(m, 'llm_proxy_requests_total', { front: 'openai-chat', provider: 'up', model: 'gpt-4o', status: '200' })).toBe(6)
  expect(value(m, 'llm_proxy_requests_total', { front: 'openai-chat', provider: 'flaky', model: 'f1', status: '200' })).toBe(1)
  expect(value(m, 'llm_proxy_requests_total', { front: 'openai-chat', provider: 'demo', status: '200' })).toBe(1)
  expect(value(m, 'llm_proxy_requests_total', { front: 'openai-chat', provider: '', status: '429' })).toBe(1)
  // five non-streamed gpt-4o answers with cache and reasoning details, one stream without
  expect(value(m, 'llm_proxy_tokens_total', { provider: 'up', model: 'gpt-4o', kind: 'input' })).toBe(6000)
  expect(value(m, 'llm_proxy_tokens_total', { provider: 'up', model: 'gpt-4o', kind: 'output' })).toBe(1200)
  expect(value(m, 'llm_proxy_tokens_total', { provider: 'up', model: 'gpt-4o', kind: 'cache_read' })).toBe(1500)
  expect(value(m, 'llm_proxy_tokens_total', { provider: 'up', model: 'gpt-4o', kind: 'reasoning' })).toBe(250)
  // 5 × (700 × 2.5 + 300 × 1.25 + 200 × 10) + (1000 × 2.5 + 200 × 10), per million
  expect(value(m, 'llm_proxy_cost_usd_total', { provider: 'up', model: 'gpt-4o' })).toBeCloseTo((5 * 4125 + 4500) / 1e6, 10)
})

test('latency histograms: duration, time to first token, proxy overhead', async () => {
  const m = await scrape()
  expect(m.get('llm_proxy_request_duration_seconds')!.type).toBe('histogram')
  expect(value(m, 'llm_proxy_request_duration_seconds', { front: 'openai-chat', provider: 'up' }, 'llm_proxy_request_duration_seconds_count')).toBe(6)
  expect(value(m, 'llm_proxy_time_to_first_token_seconds', { front: 'openai-chat', provider: 'up' }, 'llm_proxy_time_to_first_token_seconds_count')).toBe(1)
  const overheadCount = value(m, 'llm_proxy_overhead_seconds', { front: 'openai-chat' }, 'llm_proxy_overhead_seconds_count')
  expect(overheadCount).toBeGreaterThanOrEqual(7)
  const overheadSum = value(m, 'llm_proxy_overhead_seconds', { front: 'openai-chat' }, 'llm_proxy_overhead_seconds_sum')
  expect(overheadSum / overheadCount).toBeLessThan(0.05)
})

test('upstream errors by class, retries, fallbacks, rate-limit rejections', async () => {
  const m = await scrape()
  expect(value(m, 'llm_proxy_upstream_errors_total', { provider: 'down', class: '5xx' })).toBe(2)
  expect(value(m, 'llm_proxy_upstream_errors_total', { provider: 'up', class: 'auth' })).toBe(1)
  expect(value(m, 'llm_proxy_upstream_errors_total', { provider: 'flaky', class: '5xx' })).toBe(1)
  // the revoked key then the good one on the same target, and the flaky target twice: retries
  expect(value(m, 'llm_proxy_retries_total', { provider: 'up' })).toBe(1)
  expect(value(m, 'llm_proxy_retries_total', { provider: 'flaky' })).toBe(1)
  expect(value(m, 'llm_proxy_fallbacks_total', { from_provider: 'down' })).toBe(2)
  expect(value(m, 'llm_proxy_fallbacks_total', { from_provider: 'up' })).toBe(0)
  expect(value(m, 'llm_proxy_rate_limited_total', { scope: 'key', limit: 'rpm' })).toBe(1)
})

test('key bench and circuit-breaker state gauges, process memory', async () => {
  const m = await scrape()
  expect(value(m, 'llm_proxy_key_bench_state', { provider: 'up', state: 'healthy' })).toBe(1)
  expect(value(m, 'llm_proxy_key_bench_state', { provider: 'up', state: 'benched_auth' })).toBe(1)
  expect(value(m, 'llm_proxy_key_bench_state', { provider: 'up', state: 'benched_rate' })).toBe(0)
  expect(value(m, 'llm_proxy_key_bench_state', { provider: 'down', state: 'healthy' })).toBe(1)
  expect(value(m, 'llm_proxy_circuit_state', { target: 'down/m1', state: 'open' })).toBe(1)
  expect(value(m, 'llm_proxy_circuit_state', { target: 'down/m1', state: 'closed' })).toBe(0)
  expect(m.get('llm_proxy_circuit_state')!.samples.some((s) => s.labels.target === 'up/gpt-4o')).toBe(false)
  expect(value(m, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000)
})

test('active streams gauge goes up during a stream and back to 0 (also after a client disconnect)', async () => {
  expect(value(await scrape(), 'llm_proxy_active_streams')).toBe(0)
  const res = await chat(CLIENT, 'gpt-4o', 'SLOW', true)
  const reader = res.body!.getReader()
  await reader.read()
  expect(value(await scrape(), 'llm_proxy_active_streams')).toBe(1)
  const ac = new AbortController()
  const second = await fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${CLIENT}` },
    body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'SLOW' }] }),
    signal: ac.signal,
  })
  await second.body!.getReader().read()
  expect(value(await scrape(), 'llm_proxy_active_streams')).toBe(2)
  ac.abort()
  while (!(await reader.read()).done);
  const deadline = Date.now() + 1500
  while (value(await scrape(), 'llm_proxy_active_streams') !== 0 && Date.now() < deadline) await Bun.sleep(20)
  expect(value(await scrape(), 'llm_proxy_active_streams')).toBe(0)
})

test('the scrape carries no key', async () => {
  const text = await (await fetch(`${proxy.url}/metrics`)).text()
  for (const k of [GOOD, REVOKED, CLIENT, LIMITED]) expect(text).not.toContain(k)
})
