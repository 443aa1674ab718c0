// The team gateway through the real server: who is calling (every key source and an external
// validator), what their group may use, rate limits, concurrency slots, budgets, and the usage
// ledger with its CLI report and SIGTERM flush.
import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const KEY = {
  alice: 'sk-team-alice-3f9a1c7d5e',
  bob: 'sk-team-bob-8b2e4f6a0c',
  env: 'sk-team-env-1d3c5b7a9e',
  carol: 'ext-token-carol-4e6a8c0b2d',
  ratey: 'sk-team-ratey-0a1b2c3d4e',
  tokeny: 'sk-team-tokeny-5f6e7d8c9b',
  conc: 'sk-team-conc-1122334455',
  b1: 'sk-team-batch1-6677889900',
  b2: 'sk-team-batch2-aabbccddee',
  spender: 'sk-team-spender-ffeeddccbb',
}
const UPSTREAM_KEY = 'sk-upstream-team-9z8y7x6w5v'
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

const lastText = (r: Received): string => {
  const m = r.body?.messages?.at(-1)?.content
  return typeof m === 'string' ? m : JSON.stringify(m ?? '')
}

/** Non-streamed answers carry known usage incl. cache reads and reasoning; commands in the prompt
 *  make the mock fail or stream slowly. */
export function teamUpstream(r: Received): Reply {
  const text = lastText(r)
  const status = /FAIL(\d{3})/.exec(text)
  if (status)
    return {
      kind: 'json',
      status: Number(status[1]),
      body: { error: { message: `mock failure ${status[1]}`, type: 'server_error', code: null } },
      headers: status[1] === '429' ? { 'retry-after': '1' } : {},
    }
  if (text.includes('SLOW')) {
    const reply = openaiChat(r, { text: 'one two three four five six seven eight', usage: { input: 40, output: 8 } })
    return reply.kind === 'sse' ? { ...reply, delayMs: 150 } : reply
  }
  if (r.body?.stream) return openaiChat(r, { text: 'streamed answer', usage: { input: 1000, output: 500 } })
  return {
    kind: 'json',
    body: {
      id: 'chatcmpl-team',
      object: 'chat.completion',
      created: 1,
      model: r.body?.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello team', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: {
        prompt_tokens: 1000,
        completion_tokens: 500,
        total_tokens: 1500,
        prompt_tokens_details: { cached_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 100 },
      },
    },
  }
}

let up: Mock
let validator: Mock
let proxy: TestProxy

const chat = (key: string | undefined, model: string, content = 'hi', extra: Record<string, unknown> = {}, init: RequestInit = {}) =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
    ...init,
  })

