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
  await Bun.sleep(1200)
  polling = false
  await poll
  expect(statuses.length).toBeGreaterThan(20)
  expect(statuses.filter((s) => s !== 401)).toEqual([])
  expect(await ask(KEY)).toBe(200)
}, 15_000)

test('an empty file on SIGHUP keeps every provider and logs why', async () => {
  writeFileSync(proxy.file, '')
  proxy.proc.kill('SIGHUP')
  await Bun.sleep(800)
  expect(await ask(KEY)).toBe(200)
  const refused = logLines().filter((l) => l.msg === 'config reload refused; keeping the running config')
  expect(JSON.stringify(refused.at(-1)?.problems)).toContain('no providers')
}, 10_000)

test('dropping auth takes `auth: { mode: none }`; the reload line names the auth and limit changes', async () => {
  writeFileSync(proxy.file, JSON.stringify(withAuth(proxy.port, 7)))
  await Bun.sleep(800)
  const limits = logLines().filter((l) => l.msg === 'config reloaded').at(-1)!
  expect(limits.limits_changed).toEqual(['group team'])
  writeFileSync(proxy.file, JSON.stringify({ ...head(proxy.port), auth: { mode: 'none' } }))
  await Bun.sleep(800)
  expect(await ask()).toBe(200)
  const line = logLines().filter((l) => l.msg === 'config reloaded').at(-1)!
  expect(line.auth).toBe('keys → none')
  expect(line.keys_removed).toEqual(['alice'])
  expect(JSON.stringify(logLines())).not.toContain(KEY)
}, 10_000)
