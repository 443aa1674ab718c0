// No secret leaves the proxy: a session with recognisable upstream keys, client keys, a validator
// service token, a provider header and a Redis password goes through successes, upstream
// 401/429/500 (from an upstream that echoes the key it got, the worst case), a bad client key,
// failover, a Redis outage, a metrics scrape and the usage CLI; then no log line (in-process and
// a spawned server's stdout), metric text, response body or header, or usage row contains any.
import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'
import { freePort, hasRedisServer } from '../unit/limits/helpers'

const S = {
  upRevoked: 'sk-upstream-revoked-SECRET-a1a1a1a1',
  upGood: 'sk-upstream-good-SECRET-a2a2a2a2',
  upBackup: 'sk-upstream-backup-SECRET-b1b1b1b1',
  orgHeader: 'org-header-SECRET-g1g1g1g1',
  client: 'sk-client-static-SECRET-c1c1c1c1',
  hashed: 'sk-client-hashed-SECRET-c2c2c2c2',
  env: 'sk-client-env-SECRET-c3c3c3c3',
  external: 'sk-client-external-SECRET-c4c4c4c4',
  service: 'svc-token-validator-SECRET-d1d1d1d1',
  badClient: 'sk-client-unknown-SECRET-e1e1e1e1',
  redisPw: 'redis-pw-SECRET-f1f1f1f1',
}
const SECRETS = Object.values(S)
const ROOT = join(import.meta.dir, '../..')

/** An upstream that puts the key it received into every error message. */
function leakyUpstream(r: Received): Reply {
  const auth = r.headers.get('authorization') ?? ''
  const key = auth.replace(/^Bearer /, '')
  const fail = (status: number): Reply => ({
    kind: 'json',
    status,
    body: { error: { message: `mock ${status}: Incorrect API key provided: ${key} (${auth})`, type: 'invalid_request_error', code: null } },
    headers: status === 429 ? { 'retry-after': '0' } : {},
  })
  if (key === S.upRevoked) return fail(401)
  const last = String(r.body?.messages?.at(-1)?.content ?? '')
  const status = /FAIL(\d{3})/.exec(last)
  if (status) return fail(Number(status[1]))
  return openaiChat(r, { text: 'fine', usage: { input: 10, output: 5 } })
}

let up: Mock
let validator: Mock
let dir: string
let redisProc: ReturnType<typeof Bun.spawn> | undefined
let redisUrl = ''

function rawConfig(db: string): Record<string, any> {
  return {
    providers: {
      main: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: [S.upRevoked, S.upGood], headers: { 'openai-organization': S.orgHeader }, max_retries: 0 },
      broken: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: S.upRevoked, max_retries: 0 },
      backup: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: S.upBackup, max_retries: 0 },
    },
    models: {
      safe: { strategy: 'fallback', targets: ['broken/x'], fallbacks: ['backup/y'] },
      'broken-*': 'broken/*',
      'gpt-*': 'main/*',
    },
    pricing: { '*': { input: 1, output: 1 } },
    auth: {
      keys: [
        { key: S.client, name: 'static-client', rpm: 1000 },
        { key_sha256: createHash('sha256').update(S.hashed).digest('hex'), name: 'hashed-client' },
      ],
      check: {
        url: `${validator.url}/check`,
        headers: { Authorization: 'Bearer {api_key}', 'x-service-token': S.service },
        group_claim: 'group',
        cache_ttl: '60s',
      },
    },
    usage: { store: `sqlite:${db}` },
    logging: { level: 'debug' },
    ...(redisUrl && { state: { redis: redisUrl, on_error: 'open' } }),
  }
}

