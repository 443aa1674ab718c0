// The harness's own moving parts end to end on loopback: mock, bare proxy (as its own process),
// the stream client's checks and the order statistics.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Subprocess } from 'bun'
import { join } from 'node:path'
import { sequentialLatency } from '../http-client'
import { startMock } from '../mock-upstream'
import { freePort, readCpuMicros, readMem, spawnChild, stopChild, waitHealthy } from '../procs'
import { buildReq, modelName, type Target } from '../requests'
import { median, percentile } from '../stats'
import { oneStream, streamThroughput } from '../stream-client'

let mock: ReturnType<typeof startMock>
let bare: Subprocess
let direct: Target
let viaBare: Target

beforeAll(async () => {
  mock = startMock(0)
  direct = { name: 'direct', base: `http://127.0.0.1:${mock.port}` }
  const port = freePort()
  bare = spawnChild([process.execPath, join(import.meta.dir, '..', 'bare-proxy.ts'), '--port', String(port), '--upstream', direct.base], '/dev/null')
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, bare, performance.now(), 5, 10_000)
  viaBare = { name: 'bare', base: `http://127.0.0.1:${port}`, pid: bare.pid }
})

afterAll(async () => {
  await stopChild(bare)
  mock.stop(true)
})

describe('stats', () => {
  test('nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(xs, 50)).toBe(50)
    expect(percentile(xs, 99)).toBe(99)
    expect(percentile(xs, 100)).toBe(100)
    expect(median([3, 1, 2])).toBe(2)
    expect(Number.isNaN(median([]))).toBe(true)
  })
})

describe('bare proxy', () => {
  test('forwards the body unchanged, JSON and SSE', async () => {
    for (const stream of [false, true]) {
      const get = async (t: Target) => {
        const r = buildReq(t, 'chat', modelName('gpt', 5, 0), 5, stream)
        const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body })
        return [res.status, res.headers.get('content-type'), await res.text()]
      }
      expect(await get(viaBare)).toEqual(await get(direct))
    }
  })
})

describe('stream client', () => {
  test('counts events of each dialect and accepts complete streams', async () => {
    const chat = await oneStream(buildReq(viaBare, 'chat', modelName('gpt', 20, 1), 20, true))
    expect(chat).toMatchObject({ ok: true, events: 1 + 20 + 1 + 1 + 1 })
    expect(chat.ttfb).toBeGreaterThan(0)
    expect(chat.body).toBeGreaterThanOrEqual(15) // 23 pauses of ~1 ms
    const anthropic = await oneStream(buildReq(direct, 'anthropic', modelName('claude', 2000, 0), 2000, true))
    expect(anthropic).toMatchObject({ ok: true, events: 3 + 2000 + 3 })
  })

  test('flags a stream without its end marker, and an error status', async () => {
    const wrongEnd = { ...buildReq(direct, 'chat', modelName('gpt', 3, 0), 3, true), endMarker: 'message_stop' }
    expect((await oneStream(wrongEnd)).ok).toBe(false)
    const tooFew = { ...buildReq(direct, 'chat', modelName('gpt', 3, 0), 3, true), chunks: 50 }
    expect((await oneStream(tooFew)).ok).toBe(false)
    const notFound = { ...buildReq(direct, 'chat', 'gpt-x', 3, true), url: `${direct.base}/v1/nowhere` }
    const r = await oneStream(notFound)
    expect(r.ok).toBe(false)
    expect(r.error).toStartWith('404')
  })

  test('finds the end marker at the head of a long final event, also when reads split it', async () => {
    const long = `event: response.completed\ndata: {"type":"response.completed","response":{"text":"${'x'.repeat(20_000)}"}}\n\n`
    const parts = ['event: response.created\ndata: {}\n\n', long.slice(0, 10), long.slice(10, 5000), long.slice(5000)]
    const server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch: () => {
        let i = 0
        const body = new ReadableStream<Uint8Array>({
          async pull(c) {
            if (i === parts.length) return c.close()
            await Bun.sleep(2)
            c.enqueue(new TextEncoder().encode(parts[i++]))
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      },
    })
    try {
      const req = { url: `http://127.0.0.1:${server.port}/`, headers: {}, body: '{}', chunks: 2, endMarker: 'response.completed' }
      expect(await oneStream(req)).toMatchObject({ ok: true, events: 2 })
      expect((await oneStream({ ...req, endMarker: 'message_stop' })).ok).toBe(false)
    } finally {
      server.stop(true)
    }
  })

  test('throughput is bounded in time and counts streams', async () => {
    const t0 = performance.now()
    const r = await streamThroughput(buildReq(viaBare, 'anthropic', modelName('claude', 20, 0), 20, true), 8, 300)
    expect(performance.now() - t0).toBeLessThan(5000)
    expect(r.errors).toBe(0)
    expect(r.streams).toBeGreaterThan(8)
  })
})

describe('http client and /proc readers', () => {
  test('sequential latency in µs and proxy CPU/RSS readings', async () => {
    const cpu0 = readCpuMicros(bare.pid)
    const r = await sequentialLatency(buildReq(viaBare, 'chat', modelName('gpt', 20, 0), 20, false), 200, 5000, 20)
    expect(r).toMatchObject({ n: 200, errors: 0 })
    expect(r.p50).toBeGreaterThan(10)
    expect(r.p99).toBeGreaterThanOrEqual(r.p50)
    expect(readCpuMicros(bare.pid)).toBeGreaterThanOrEqual(cpu0)
    const mem = readMem(bare.pid)
    expect(mem.rssMB).toBeGreaterThan(1)
    expect(mem.hwmMB).toBeGreaterThanOrEqual(mem.rssMB)
  })
})
