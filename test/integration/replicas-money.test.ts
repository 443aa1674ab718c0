// Budget and tpm reservations shared through a real Redis: two replicas and 200 concurrent
// requests overrun a limit by at most one request's estimate; a Redis killed (SIGKILL) and
// restarted mid-load loses no admitted request's accounting: settles that could not reach it are
// queued and land once it is back (Redis itself must be durable, here appendfsync always).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { openRedis, type RedisConn } from '../../src/limits/redis-conn'
import { periodStart } from '../../src/limits/limiter'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'
import { freePort, hasRedisServer } from '../unit/limits/helpers'

const run = `${process.pid}-${Date.now().toString(36)}`
const BUDGET = 'sk-rmoney-budget-1a2b3c4d5e'
const TPM = 'sk-rmoney-tpm-6f7a8b9c0d'
const FREE = 'sk-rmoney-free-2b3c4d5e6f'
const PRICE = { input: 1, output: 10 }
const USAGE = { input: 20, output: 100 }
const COST = (USAGE.input * PRICE.input + USAGE.output * PRICE.output) / 1e6
/** body bytes / 4 (well under 60 tokens) at $1/M + max_tokens 100 at $10/M */
const ONE_ESTIMATE = (60 * PRICE.input + 100 * PRICE.output) / 1e6

/** a durable redis-server that can be killed and restarted on the same port and data */
class DurableRedis {
  proc?: Subprocess
  readonly dir = mkdtempSync(join(tmpdir(), 'llm-proxy-redis-'))
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`
  }
  async start() {
    this.proc = Bun.spawn(
      ['redis-server', '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdout: 'ignore', stderr: 'ignore' },
    )
    const conn = openRedis(this.url, { timeoutMs: 250, reconnectMs: 20 })
    const deadline = Date.now() + 5000
    try {
      for (;;) {
        try {
          if ((await conn.send('PING', [])) === 'PONG') return
        } catch {}
        if (Date.now() > deadline) throw new Error('redis-server did not start')
        await Bun.sleep(20)
      }
    } finally {
      conn.close()
    }
  }
  async kill() {
    this.proc?.kill('SIGKILL')
    await this.proc?.exited
  }
  async stop() {
    await this.kill()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

const config = (redis: string, upUrl: string, onError: 'open' | 'closed') => ({
  providers: { up: { dialect: 'openai-chat', base_url: `${upUrl}/v1`, api_key: 'sk-rmoney-upstream-123456', max_retries: 0 } },
  models: { 'gpt-*': 'up/*' },
  pricing: { 'gpt-*': PRICE },
  auth: {
    keys: [
      { key: BUDGET, name: `budget-${run}`, budget: { usd: 0.05, per: 'day' } },
      { key: TPM, name: `tpm-${run}`, tpm: 5_000 },
      { key: FREE, name: `free-${run}`, budget: { usd: 1000, per: 'day' } },
    ],
  },
  state: { redis, on_error: onError },
})

const chat = (p: TestProxy, key: string) =>
  fetch(`${p.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }),
  })

const spendKey = (name: string) => `llmproxy:spend:key:${name}:day:${periodStart(Date.now(), 'day')}`

describe.skipIf(!hasRedisServer())('money on a shared Redis (2 replicas)', () => {
  let redis: DurableRedis
  let conn: RedisConn
  let up: Mock
  let a: TestProxy
  let b: TestProxy

  beforeAll(async () => {
    redis = new DurableRedis(await freePort())
    await redis.start()
    conn = openRedis(redis.url, { timeoutMs: 500, reconnectMs: 50 })
    up = startMock(async (r) => {
      await Bun.sleep(250)
      return openaiChat(r, { text: 'ok', usage: USAGE })
    })
    a = await startProxy(config(redis.url, up.url, 'open'))
    b = await startProxy(config(redis.url, up.url, 'open'))
  })
  afterAll(async () => {
    a?.stop()
    b?.stop()
    up?.stop()
    conn?.close()
    await redis?.stop()
  })

  test('200 concurrent requests over 2 replicas overrun a $0.05 budget by at most one estimate', async () => {
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(i % 2 ? a : b, BUDGET)))
    await Promise.all(res.map((r) => r.text()))
    const ok = res.filter((r) => r.status === 200).length
    expect(res.filter((r) => r.status !== 200 && r.status !== 429)).toEqual([])
    const spent = ok * COST
    console.log(`redis budget: ${ok} admitted of 200, spent $${spent.toFixed(5)} of $0.05`)
    expect(ok).toBeGreaterThan(0)
    expect(spent).toBeLessThanOrEqual(0.05 + ONE_ESTIMATE)
    // the settles landed: Redis holds exactly what was spent, nothing is left reserved
    await until(async () => Math.abs(Number(await conn.send('GET', [spendKey(`budget-${run}`)])) - spent) < 1e-9)
    expect(Number(await conn.send('ZCARD', [`llmproxy:spendres:key:budget-${run}`]))).toBe(0)
  })

  test('200 concurrent requests over 2 replicas overrun tpm 5,000 by at most one estimate', async () => {
    const res = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(i % 2 ? a : b, TPM)))
    await Promise.all(res.map((r) => r.text()))
    const ok = res.filter((r) => r.status === 200).length
    const used = ok * (USAGE.input + USAGE.output)
    console.log(`redis tpm: ${ok} admitted of 200, used ${used} tokens of 5,000`)
    expect(ok).toBeGreaterThan(0)
    expect(used).toBeLessThanOrEqual(5_000 + 160)
  })

  test('Redis killed and restarted mid-load: every admitted request is still accounted for', async () => {
    let done = 0
    const load = (async () => {
      const out: Response[] = []
      // 6 waves of 20 over ~1.5 s: before, during and after the outage
      for (let w = 0; w < 6; w++) {
        const wave = await Promise.all(Array.from({ length: 20 }, (_, i) => chat(i % 2 ? a : b, FREE)))
        await Promise.all(wave.map((r) => r.text()))
        out.push(...wave)
        done++
      }
      return out
    })()
    while (done < 2) await Bun.sleep(10)
    await redis.kill()
    await Bun.sleep(400)
    await redis.start()
    const res = await load
    const ok = res.filter((r) => r.status === 200).length
    expect(ok).toBe(res.length)
    const expected = ok * COST
    // settles queued during the outage are retried once a second
    const seen = await until(async () => {
      const v = Number(await conn.send('GET', [spendKey(`free-${run}`)]).catch(() => NaN))
      return Math.abs(v - expected) < 1e-9 ? v : undefined
    }, 8000).catch(async () => Number(await conn.send('GET', [spendKey(`free-${run}`)])))
    console.log(`redis restart: ${ok} admitted, Redis holds $${Number(seen).toFixed(6)}, expected $${expected.toFixed(6)}`)
    expect(Number(seen)).toBeCloseTo(expected, 9)
  }, 20_000)
})

async function until<T>(f: () => Promise<T | undefined | false>, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = await f().catch(() => undefined)
    if (v) return v as T
    if (Date.now() > deadline) throw new Error('timed out')
    await Bun.sleep(50)
  }
}