/** Every kind of request; returns what the client saw (status lines, headers, bodies). */
async function session(url: string): Promise<string> {
  let seen = ''
  const send = async (path: string, key: string, body: unknown, headerName = 'authorization') => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }
    headers[headerName] = headerName === 'authorization' ? `Bearer ${key}` : key
    const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    seen += `${res.status} ${JSON.stringify([...res.headers])}\n${await res.text()}\n`
    return res.status
  }
  const chat = (key: string, model: string, content = 'hi', stream = false) =>
    send('/v1/chat/completions', key, { model, stream, messages: [{ role: 'user', content }] })
  const anth = (key: string, model: string, content = 'hi', stream = false) =>
    send('/v1/messages', key, { model, stream, max_tokens: 20, messages: [{ role: 'user', content }] }, 'x-api-key')

  const statuses: number[] = []
  // success (the first key is revoked: refused, then the good one), streamed too
  statuses.push(await chat(S.client, 'gpt-4o'), await chat(S.hashed, 'gpt-4o', 'hi', true), await anth(S.env, 'gpt-4o'))
  statuses.push(await anth(S.external, 'gpt-4o', 'hi', true))
  // upstream 401 (every key refused), 429, 500: pass-through and translated
  statuses.push(await chat(S.client, 'broken-1'), await anth(S.client, 'broken-1'))
  statuses.push(await chat(S.client, 'gpt-4o', 'FAIL429'), await anth(S.client, 'gpt-4o', 'FAIL429'))
  statuses.push(await chat(S.client, 'gpt-4o', 'FAIL500'), await anth(S.client, 'gpt-4o', 'FAIL500', true))
  // failover past the refused target
  statuses.push(await chat(S.client, 'safe'), await anth(S.client, 'safe'))
  // a bad client key, in each place a key can be sent
  statuses.push(await chat(S.badClient, 'gpt-4o'), await anth(S.badClient, 'gpt-4o'))
  const q = await fetch(`${url}/v1/chat/completions?key=${S.badClient}`, { method: 'POST', body: '{}' })
  seen += `${q.status} ${JSON.stringify([...q.headers])}\n${await q.text()}\n`
  statuses.push(q.status)
  const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${S.badClient}` } })
  seen += `${models.status}\n${await models.text()}\n`
  expect(statuses).toEqual([200, 200, 200, 200, 401, 401, 429, 429, 500, 500, 200, 200, 401, 401, 401])
  seen += await (await fetch(`${url}/metrics`)).text()
  seen += await (await fetch(`${url}/health`)).text()
  return seen
}

function expectClean(what: string, text: string): void {
  for (const s of SECRETS) if (text.includes(s)) throw new Error(`${what} contains the secret ${s}`)
  // not even a recognisable part of one
  for (const s of SECRETS) if (text.includes(s.slice(-12))) throw new Error(`${what} contains the tail of the secret ${s}`)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'llm-proxy-secrets-'))
  up = startMock(leakyUpstream)
  validator = startMock((r) =>
    r.headers.get('authorization') === `Bearer ${S.external}` && r.headers.get('x-service-token') === S.service
      ? { kind: 'json', body: { sub: 'external-user', group: 'default' } }
      : { kind: 'json', status: 401, body: { error: `unknown token ${r.headers.get('authorization')}` } },
  )
  if (hasRedisServer()) {
    const port = await freePort()
    redisProc = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--requirepass', S.redisPw], {
      stdout: 'ignore',
      stderr: 'ignore',
    })
    redisUrl = `redis://:${S.redisPw}@127.0.0.1:${port}`
    const deadline = Date.now() + 5000
    while (!(await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } }).then((s) => (s.end(), true), () => false))) {
      if (Date.now() > deadline) throw new Error('redis-server did not start')
      await Bun.sleep(25)
    }
  } else console.warn('secrets.test.ts: redis-server is not installed; the Redis password part is SKIPPED')
})

afterAll(() => {
  up?.stop()
  validator?.stop()
  redisProc?.kill()
  rmSync(dir, { recursive: true, force: true })
})

test('in-process: logs, responses, metrics and usage rows carry no secret', async () => {
  const db = join(dir, 'in-process.db')
  let proxy: TestProxy | undefined
  try {
    proxy = await startProxy(rawConfig(db), { LLM_PROXY_API_KEY: S.env })
    const seen = await session(proxy.url)
    expectClean('what the clients saw', seen)
    expect(proxy.logs.length).toBeGreaterThanOrEqual(15)
    // the log does carry the story, just not the keys
    const all = proxy.logs.join('\n')
    expect(all).toContain('"key":"static-client"')
    expect(all).toContain('"key":"external-user"')
    expect(all).toContain('[REDACTED]')
    expectClean('the in-process log', all)
  } finally {
    proxy?.stop()
  }
  await Bun.sleep(50)
  const rows = new Database(db, { readonly: true }).query('SELECT * FROM usage_ledger').all()
  expect(rows.length).toBe(15)
  expectClean('the usage rows', JSON.stringify(rows))
}, 20_000)

test('spawned server: stdout, responses, metrics, the usage CLI and the Redis outage carry no secret', async () => {
  const db = join(dir, 'spawned.db')
  const port = await freePort()
  const cfgPath = join(dir, 'c.json')
  writeFileSync(cfgPath, JSON.stringify({ ...rawConfig(db), server: { host: '127.0.0.1', port } }))
  const proc = Bun.spawn(['bun', 'src/main.ts', 'serve', '--config', cfgPath, '--env', ''], {
    cwd: ROOT,
    // the test preload quiets logs through LLM_PROXY_LOG_LEVEL; this server logs everything
    env: { ...process.env, LLM_PROXY_API_KEY: S.env, LLM_PROXY_LOG_LEVEL: 'debug' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const url = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 10_000
    while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('the server did not start')
      await Bun.sleep(25)
    }
    let seen = await session(url)
    if (redisProc) {
      // Redis goes away: the warnings name the failure, never the password in the URL
      redisProc.kill()
      await redisProc.exited
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${S.client}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
        })
        expect(res.status).toBe(200)
        seen += await res.text()
      }
    }
    expectClean('what the clients saw', seen)
  } finally {
    proc.kill('SIGTERM')
  }
  expect(await proc.exited).toBe(0)
  const stdout = await new Response(proc.stdout).text()
  const stderr = await new Response(proc.stderr).text()
  expect(stdout).toContain('"msg":"request"')
  if (redisProc) expect(stdout).toContain('rate-limit state (Redis) unavailable')
  expectClean('the server stdout', stdout)
  expectClean('the server stderr', stderr)
  for (const by of ['key', 'group', 'model', 'provider', 'day']) {
    const p = Bun.spawnSync(['bun', 'src/main.ts', 'usage', '--config', cfgPath, '--by', by, '--env', ''], { cwd: ROOT, env: { ...process.env, LLM_PROXY_API_KEY: S.env } })
    expect(p.exitCode).toBe(0)
    expectClean(`usage --by ${by}`, p.stdout.toString() + p.stderr.toString())
  }
  const rows = new Database(db, { readonly: true }).query('SELECT * FROM usage_ledger').all()
  expect(rows.length).toBeGreaterThanOrEqual(15)
  expectClean('the usage rows', JSON.stringify(rows))
}, 30_000)
