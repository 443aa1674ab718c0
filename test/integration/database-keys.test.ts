// Keys without restarts: keys made, disabled, rotated and deleted with the `llm-proxy keys` CLI
// (another process) are seen by two running replicas on one database within a second; a
// disabled key gets a 401 in each client dialect; per-key limits and models hold; no log line
// carries a key.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnProxy, type ProxyProcess } from '../reliability/spawn-proxy'

const ROOT = join(import.meta.dir, '../..')
const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-dbkeys-'))
const store = `sqlite:${join(dir, 'ledger.db')}`
const logFile = join(dir, 'proxy.log')
const config = {
  usage: { store },
  logging: { level: 'info', file: logFile },
  providers: { demo: { dialect: 'echo' } },
  models: { '*': 'demo/echo' },
  auth: { keys: [{ key: 'sk-config-ops-key', name: 'ops' }], groups: { dev: { models: ['echo*', 'gpt-*'] } } },
}
const configFile = join(dir, 'config.json')
writeFileSync(configFile, JSON.stringify(config))

async function keys(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([process.execPath, join(ROOT, 'src/main.ts'), 'keys', ...args, '--config', configFile], { cwd: dir, stdout: 'pipe', stderr: 'pipe', env: { ...process.env } })
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()])
  return { code: await p.exited, out, err }
}

const chat = (url: string, key: string, model = 'echo-1') =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) })
const responses = (url: string, key: string) =>
  fetch(`${url}/v1/responses`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo-1', input: 'hi' }) })
const messages = (url: string, key: string) =>
  fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'echo-1', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
  })

/** ms until `probe` answers `status` on every replica (fails past 3 s) */
async function until(replicas: ProxyProcess[], probe: (url: string) => Promise<Response>, status: number): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    const got = await Promise.all(replicas.map(async (r) => (await probe(r.url)).status))
    if (got.every((s) => s === status)) return performance.now() - t0
    if (performance.now() - t0 > 3000) throw new Error(`still ${got.join(', ')} after 3 s, expected ${status}`)
    await Bun.sleep(25)
  }
}

let a: ProxyProcess, b: ProxyProcess
const seenKeys: string[] = []

beforeAll(async () => {
  // the first replica creates the tables; the second opens the same file
  // request lines at info, so the last test can look for keys in them (the test preload says error)
  const level = process.env.LLM_PROXY_LOG_LEVEL
  process.env.LLM_PROXY_LOG_LEVEL = 'info'
  try {
    a = await spawnProxy(config)
    b = await spawnProxy(config)
  } finally {
    process.env.LLM_PROXY_LOG_LEVEL = level
  }
  // the echo provider loads its tokenizer on first use: not part of what is measured here
  await Promise.all([chat(a.url, 'sk-config-ops-key'), chat(b.url, 'sk-config-ops-key')])
}, 60_000)
afterAll(async () => {
  await a?.stop()
  await b?.stop()
})

describe('database keys across two replicas', () => {
  test('lifecycle through the CLI, each change seen by both replicas within 1 s', async () => {
    const created = await keys('create', '--name', 'alice', '--group', 'dev', '--json')
    expect(created.code).toBe(0)
    const { key } = JSON.parse(created.out)
    seenKeys.push(key)
    expect(await until([a, b], (u) => chat(u, key), 200)).toBeLessThan(1000)

    expect((await keys('disable', 'alice')).out).toBe('key alice disabled\n')
    expect(await until([a, b], (u) => chat(u, key), 401)).toBeLessThan(1000)
    // the refusal is in each client's own dialect
    const c = await (await chat(a.url, key)).json()
    expect(c.error.message).toContain('alice) is disabled')
    const r = await responses(b.url, key)
    expect(r.status).toBe(401)
    expect((await r.json()).error.message).toContain('is disabled')
    const m = await messages(a.url, key)
    expect(m.status).toBe(401)
    const mb = await m.json()
    expect(mb.type).toBe('error')
    expect(mb.error.type).toBe('authentication_error')

    await keys('enable', 'alice')
    expect(await until([a, b], (u) => chat(u, key), 200)).toBeLessThan(1000)

    const rotated = JSON.parse((await keys('rotate', 'alice', '--json')).out)
    seenKeys.push(rotated.key)
    expect(await until([a, b], (u) => chat(u, key), 401)).toBeLessThan(1000)
    expect((await chat(a.url, rotated.key)).status).toBe(200)

    expect((await keys('delete', 'alice')).code).toBe(0)
    expect(await until([a, b], (u) => chat(u, rotated.key), 401)).toBeLessThan(1000)
    // the config's own key is untouched by all this
    expect((await chat(b.url, 'sk-config-ops-key')).status).toBe(200)
  }, 60_000)

  test("per-key models and rpm hold like a group's", async () => {
    const out = await keys('create', '--name', 'bob', '--group', 'dev', '--models', 'echo-*', '--rpm', '2', '--json')
    const { key } = JSON.parse(out.out)
    seenKeys.push(key)
    await until([a], (u) => chat(u, key, 'echo-ok'), 200) // request 1
    const denied = await chat(a.url, key, 'gpt-4o') // allowed by the group, not by the key
    expect(denied.status).toBe(403)
    expect((await denied.json()).error.message).toContain('not allowed for key bob')
    const second = await chat(a.url, key, 'echo-ok')
    const third = await chat(a.url, key, 'echo-ok')
    expect([second.status, third.status]).toEqual([200, 429])
  }, 60_000)

  test('the CLI refuses bad input with exit 2 and a reason', async () => {
    const r = await keys('create', '--name', 'carol', '--group', 'nope')
    expect(r.code).toBe(2)
    expect(r.err).toContain('group "nope" is not defined')
    expect((await keys('show', 'nobody')).err).toContain('no database key named nobody')
    expect((await keys('create', '--name', 'ops')).err).toContain('already used by a key in the config file')
  }, 60_000)

  test('no key reaches a log line', async () => {
    // the log file is flushed at shutdown at the latest
    await a.stop()
    await b.stop()
    const logs = readFileSync(logFile, 'utf8')
    expect(logs).toContain('"request"')
    for (const k of seenKeys) expect(logs).not.toContain(k)
  })
})
