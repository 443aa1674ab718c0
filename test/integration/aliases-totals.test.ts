// GET /v1/aliases and GET /metrics/running-totals (vandamme users look for both): the same client
// auth as GET /v1/models; aliases filtered like the models list.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRunningTotals } from '../../src/observe/running-totals'
import { startProxy, type TestProxy } from '../helpers/proxy'

const ALICE = 'sk-alias-alice-0a1b2c3d4e'
const BOB = 'sk-alias-bob-5f6a7b8c9d'
let proxy: TestProxy

beforeAll(async () => {
  proxy = await startProxy({
    server: { base_paths: ['/'] },
    providers: { demo: { dialect: 'echo' } },
    models: {
      fast: { targets: ['demo/echo-fast'], fallbacks: ['demo/echo-slow'] },
      'echo-*': 'demo/*',
      secret: { targets: ['demo/echo-secret'], hidden: true },
      team: { targets: ['demo/echo-team'], base_path: '/team-a' },
    },
    policy: { tiers: { haiku: 'demo/echo-small' } },
    auth: {
      keys: [
        { key: ALICE, name: 'alice', group: 'eng' },
        { key: BOB, name: 'bob', group: 'interns' },
      ],
      groups: { eng: { models: ['*'] }, interns: { models: ['echo-*'] } },
    },
    pricing: { 'echo-*': { input: 1, output: 2 } },
  })
})
afterAll(() => proxy.stop())

const get = (path: string, key?: string) => fetch(`${proxy.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })
const chat = async (model: string, key: string) => {
  const res = await fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello there' }] }),
  })
  await res.text()
  return res.status
}

describe('GET /v1/aliases', () => {
  test('names with targets, fallbacks and strategy; hidden and other base paths left out', async () => {
    const res = await get('/v1/aliases', ALICE)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { data: any[] }
    expect(body.data.map((a) => a.name)).toEqual(['fast', 'echo-*', 'haiku'])
    expect(body.data[2]).toMatchObject({ targets: ['demo/echo-small'], match: { tier: true }, priority: 1 })
    expect(body.data[0]).toEqual({ name: 'fast', targets: ['demo/echo-fast'], fallbacks: ['demo/echo-slow'], strategy: 'fallback', glob: false })
    expect(body.data[1]).toMatchObject({ targets: ['demo/*'], glob: true })
    const team = (await (await get('/team-a/v1/aliases', ALICE)).json()) as { data: any[] }
    expect(team.data.map((a) => a.name)).toContain('team')
  })

  test("the caller's group filters it; no key is a 401", async () => {
    const body = (await (await get('/v1/aliases', BOB)).json()) as { data: any[] }
    expect(body.data.map((a) => a.name)).toEqual(['echo-*'])
    expect((await get('/v1/aliases')).status).toBe(401)
  })
})

describe('GET /metrics/running-totals', () => {
  test('totals since start by provider, model and key, with errors and cost', async () => {
    expect(await chat('fast', ALICE)).toBe(200)
    expect(await chat('echo-x', BOB)).toBe(200)
    expect(await chat('fast', BOB)).toBe(403)
    expect((await get('/metrics/running-totals')).status).toBe(401)
    const t = (await (await get('/metrics/running-totals', BOB)).json()) as any
    expect(typeof t.since).toBe('string')
    expect(t.totals.requests).toBe(3)
    expect(t.totals.errors).toBe(1)
    expect(t.totals.input_tokens).toBeGreaterThan(0)
    expect(t.totals.cost_usd).toBeGreaterThan(0)
    expect(t.by_provider.demo.requests).toBe(2)
    expect(t.by_model['echo-fast'].requests).toBe(1)
    expect(t.by_model['echo-x'].requests).toBe(1)
    // a request no upstream answered has no model: invented names cannot fill the table
    expect(t.by_model.none).toMatchObject({ requests: 1, errors: 1 })
    expect(t.by_key.alice).toMatchObject({ requests: 1, errors: 0 })
    expect(t.by_key.bob).toMatchObject({ requests: 2, errors: 1 })
  })

  test('bounded: past the cap, names are added up under "other"', () => {
    const rt = createRunningTotals(0, 2)
    for (const model of ['a', 'b', 'c', 'd', 'a'])
      rt.add({ provider: 'p', model, key: 'k', status: 200, inputTokens: 1, outputTokens: 1, costUsd: 0.5 })
    const s = rt.snapshot()
    expect(Object.keys(s.by_model).sort()).toEqual(['a', 'b', 'other'])
    expect(s.by_model.a.requests).toBe(2)
    expect(s.by_model.other.requests).toBe(2)
    expect(s.totals).toEqual({ requests: 5, errors: 0, input_tokens: 5, output_tokens: 5, cost_usd: 2.5 })
  })
})
