// Config reloads cannot open the proxy (issue 11): a file written in two steps (the first without
// `auth:`) never serves a request unauthenticated; an empty file on SIGHUP keeps every provider;
// dropping auth needs `auth: { mode: none }`; the reload log line names auth and limit changes.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnProxy, type ProxyProcess } from './spawn-proxy'

let proxy: ProxyProcess
const logFile = join(tmpdir(), `llm-proxy-reload-${process.pid}.log`)
const KEY = 'client-key-reload-1234'

const head = (port?: number) => ({
  usage: { store: 'none' },
  logging: { level: 'info', requests: false },
  ...(port !== undefined && { server: { host: '127.0.0.1', port } }),
  providers: { demo: { dialect: 'echo' } },
  models: { '*': 'demo/echo' },
})
const withAuth = (port?: number, rpm = 100) => ({ ...head(port), auth: { keys: [{ key: KEY, name: 'alice', group: 'team' }], groups: { team: { models: ['*'], rpm } } } })

beforeAll(async () => {
  // the test preload sets LLM_PROXY_LOG_LEVEL=error; the reload lines are info
  proxy = await spawnProxy(withAuth(), { logFile, env: { LLM_PROXY_LOG_LEVEL: 'info' } })
  // spawnProxy picked the port: keep it in every rewrite
  writeFileSync(proxy.file, JSON.stringify(withAuth(proxy.port)))
  await Bun.sleep(600)
}, 20_000)
afterAll(async () => {
  await proxy?.stop()
})

const ask = (key?: string) =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] }),
  }).then((r) => r.status)

/** polls until `check` holds (a reload waits for the file to settle, and a loaded machine is slow) */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const end = performance.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) return v as T
    if (performance.now() > end) throw new Error('condition not reached in time')
    await Bun.sleep(50)
  }
}

const reloadedLines = () => logLines().filter((l) => l.msg === 'config reloaded')

const logLines = () =>
  readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))

test('a config written in two steps (no auth: in the first) never serves unauthenticated requests', async () => {
  const full = JSON.stringify(withAuth(proxy.port, 50), null, 1)
  const cut = full.indexOf('"auth"')
  const statuses: number[] = []
  let polling = true
  const poll = (async () => {
    while (polling) {
      statuses.push(await ask())
      await Bun.sleep(10)
    }
  })()
  // step one: providers and models, no auth (valid on its own); step two 400 ms later: the rest
  writeFileSync(proxy.file, full.slice(0, cut).replace(/,\s*$/, '') + '}')
  await Bun.sleep(400)
  writeFileSync(proxy.file, full)
  // until the whole file is in force (its group rpm is 50), then a little longer
  const seen = reloadedLines().length
  await eventually(() => reloadedLines().slice(seen - 1).find((l) => l.limits_changed))
  await Bun.sleep(300)
  polling = false
  await poll
  expect(statuses.length).toBeGreaterThan(20)
  expect(statuses.filter((s) => s !== 401)).toEqual([])
  expect(await ask(KEY)).toBe(200)
}, 15_000)

test('an empty file on SIGHUP keeps every provider and logs why', async () => {
  const before = logLines().length
  writeFileSync(proxy.file, '')
  proxy.proc.kill('SIGHUP')
  const refused = await eventually(() => logLines().slice(before).find((l) => l.msg === 'config reload refused; keeping the running config'))
  expect(JSON.stringify(refused.problems)).toContain('no providers')
  expect(await ask(KEY)).toBe(200)
}, 10_000)

test('dropping auth takes `auth: { mode: none }`; the reload line names the auth and limit changes', async () => {
  let seen = reloadedLines().length
  writeFileSync(proxy.file, JSON.stringify(withAuth(proxy.port, 7)))
  const limits = await eventually(() => reloadedLines().slice(seen).find((l) => l.limits_changed))
  expect(limits.limits_changed).toEqual(['group team'])
  seen = reloadedLines().length
  writeFileSync(proxy.file, JSON.stringify({ ...head(proxy.port), auth: { mode: 'none' } }))
  const line = await eventually(() => reloadedLines().slice(seen).find((l) => l.auth))
  expect(await ask()).toBe(200)
  expect(line.auth).toBe('keys → none')
  expect(line.keys_removed).toEqual(['alice'])
  expect(JSON.stringify(logLines())).not.toContain(KEY)
}, 10_000)
