// The real CLI as a child process: hot reload on SIGHUP and on a change of the config file while a
// stream is in flight, an invalid new config rejected with the old one still serving, and a
// graceful SIGTERM (in-flight stream finishes, /readyz and new requests answer 503 meanwhile, exit 0).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { openaiChat } from '../helpers/wire'

const ROOT = join(import.meta.dir, '..', '..')
const SLOW_TEXT = 'one two three four five six seven eight'

let mock: Mock
let child: Subprocess<'ignore', 'pipe', 'pipe'>
let port: number
let file: string
const lines: Array<Record<string, any>> = []
let exited: Promise<number>

const freePort = () => {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
  const p = s.port!
  s.stop(true)
  return p
}

const config = (table: Record<string, string>, extra = '') =>
  [
    'server:',
    `  host: 127.0.0.1`,
    `  port: ${port}`,
    '  shutdown_grace: 5s',
    'logging: { level: info, format: json, requests: false }',
    'usage: { store: none }',
    'providers:',
    `  up: { dialect: openai-chat, base_url: "${mock.url}/v1", api_key: k }`,
    extra,
    'models:',
    ...Object.entries(table).map(([k, v]) => `  ${k}: ${v}`),
    '',
  ].join('\n')

/** resolves with the first log line (from now on) that matches */
async function logLine(match: (l: Record<string, any>) => boolean, from = lines.length, timeoutMs = 4000): Promise<Record<string, any>> {
  const end = performance.now() + timeoutMs
  for (;;) {
    const hit = lines.slice(from).find(match)
    if (hit) return hit
    if (performance.now() > end) throw new Error(`no such log line; got:\n${lines.slice(from).map((l) => JSON.stringify(l)).join('\n')}`)
    await Bun.sleep(20)
  }
}

async function readLines(stream: ReadableStream<Uint8Array>) {
  const dec = new TextDecoder()
  let buf = ''
  for await (const chunk of stream) {
    buf += dec.decode(chunk, { stream: true })
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      try {
        lines.push(JSON.parse(line))
      } catch {
        lines.push({ msg: line })
      }
    }
  }
}

const ask = async (model: string, stream = false) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  })

/** starts a slow stream and returns once its first bytes arrived; `rest` resolves with the whole text */
async function startSlowStream(model: string): Promise<{ rest: Promise<string> }> {
  const res = await ask(model, true)
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  let text = ''
  const first = await reader.read()
  text += dec.decode(first.value, { stream: true })
  const rest = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return text
      text += dec.decode(value, { stream: true })
    }
  })()
  return { rest }
}

const streamedText = (raw: string) =>
  raw
    .split('\n')
    .filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '')
    .join('')

beforeAll(async () => {
  mock = startMock((r) =>
    String(r.body?.model).startsWith('slow') ? { ...openaiChat(r, { text: SLOW_TEXT }), delayMs: 150 } : openaiChat(r, { text: `served by ${r.body?.model}` }),
  )
  port = freePort()
  file = join(mkdtempSync(join(tmpdir(), 'llmp-reload-')), 'config.yaml')
  writeFileSync(file, config({ m: 'up/model-v1', slow: 'up/slow-v1' }))
  child = Bun.spawn(['bun', 'src/main.ts', 'serve', '--config', file], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  void readLines(child.stdout)
  exited = child.exited
  await logLine((l) => l.msg === 'llm-proxy listening', 0, 10_000)
})

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL')
  mock?.stop()
})

test('SIGHUP: the stream that started before finishes intact; the next request uses the new table', async () => {
  expect((await ask('m')).headers.get('x-llm-proxy-model')).toBe('model-v1')
  const slow = await startSlowStream('slow')
  const from = lines.length
  writeFileSync(file, config({ m: 'up/model-v2', slow: 'up/slow-v1' }))
  child.kill('SIGHUP')
  const reloaded = await logLine((l) => l.msg === 'config reloaded' && l.reason === 'SIGHUP', from)
  expect(reloaded.models_changed).toEqual(['m'])
  expect(reloaded.models_added).toEqual([])
  const r = await ask('m')
  expect(r.headers.get('x-llm-proxy-model')).toBe('model-v2')
  expect((await r.json()).choices[0].message.content).toBe('served by model-v2')
  const raw = await slow.rest
  expect(streamedText(raw)).toBe(SLOW_TEXT)
  expect(raw.trimEnd().endsWith('data: [DONE]')).toBe(true)
  // let the file watcher's own reload of the same change pass before the next test
  await Bun.sleep(300)
})

test('a changed file alone reloads; the log line says what changed', async () => {
  const slow = await startSlowStream('slow')
  const from = lines.length
  writeFileSync(file, config({ m: 'up/model-v3', slow: 'up/slow-v1', fresh: 'up/fresh-v3' }))
  const reloaded = await logLine((l) => l.msg === 'config reloaded' && l.reason === 'file changed', from)
  expect(reloaded.models_changed).toEqual(['m'])
  expect(reloaded.models_added).toEqual(['fresh'])
  expect((await ask('m')).headers.get('x-llm-proxy-model')).toBe('model-v3')
  expect((await ask('fresh')).status).toBe(200)
  expect(streamedText(await slow.rest)).toBe(SLOW_TEXT)
})

test('an invalid new config is rejected with its problems; the old one keeps serving', async () => {
  const from = lines.length
  writeFileSync(file, config({ m: 'up/model-v4' }, '  broken: { dialect: nope }'))
  const rejected = await logLine((l) => l.msg === 'config reload rejected; keeping the running config', from)
  expect(JSON.stringify(rejected.problems)).toContain('providers.broken.dialect')
  const r = await ask('m')
  expect(r.status).toBe(200)
  expect(r.headers.get('x-llm-proxy-model')).toBe('model-v3')
})

test('SIGTERM: the in-flight stream finishes, /readyz says 503 and new requests a retryable 503 meanwhile, exit code 0', async () => {
  const slow = await startSlowStream('slow')
  const t0 = performance.now()
  child.kill('SIGTERM')
  await logLine((l) => l.msg === 'shutting down: draining in-flight requests')
  // the listener stays open so the load balancer is told, not left guessing from refused connections
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`)
  expect(ready.status).toBe(503)
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
  const turnedAway = await ask('m')
  expect(turnedAway.status).toBe(503)
  expect(turnedAway.headers.get('retry-after')).toBe('1')
  expect((await turnedAway.json()).error.message).toContain('shutting down')
  expect(streamedText(await slow.rest)).toBe(SLOW_TEXT)
  expect(await exited).toBe(0)
  // well within the 5 s grace: it left as soon as the stream was done
  expect(performance.now() - t0).toBeLessThan(4000)
})