const messages = (key: string, model: string, content = 'hi') =>
  fetch(`${proxy.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 50, messages: [{ role: 'user', content }] }),
  })

function logLine(p: TestProxy, requestId: string | null): Record<string, any> {
  const line = p.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.id === requestId)
  if (!line) throw new Error(`no request log line for ${requestId}`)
  return line
}

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, ms = 1500): Promise<T> {
  const deadline = performance.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(20)
  }
}

beforeAll(async () => {
  up = startMock(teamUpstream)
  validator = startMock((r) =>
    r.headers.get('authorization') === `Bearer ${KEY.carol}`
      ? { kind: 'json', body: { sub: 'carol', group: 'eng', email: 'carol@example.com' } }
      : { kind: 'json', status: 401, body: { error: 'invalid_token' } },
  )
  proxy = await startProxy(
    {
      providers: {
        up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: UPSTREAM_KEY, models: ['gpt-4o', 'gpt-4o-mini'], max_retries: 0 },
        demo: { dialect: 'echo' },
      },
      models: { 'gpt-*': 'up/*', 'echo-*': 'demo/*' },
      pricing: { 'gpt-*': { input: 5, output: 10 } },
      auth: {
        keys: [
          { key: KEY.alice, name: 'alice', group: 'eng' },
          { key_sha256: sha256(KEY.bob), name: 'bob', group: 'interns' },
          { key: KEY.ratey, name: 'ratey', group: 'eng', rpm: 3, tpm: 100_000 },
          { key: KEY.tokeny, name: 'tokeny', group: 'eng', tpm: 1500 },
          { key: KEY.conc, name: 'conc', group: 'eng', max_concurrent: 1 },
          { key: KEY.b1, name: 'b1', group: 'batch' },
          { key: KEY.b2, name: 'b2', group: 'batch' },
          { key: KEY.spender, name: 'spender', group: 'eng', budget: { usd: 0.005, per: 'day' } },
        ],
        groups: {
          eng: { models: ['*'], providers: ['*'] },
          interns: { models: ['echo-*', 'gpt-4o-mini'], providers: ['demo'] },
          batch: { models: ['*'], rpm: 2 },
        },
        check: { url: `${validator.url}/userinfo`, headers: { Authorization: 'Bearer {api_key}' }, group_claim: 'group', cache_ttl: '60s', timeout: '1s' },
      },
      logging: { level: 'info' },
    },
    { LLM_PROXY_API_KEY: KEY.env },
  )
})

afterAll(() => {
  proxy?.stop()
  up?.stop()
  validator?.stop()
})

describe('principals', () => {
  for (const [source, key, name, group] of [
    ['static key', KEY.alice, 'alice', 'eng'],
    ['key_sha256', KEY.bob, 'bob', 'interns'],
    ['LLM_PROXY_API_KEY', KEY.env, 'env', 'default'],
    ['auth.check (external validator)', KEY.carol, 'carol', 'eng'],
  ] as const) {
    test(`${source}: the request log line names the principal and its group`, async () => {
      const res = await chat(key, 'echo-1')
      expect(res.status).toBe(200)
      await res.text()
      const line = logLine(proxy, res.headers.get('x-request-id'))
      expect(line.key).toBe(name)
      expect(line.group).toBe(group)
      expect(line.status).toBe(200)
    })
  }

  test('the external validator is asked once per key (cached) and refusals are 401s', async () => {
    const before = validator.received.length
    for (let i = 0; i < 3; i++) expect((await chat(KEY.carol, 'echo-1')).status).toBe(200)
    expect(validator.received.length).toBe(before)
    const bad = await chat('ext-token-unknown-0000000', 'echo-1')
    expect(bad.status).toBe(401)
    expect((await bad.json()).error.code).toBe('invalid_api_key')
  })

  test('a missing or unknown key is a 401 in the client dialect; x-api-key, x-goog-api-key and ?key= work too', async () => {
    const none = await chat(undefined, 'echo-1')
    expect(none.status).toBe(401)
    expect((await none.json()).error.message).toContain('missing API key')
    const anth = await messages('sk-team-nobody-000000000', 'echo-1')
    expect(anth.status).toBe(401)
    expect(await anth.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } })
    const viaQuery = await fetch(`${proxy.url}/v1/chat/completions?key=${KEY.alice}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo-1', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(viaQuery.status).toBe(200)
    const viaGoog = await fetch(`${proxy.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY.alice },
      body: JSON.stringify({ model: 'echo-1', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(viaGoog.status).toBe(200)
  })
})

describe('groups', () => {
  test('a model outside the group is a 403 naming what the group may use (OpenAI and Anthropic shapes)', async () => {
    const res = await chat(KEY.bob, 'gpt-4o')
    expect(res.status).toBe(403)
    const body = await res.json()
    expect(body.error.code).toBe('model_not_allowed')
    expect(body.error.message).toContain('gpt-4o')
    expect(body.error.message).toContain('echo-*, gpt-4o-mini')
    const anth = await messages(KEY.bob, 'gpt-4o')
    expect(anth.status).toBe(403)
    const a = await anth.json()
    expect(a).toMatchObject({ type: 'error', error: { type: 'permission_error' } })
    expect(a.error.message).toContain('echo-*, gpt-4o-mini')
    expect(up.received.some((r) => r.body?.model === 'gpt-4o' && r.headers.get('authorization')?.includes(KEY.bob))).toBe(false)
  })

  test('an allowed model routed to a provider outside the group is a 403 naming the allowed providers', async () => {
    const before = up.received.length
    const res = await chat(KEY.bob, 'gpt-4o-mini')
    expect(res.status).toBe(403)
    const body = await res.json()
    expect(body.error.code).toBe('provider_not_allowed')
    expect(body.error.message).toContain('allowed providers: demo')
    expect(up.received.length).toBe(before)
  })

  test('/v1/models lists only what the group may request', async () => {
    const ids = async (key: string, anthropic = false) => {
      const res = await fetch(`${proxy.url}/v1/models`, {
        headers: anthropic ? { 'x-api-key': key, 'anthropic-version': '2023-06-01' } : { authorization: `Bearer ${key}` },
      })
      expect(res.status).toBe(200)
      return ((await res.json()).data as Array<{ id: string }>).map((m) => m.id)
    }
    expect(await ids(KEY.alice)).toEqual(['gpt-*', 'echo-*', 'up/gpt-4o', 'up/gpt-4o-mini'])
    expect(await ids(KEY.bob)).toEqual(['echo-*'])
    expect(await ids(KEY.bob, true)).toEqual(['echo-*'])
    const anon = await fetch(`${proxy.url}/v1/models`)
    expect(anon.status).toBe(401)
  })
})

const LIMIT_HEADERS = ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests']
const TOKEN_HEADERS = ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens']

describe('limits', () => {
  test('rpm per key: x-ratelimit-* on every response, then a 429 with retry-after in the client dialect', async () => {
    const first = await chat(KEY.ratey, 'gpt-4o')
    expect(first.status).toBe(200)
    for (const h of [...LIMIT_HEADERS, ...TOKEN_HEADERS]) expect(first.headers.get(h)).not.toBeNull()
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('3')
    expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('2')
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe('100000')
    // an upstream error (forwarded as-is) and a stream carry them too
    const failed = await chat(KEY.ratey, 'gpt-4o', 'FAIL500')
    expect(failed.status).toBe(500)
    expect(failed.headers.get('x-ratelimit-remaining-requests')).toBe('1')
    const stream = await chat(KEY.ratey, 'echo-1', 'hi', { stream: true })
    expect(stream.status).toBe(200)
    expect(stream.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    await stream.text()
    const refused = await chat(KEY.ratey, 'gpt-4o')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0')
    const body = await refused.json()
    expect(body.error.code).toBe('rate_limit_exceeded')
    expect(body.error.message).toContain('3 requests per minute exceeded for key ratey')
    const anth = await messages(KEY.ratey, 'gpt-4o')
    expect(anth.status).toBe(429)
    expect(anth.headers.get('retry-after')).not.toBeNull()
    expect(await anth.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
  })

  test('tpm counts the actual usage recorded at the end, not the admission estimate', async () => {
    const first = await chat(KEY.tokeny, 'gpt-4o')
    expect(first.status).toBe(200)
    await first.text()
    // the estimate of this tiny body is a few dozen tokens; the upstream reported 1,500
    const second = await until('the usage to be recorded', async () => {
      const r = await chat(KEY.tokeny, 'gpt-4o')
      if (r.status === 200) return undefined
      return r
    })
    expect(second.status).toBe(429)
    expect((await second.json()).error.message).toContain('1500 tokens per minute exceeded for key tokeny')
    expect(second.headers.get('x-ratelimit-remaining-tokens')).toBe('0')
  })

  test('rpm per group: two keys of one group share it, and the 429 names the group', async () => {
    expect((await chat(KEY.b1, 'echo-1')).status).toBe(200)
    expect((await chat(KEY.b2, 'echo-1')).status).toBe(200)
    const res = await chat(KEY.b1, 'echo-1')
    expect(res.status).toBe(429)
    expect((await res.json()).error.message).toContain('for group batch')
  })

  test('budget: after spending past it the next request is a 429 saying when it resets', async () => {
    const first = await chat(KEY.spender, 'gpt-4o')
    expect(first.status).toBe(200)
    await first.text()
    // 800 fresh + 200 cached input at $5/M + 500 output at $10/M = $0.01 > $0.005
    const res = await until('the spend to be recorded', async () => {
      const r = await chat(KEY.spender, 'gpt-4o')
      return r.status === 429 ? r : undefined
    })
    const body = await res.json()
    expect(body.error.code).toBe('budget_exceeded')
    const tomorrow = new Date(Date.now() - (Date.now() % 86_400_000) + 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    expect(body.error.message).toContain(`budget of $0.005/day for key spender exhausted; resets at ${tomorrow}`)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('max_concurrent (streams included)', () => {
  async function openStream(content = 'SLOW') {
    const ac = new AbortController()
    const res = await chat(KEY.conc, 'gpt-4o', content, { stream: true }, { signal: ac.signal })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    await reader.read()
    return { reader, ac }
  }
  const slotFree = () => until('the slot to be released', async () => ((await chat(KEY.conc, 'echo-1')).status === 200 ? true : undefined))

  test('a running stream holds the slot; it is released when the stream succeeds', async () => {
    const { reader } = await openStream()
    const busy = await chat(KEY.conc, 'echo-1')
    expect(busy.status).toBe(429)
    expect(busy.headers.get('retry-after')).toBe('1')
    expect((await busy.json()).error.message).toContain('limit of 1 concurrent requests reached for key conc')
    while (!(await reader.read()).done);
    await slotFree()
  })

  test('the slot is released when the upstream fails', async () => {
    const res = await chat(KEY.conc, 'gpt-4o', 'FAIL500', { stream: true })
    expect(res.status).toBe(500)
    await res.text()
    await slotFree()
  })

  test('the slot is released when the client disconnects mid-stream', async () => {
    const { ac } = await openStream()
    expect((await chat(KEY.conc, 'echo-1')).status).toBe(429)
    ac.abort()
    await slotFree()
    await until('the upstream stream to be cancelled', () => up.received.some((r) => r.aborted))
  })
})

describe('usage ledger', () => {
  let dir: string
  let db: string
  let ledgerProxy: TestProxy
  let ids: Record<string, string>

  const rows = () => {
    const d = new Database(db, { readonly: true })
    try {
      return d.query('SELECT * FROM usage_ledger ORDER BY time').all() as Array<Record<string, any>>
    } finally {
      d.close()
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'llm-proxy-ledger-'))
    db = join(dir, 'usage.db')
    ledgerProxy = await startProxy({
      providers: {
        up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: UPSTREAM_KEY, max_retries: 0 },
        demo: { dialect: 'echo' },
      },
      models: { 'gpt-*': 'up/*', 'echo-*': 'demo/*' },
      pricing: { 'gpt-*': { input: 5, output: 10, cache_read: 1 } },
      auth: {
        keys: [
          { key: KEY.alice, name: 'alice', group: 'eng' },
          { key: KEY.bob, name: 'bob', group: 'interns' },
        ],
        groups: { eng: { models: ['*'] }, interns: { models: ['echo-*'] } },
      },
      usage: { store: `sqlite:${db}` },
    })
    const send = async (key: string | undefined, body: unknown, path = '/v1/chat/completions') => {
      const ac = new AbortController()
      const res = await fetch(`${ledgerProxy.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
        signal: ac.signal,
      })
      return { res, ac, id: res.headers.get('x-request-id')! }
    }
    const msg = (content: string) => [{ role: 'user', content }]
    ids = {}
    let r = await send(KEY.alice, { model: 'gpt-4o', messages: msg('hi') })
    await r.res.text()
    ids.success = r.id
    r = await send(KEY.alice, { model: 'gpt-4o', stream: true, messages: msg('hi') })
    await r.res.text()
    ids.stream = r.id
    r = await send(KEY.bob, { model: 'echo-1', messages: msg('hi') })
    await r.res.text()
    ids.echo = r.id
    r = await send(KEY.alice, { model: 'gpt-4o', messages: msg('FAIL500') })
    await r.res.text()
    ids.upstreamError = r.id
    r = await send(KEY.alice, { messages: msg('no model') })
    await r.res.text()
    ids.badRequest = r.id
    r = await send('sk-team-wrong-0000000000', { model: 'gpt-4o', messages: msg('hi') })
    await r.res.text()
    ids.unauthorized = r.id
    r = await send(KEY.bob, { model: 'gpt-4o', messages: msg('hi') })
    await r.res.text()
    ids.forbidden = r.id
    r = await send(KEY.alice, { model: 'gpt-4o', stream: true, messages: msg('SLOW') })
    await r.res.body!.getReader().read()
    r.ac.abort()
    ids.disconnect = r.id
  })

  afterAll(() => {
    ledgerProxy?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('every request, whatever its outcome, is exactly one row with the right columns within 1.5 s', async () => {
    const all = await until('all rows', () => {
      const rs = rows()
      return rs.length >= Object.keys(ids).length ? rs : undefined
    }, 1500)
    expect(all.length).toBe(Object.keys(ids).length)
    const byId = new Map(all.map((r) => [r.request_id, r]))
    for (const id of Object.values(ids)) expect(all.filter((r) => r.request_id === id).length).toBe(1)

    const ok = byId.get(ids.success)!
    expect(ok).toMatchObject({
      key_name: 'alice',
      group_name: 'eng',
      front: 'openai-chat',
      model_requested: 'gpt-4o',
      provider: 'up',
      model_upstream: 'gpt-4o',
      attempts: 1,
      status: 200,
      input_tokens: 1000,
      output_tokens: 500,
      cache_read_tokens: 200,
      reasoning_tokens: 100,
      ttft_ms: null,
      client_disconnected: 0,
      error: null,
    })
    // 800 fresh × $5 + 200 cached × $1 + 500 × $10, per million
    expect(ok.cost_usd).toBeCloseTo(0.0092, 10)
    expect(ok.duration_ms).toBeGreaterThanOrEqual(0)
    expect(Math.abs(ok.time - Date.now())).toBeLessThan(60_000)

    const stream = byId.get(ids.stream)!
    expect(stream).toMatchObject({ status: 200, input_tokens: 1000, output_tokens: 500, provider: 'up', client_disconnected: 0 })
    expect(stream.ttft_ms).toBeGreaterThanOrEqual(0)
    expect(stream.cost_usd).toBeCloseTo(0.01, 10)

    expect(byId.get(ids.echo)).toMatchObject({ key_name: 'bob', group_name: 'interns', provider: 'demo', model_upstream: 'echo-1', status: 200, cost_usd: 0 })
    const failed = byId.get(ids.upstreamError)!
    expect(failed).toMatchObject({ key_name: 'alice', provider: 'up', model_upstream: 'gpt-4o', status: 500, attempts: 1, input_tokens: 0, cost_usd: 0 })
    expect(failed.error).toContain('mock failure 500')
    expect(byId.get(ids.badRequest)).toMatchObject({ key_name: 'alice', status: 400, provider: '', attempts: 0 })
    expect(byId.get(ids.unauthorized)).toMatchObject({ key_name: '', group_name: '', status: 401, provider: '', model_requested: '' })
    expect(byId.get(ids.forbidden)).toMatchObject({ key_name: 'bob', status: 403, model_requested: 'gpt-4o', provider: '' })
    const gone = byId.get(ids.disconnect)!
    expect(gone).toMatchObject({ key_name: 'alice', status: 200, client_disconnected: 1, provider: 'up' })
    expect(gone.ttft_ms).toBeGreaterThanOrEqual(0)
  })

  test('llm-proxy usage --by key|group|model|provider|day prints the table with those requests', async () => {
    const cfgPath = join(dir, 'c.yaml')
    writeFileSync(cfgPath, `providers:\n  demo: { dialect: echo }\nusage:\n  store: sqlite:${db}\n`)
    const run = (by: string) => {
      const p = Bun.spawnSync(['bun', 'src/main.ts', 'usage', '--config', cfgPath, '--by', by], { cwd: join(import.meta.dir, '../..'), env: { ...process.env, LLM_PROXY_API_KEY: '' } })
      expect(p.exitCode).toBe(0)
      return p.stdout.toString()
    }
    const n = Object.keys(ids).length
    const byKey = run('key')
    expect(byKey).toMatch(/^usage since .* by key \(sqlite\)\n/)
    expect(byKey).toMatch(/\nKEY\s+REQUESTS\s+INPUT\s+OUTPUT\s+CACHED\s+COST USD\s+P50 MS\s+P95 MS\n/)
    expect(byKey).toMatch(/\nalice\s+5\s+2,000\s+1,000\s+200\s+0\.0192\s/)
    expect(byKey).toMatch(/\nbob\s+2\s/)
    expect(byKey).toMatch(/\n\(none\)\s+1\s/)
    expect(byKey).toMatch(new RegExp(`\\nTOTAL\\s+${n}\\s`))
    expect(run('group')).toMatch(/\neng\s+5\s[\s\S]*\ninterns\s+2\s/)
    expect(run('model')).toMatch(/\ngpt-4o\s+5\s/)
    expect(run('provider')).toMatch(/\nup\s+4\s[\s\S]*\ndemo\s+1\s/)
    const today = new Date().toISOString().slice(0, 10)
    expect(run('day')).toMatch(new RegExp(`\\n${today}\\s+${n}\\s`))
  })
})

