// Safe and friendly defaults through the real CLI: a public listener without client auth is
// refused (unless allowed on purpose), a port in use is one clean line and exit 3, healthcheck
// answers for Docker, debug shows each upstream attempt and logging.bodies the bodies, with no
// secret in either; the tokenizer is warm before the first echo request.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnCli } from '../helpers/cli-process'
import { freePort } from '../helpers/compiled-binary'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { openaiChat } from '../helpers/wire'

const ROOT = join(import.meta.dir, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-safe-'))
const writeConfig = (name: string, cfg: Record<string, unknown>) => {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify({ usage: { store: 'none' }, providers: { demo: { dialect: 'echo' } }, models: { echo: 'demo/echo' }, ...cfg }))
  return file
}
const run = (args: string[], env: Record<string, string> = {}) =>
  Bun.spawnSync([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } })

describe('a public listener needs client auth or an explicit allow', () => {
  const open = writeConfig('open.json', { server: { host: '0.0.0.0', port: 18080 } })

  test('serve and check refuse it, and say exactly how to allow it', () => {
    for (const cmd of ['serve', 'check']) {
      const r = run([cmd, '-c', open])
      expect(r.exitCode).toBe(2)
      const err = r.stderr.toString()
      expect(err).toContain('refusing to listen on 0.0.0.0:18080 with no client auth')
      expect(err).toContain('auth: { mode: none, allow_public: true }')
      expect(err).toContain('--allow-public')
      expect(err.trim().split('\n')).toHaveLength(1)
    }
    // the environment's host counts too (the Docker image sets it)
    expect(run(['check', '-c', writeConfig('local.json', {})], { LLM_PROXY_HOST: '::' }).exitCode).toBe(2)
  }, 30_000)

  test('allowed by the flag, by auth: { mode: none, allow_public: true }, or by a client key', () => {
    expect(run(['check', '--config', open, '--allow-public']).exitCode).toBe(0)
    const allowed = writeConfig('allowed.json', { server: { host: '0.0.0.0' }, auth: { mode: 'none', allow_public: true } })
    expect(run(['check', '--config', allowed]).exitCode).toBe(0)
    expect(run(['check', '--config', open], { LLM_PROXY_API_KEY: 'pk-test-12345678' }).exitCode).toBe(0)
    const keyed = writeConfig('keyed.json', { server: { host: '0.0.0.0' }, auth: { keys: [{ key: 'pk-test-abcdefgh' }] } })
    expect(run(['check', '--config', keyed]).exitCode).toBe(0)
    // loopback needs nothing
    expect(run(['check', '--config', writeConfig('lo.json', { server: { host: '127.0.0.1' } })]).exitCode).toBe(0)
  }, 30_000)
})

describe('port in use', () => {
  test('one clean line and exit code 3', async () => {
    const taken = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
    try {
      const r = run(['serve', '--config', writeConfig('taken.json', { server: { port: taken.port } })])
      expect(r.exitCode).toBe(3)
      const err = r.stderr.toString().trim()
      expect(err).toBe(`llm-proxy: cannot listen on 127.0.0.1:${taken.port}: the port is already in use (another llm-proxy?); choose another with --port or server.port`)
    } finally {
      taken.stop(true)
    }
  }, 30_000)
})

describe('healthcheck', () => {
  test('0 when /healthz answers; 1 (well within 10 s) when nothing listens or it never answers', async () => {
    const port = freePort()
    const file = writeConfig('hc.json', { server: { port } })
    const proxy = spawnCli(['serve', '--config', file], { cwd: dir })
    try {
      await proxy.waitFor((_, j) => j?.msg === 'llm-proxy listening')
      const ok = run(['healthcheck', '--config', file])
      expect(ok.stdout.toString()).toContain(`http://127.0.0.1:${port}/healthz: ok`)
      expect(ok.exitCode).toBe(0)
    } finally {
      await proxy.stop()
    }
    const down = run(['healthcheck', '--config', file])
    expect(down.exitCode).toBe(1)
    expect(down.stderr.toString()).toContain(`http://127.0.0.1:${port}/healthz`)
    // accepts the connection, never answers
    const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    try {
      const t0 = performance.now()
      const hung = run(['healthcheck', '--port', String(silent.port), '--config', file])
      expect(performance.now() - t0).toBeLessThan(10_000)
      expect(hung.exitCode).toBe(1)
      expect(hung.stderr.toString()).toContain('no answer within 8 s')
    } finally {
      silent.stop(true)
    }
  }, 40_000)
})

