// Bun's fetch caps the upstream requests in flight per process (BUN_CONFIG_MAX_HTTP_REQUESTS);
// the ones past the cap wait in Bun's queue. That wait counts toward first_byte_timeout: a queued
// request is answered 504 at its timeout, not held silently until a slot frees.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { spawnProxy, type ProxyProcess } from './spawn-proxy'
import { openaiChat } from '../helpers/wire'

const CAP = 2
const FIRST_BYTE_MS = 600
/** each upstream answer takes this long, under the timeout on its own */
const UPSTREAM_MS = 450

let up: Mock
let proxy: ProxyProcess
const saved = process.env.BUN_CONFIG_MAX_HTTP_REQUESTS

beforeAll(async () => {
  up = startMock(async (r) => {
    if (r.body?.stream) return { ...(openaiChat(r, { text: 'a long slow stream' }) as any), delayMs: 400 }
    await Bun.sleep(UPSTREAM_MS)
    return openaiChat(r, { text: 'ok' })
  })
  process.env.BUN_CONFIG_MAX_HTTP_REQUESTS = String(CAP)
  proxy = await spawnProxy({
    providers: { up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-queue-123456', max_retries: 0, first_byte_timeout: `${FIRST_BYTE_MS}ms` } },
    models: { 'gpt-*': 'up/*' },
  }, { binary: process.env.LLM_PROXY_BINARY })
  if (saved === undefined) delete process.env.BUN_CONFIG_MAX_HTTP_REQUESTS
  else process.env.BUN_CONFIG_MAX_HTTP_REQUESTS = saved
})
afterAll(async () => {
  await proxy?.stop()
  up?.stop()
})

test(`requests queued behind the upstream cap (${CAP}) still end at first_byte_timeout`, async () => {
  const one = async () => {
    const t0 = performance.now()
    const res = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    })
    await res.text()
    return { status: res.status, ms: performance.now() - t0 }
  }
  const results = await Promise.all(Array.from({ length: 8 }, one))
  console.log(results.map((r) => `${r.status}@${Math.round(r.ms)}`).join(' '))
  // the first CAP get through; the rest waited UPSTREAM_MS × k for a slot
  expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(CAP)
  for (const r of results) expect(r.ms).toBeLessThan(FIRST_BYTE_MS + 700)
  for (const r of results.filter((x) => x.status !== 200)) expect(r.status).toBe(504)
})

test('streams holding every slot: a queued request still ends at first_byte_timeout', async () => {
  const body = (stream: boolean) =>
    JSON.stringify({ model: 'gpt-4o', stream, messages: [{ role: 'user', content: 'hi' }] })
  const post = (stream: boolean) => fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(stream) })
  // two streams of ~3 s take both upstream slots
  const streams = await Promise.all([post(true), post(true)])
  const t0 = performance.now()
  const queued = await post(false)
  const ms = performance.now() - t0
  console.log(`queued behind streams: ${queued.status} after ${Math.round(ms)} ms`)
  await queued.text()
  expect(queued.status).toBe(504)
  expect(ms).toBeLessThan(FIRST_BYTE_MS + 700)
  await Promise.all(streams.map((s) => s.text()))
})