test('SIGTERM flushes the ledger: rows of requests answered just before are in the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-sigterm-'))
  try {
    const db = join(dir, 'usage.db')
    const cfgPath = join(dir, 'c.yaml')
    const port = await (async () => {
      const s = Bun.serve({ port: 0, fetch: () => new Response() })
      const p = s.port!
      s.stop(true)
      return p
    })()
    writeFileSync(
      cfgPath,
      `server: { host: 127.0.0.1, port: ${port} }\nproviders:\n  demo: { dialect: echo }\nmodels: { "echo-*": demo/* }\nauth:\n  keys: [ { key: "${KEY.alice}", name: alice } ]\nusage: { store: "sqlite:${db}" }\nlogging: { level: warn }\n`,
    )
    const proc = Bun.spawn(['bun', 'src/main.ts', 'serve', '--config', cfgPath, '--env', ''], { cwd: join(import.meta.dir, '../..'), stdout: 'pipe', stderr: 'pipe' })
    const url = `http://127.0.0.1:${port}`
    await until('the server to listen', async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok, 10_000)
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY.alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo-1', stream: i % 2 === 0, messages: [{ role: 'user', content: `hi ${i}` }] }),
      })
      expect(res.status).toBe(200)
      await res.text()
    }
    proc.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
    const d = new Database(db, { readonly: true })
    const n = (d.query("SELECT count(*) AS n FROM usage_ledger WHERE key_name = 'alice' AND status = 200").get() as { n: number }).n
    d.close()
    expect(n).toBe(5)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 20_000)