describe('debug and body logs', () => {
  const UPSTREAM_KEY = 'sk-upstream-SECRET-0123456789'
  const CLIENT_KEY = 'pk-client-SECRET-abcdefghij'
  const QUERY_SIG = 'sig-SECRET-in-the-query-42'
  const BODY_TOKEN = 'body-SECRET-token-value-99'
  let mock: Mock
  let calls = 0
  beforeAll(() => {
    mock = startMock((r) => (++calls === 1 ? { kind: 'json', status: 429, body: { error: { message: 'slow down', type: 'rate_limit' } } } : openaiChat(r, { text: 'hello from upstream' })))
  })
  afterAll(() => mock.stop())

  test('each attempt (provider, URL without secrets, status, timings, decision) and the bodies, with no secret', async () => {
    const port = freePort()
    const file = writeConfig('debug.json', {
      server: { port },
      logging: { level: 'info', bodies: true },
      auth: { keys: [{ key: CLIENT_KEY, name: 'alice' }] },
      providers: { up: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: UPSTREAM_KEY, query: { sig: QUERY_SIG }, max_retries: 1 } },
      models: { m: 'up/m' },
    })
    const proxy = spawnCli(['serve', '--config', file], { cwd: dir, env: { PATH: process.env.PATH ?? '', LLM_PROXY_DEBUG: '1' } })
    try {
      await proxy.waitFor((_, j) => j?.msg === 'llm-proxy listening')
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi there' }], metadata: { api_key: BODY_TOKEN }, user: CLIENT_KEY }),
      })
      expect(res.status).toBe(200)
      expect((await res.json()).choices[0].message.content).toBe('hello from upstream')
      expect(mock.received[0].query.get('sig')).toBe(QUERY_SIG)
      const first = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'upstream call' && j.status === 429))
      expect(first).toMatchObject({ level: 'debug', provider: 'up', url: `${mock.url}/v1/chat/completions?sig=REDACTED` })
      expect(typeof first.headers_ms).toBe('number')
      const decision = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'upstream attempt failed'))
      expect(decision).toMatchObject({ target: 'up/m', status: 429, attempt: 1 })
      expect(decision.decision).toMatch(/^retry in \d+ ms$/)
      await proxy.waitFor((_, j) => j?.msg === 'upstream call' && j.status === 200)
      const reqBody = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'client request body'))
      expect(reqBody.body).toContain('hi there')
      expect(reqBody.body).toContain('"api_key": "[REDACTED]"'.replace(': ', ':'))
      const resBody = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'client response body'))
      expect(resBody).toMatchObject({ status: 200, path: '/v1/chat/completions' })
      expect(resBody.body).toContain('hello from upstream')
      const all = proxy.lines.join('\n')
      for (const secret of [UPSTREAM_KEY, CLIENT_KEY, QUERY_SIG, BODY_TOKEN]) expect(all).not.toContain(secret)
    } finally {
      await proxy.stop()
    }
  }, 20_000)

  test('bodies are capped', async () => {
    const port = freePort()
    // body lines are info lines: a level that would drop them is refused
    const quiet = run(['check', '--config', writeConfig('quiet.json', { logging: { level: 'warn', bodies: true } })])
    expect(quiet.exitCode).toBe(2)
    expect(quiet.stderr.toString()).toContain('logging.bodies: body lines are logged at info; logging.level warn would drop them')
    const file = writeConfig('cap.json', { server: { port }, logging: { level: 'info', bodies: true, requests: false } })
    const proxy = spawnCli(['serve', '--config', file], { cwd: dir })
    try {
      await Bun.sleep(0)
      for (let i = 0; i < 200 && !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)); i++) await Bun.sleep(25)
      const big = 'x'.repeat(50_000)
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: big }] }) })
      expect(res.status).toBe(200)
      expect((await res.text()).length).toBeGreaterThan(50_000)
      const req = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'client request body'))
      expect(req.truncated).toBe(true)
      expect(req.body.length).toBeLessThanOrEqual(8 * 1024)
      const resp = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'client response body'))
      expect(resp).toMatchObject({ truncated: true, path: '/v1/chat/completions', bytes: '>8192' })
    } finally {
      await proxy.stop()
    }
  }, 20_000)
})

describe('tokenizer warm-up', () => {
  test('loaded in the background after start: the first echo request does not wait for it', async () => {
    const port = freePort()
    const file = writeConfig('warm.json', { server: { port }, logging: { level: 'debug' } })
    const proxy = spawnCli(['serve', '--config', file], { cwd: dir })
    try {
      const ready = JSON.parse(await proxy.waitFor((_, j) => j?.msg === 'tokenizer ready', 15_000))
      const t0 = performance.now()
      const res = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hello' }] }) })
      expect((await res.json()).usage.prompt_tokens).toBeGreaterThan(0)
      const firstMs = performance.now() - t0
      console.log(`tokenizer warm-up ${ready.ms} ms in the background; first echo request ${firstMs.toFixed(0)} ms`)
      expect(firstMs).toBeLessThan(Math.max(250, ready.ms / 2))
    } finally {
      await proxy.stop()
    }
  }, 30_000)
})
