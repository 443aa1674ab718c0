#!/usr/bin/env bun
// The soak (`make soak`): minutes of mixed traffic against a separate llm-proxy process — the
// compiled binary when dist/llm-proxy exists, else `bun src/main.ts` — sampling its RSS every 10 s.
// Prints a table; exits non-zero when RSS grew more than 10 % from minute 1 to the end, or when
// any answer was not the one its traffic kind must get.
//
//   bun test/reliability/soak.ts [--minutes 5] [--concurrency 48] [--binary dist/llm-proxy | --source]
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startMock, type Received, type Reply } from '../helpers/mock-upstream'
import { anthropic, openaiChat } from '../helpers/wire'
import { viewOf, requestBody, PATHS, type Front } from './client-view'
import { rawRequest } from './raw-http'
import { spawnProxy } from './spawn-proxy'

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const MINUTES = Number(arg('minutes') ?? 5)
const CONCURRENCY = Number(arg('concurrency') ?? 48)
const SAMPLE_MS = Number(arg('sample-seconds') ?? 10) * 1000
const ROOT = join(import.meta.dir, '..', '..')
const defaultBinary = join(ROOT, 'dist/llm-proxy')
const binary = process.argv.includes('--source') ? undefined : (arg('binary') ?? (existsSync(defaultBinary) ? defaultBinary : undefined))
const TEXT = 'soak test answer with some words in it'

// ---- the upstream: answers by the model name's last segment ----
function script(r: Received): Reply | Promise<Reply> {
  const model: string = r.body?.model ?? ''
  const isAnthropic = r.path.endsWith('/messages')
  const good = () => (isAnthropic ? anthropic(r, { text: TEXT, delayMs: 5 }) : openaiChat(r, { text: TEXT, delayMs: 5 }))
  switch (model.slice(model.lastIndexOf('-') + 1)) {
    case 'e503':
      return isAnthropic
        ? { kind: 'json', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }
        : { kind: 'json', status: 503, body: { error: { message: 'unavailable', type: 'server_error' } } }
    case 'e400':
      return isAnthropic
        ? { kind: 'json', status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } } }
        : { kind: 'json', status: 400, body: { error: { message: 'bad', type: 'invalid_request_error' } } }
    case 'hang':
      return { kind: 'hang' }
    case 'long': {
      // a long stream the client leaves in the middle of
      const g = isAnthropic ? anthropic(r, { text: TEXT.repeat(20) }) : openaiChat(r, { text: TEXT.repeat(20) })
      return g.kind === 'sse' ? { ...g, frames: [...g.frames.slice(0, 2), ...Array(30).fill(g.frames[2]), ...g.frames.slice(2)], delayMs: 20 } : g
    }
    default:
      return good()
  }
}

// ---- the traffic mix ----
type Expect = 'ok' | 'error' | 'left'
interface Kind {
  name: string
  front: Front
  model: string
  stream: boolean
  expect: Expect
  weight: number
  /** hang up after this many response bytes, or after this many ms without an answer */
  leaveAfterBytes?: number
  leaveAfterMs?: number
  rawBody?: string
}
const KINDS: Kind[] = [
  { name: 'pass-through chat', front: 'chat', model: 'gpt-ok', stream: false, expect: 'ok', weight: 3 },
  { name: 'pass-through chat stream', front: 'chat', model: 'gpt-ok', stream: true, expect: 'ok', weight: 4 },
  { name: 'pass-through messages stream', front: 'messages', model: 'claude-ok', stream: true, expect: 'ok', weight: 3 },
  { name: 'messages → chat', front: 'messages', model: 'gpt-ok', stream: false, expect: 'ok', weight: 2 },
  { name: 'messages → chat stream', front: 'messages', model: 'gpt-ok', stream: true, expect: 'ok', weight: 4 },
  { name: 'chat → messages stream', front: 'chat', model: 'claude-ok', stream: true, expect: 'ok', weight: 3 },
  { name: 'responses → messages stream', front: 'responses', model: 'claude-ok', stream: true, expect: 'ok', weight: 2 },
  { name: 'responses → chat', front: 'responses', model: 'gpt-ok', stream: false, expect: 'ok', weight: 1 },
  { name: 'echo stream', front: 'chat', model: 'echo', stream: true, expect: 'ok', weight: 1 },
  { name: 'failover 503 → good', front: 'messages', model: 'fo-e503', stream: true, expect: 'ok', weight: 2 },
  { name: 'upstream 503', front: 'chat', model: 'gpt-e503', stream: false, expect: 'error', weight: 1 },
  { name: 'upstream 400 translated', front: 'messages', model: 'gpt-e400', stream: true, expect: 'error', weight: 1 },
  { name: 'bad body', front: 'chat', model: 'gpt-ok', stream: false, expect: 'error', weight: 1, rawBody: '{"model":"gpt-ok","messages":' },
  { name: 'leave mid-stream', front: 'messages', model: 'gpt-long', stream: true, expect: 'left', weight: 2, leaveAfterBytes: 600 },
  { name: 'leave before headers', front: 'chat', model: 'claude-hang', stream: true, expect: 'left', weight: 1, leaveAfterMs: 150 },
]
const TOTAL_WEIGHT = KINDS.reduce((s, k) => s + k.weight, 0)
function pickKind(): Kind {
  let x = Math.random() * TOTAL_WEIGHT
  for (const k of KINDS) if ((x -= k.weight) < 0) return k
  return KINDS[0]
}

interface Counts {
  sent: number
  ok: number
  errors: number
  left: number
  unexpected: number
}
const counts: Counts = { sent: 0, ok: 0, errors: 0, left: 0, unexpected: 0 }
const unexpected: string[] = []

async function one(port: number): Promise<void> {
  const k = pickKind()
  counts.sent++
  try {
    const res = await rawRequest({
      port,
      path: PATHS[k.front],
      headers: k.front === 'messages' ? { 'anthropic-version': '2023-06-01' } : {},
      body: k.rawBody ?? JSON.stringify(requestBody(k.front, k.model, k.stream)),
      leaveAfterBytes: k.leaveAfterBytes,
      timeoutMs: k.leaveAfterMs ?? 15_000,
    })
    if (k.expect === 'left') {
      counts.left++
      return
    }
    const v = viewOf(k.front, res.status, res.headers.get('content-type') ?? '', res.body)
    const good = v.status === 200 && v.complete && v.errors.length === 0 && v.problems.length === 0 && v.text.includes(k.model === 'echo' ? '' : TEXT)
    const clearError = v.errors.length === 1 && v.problems.length === 0
    if (k.expect === 'ok' && good) counts.ok++
    else if (k.expect === 'error' && clearError) counts.errors++
    else {
      counts.unexpected++
      if (unexpected.length < 20) unexpected.push(`${k.name}: ${res.status} ${res.body.slice(0, 200)}`)
    }
  } catch (err) {
    if (k.expect === 'left' && k.leaveAfterMs !== undefined) {
      counts.left++
      return
    }
    counts.unexpected++
    if (unexpected.length < 20) unexpected.push(`${k.name}: ${String(err)}`)
  }
}

async function main(): Promise<number> {
  const mock = startMock(script)
  const proxy = await spawnProxy(
    {
      providers: {
        oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k', max_retries: 0 },
        an: { dialect: 'anthropic', base_url: mock.url, api_key: 'k', max_retries: 0 },
        demo: { dialect: 'echo' },
      },
      models: { echo: 'demo/echo', 'fo-*': { targets: ['oc/*'], fallbacks: ['an/claude-ok'] }, 'gpt-*': 'oc/*', 'claude-*': 'an/*' },
    },
    { binary },
  )
  const started = performance.now()
  const end = started + MINUTES * 60_000
  console.log(`soak: ${MINUTES} min, ${CONCURRENCY} concurrent clients, against ${binary ?? 'bun src/main.ts'} (pid ${proxy.proc.pid})`)
  const samples: Array<{ s: number; rss: number; peak: number; c: Counts }> = []
  const sample = () => {
    const m = proxy.rssMb()
    samples.push({ s: Math.round((performance.now() - started) / 1000), rss: m.rss, peak: m.peak, c: { ...counts } })
    const x = samples[samples.length - 1]
    console.log(`  ${String(x.s).padStart(5)} s  RSS ${x.rss.toFixed(1).padStart(7)} MB  peak ${x.peak.toFixed(1).padStart(7)} MB  requests ${x.c.sent}  unexpected ${x.c.unexpected}`)
    // the mock keeps what it received: let it go (the soak measures the proxy, not the mock)
    mock.received.length = 0
  }
  sample()
  const timer = setInterval(sample, SAMPLE_MS)
  const worker = async () => {
    while (performance.now() < end) await one(proxy.port)
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  clearInterval(timer)
  // let disconnected requests finish on the proxy side before the last sample
  await Bun.sleep(1000)
  sample()
  const health = await fetch(`${proxy.url}/metrics`).then((r) => r.text())
  const active = Number(/^llm_proxy_active_streams (\S+)/m.exec(health)?.[1] ?? NaN)
  await proxy.stop()
  mock.stop()

  const elapsed = (performance.now() - started) / 1000
  const base = samples.find((s) => s.s >= 60) ?? samples[Math.min(1, samples.length - 1)]
  const last = samples[samples.length - 1]
  const growth = (last.rss - base.rss) / base.rss
  console.log('\n| t (s) | RSS (MB) | peak (MB) | requests | ok | errors (expected) | client left | unexpected |')
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const s of samples) console.log(`| ${s.s} | ${s.rss.toFixed(1)} | ${s.peak.toFixed(1)} | ${s.c.sent} | ${s.c.ok} | ${s.c.errors} | ${s.c.left} | ${s.c.unexpected} |`)
  console.log(
    `\n${counts.sent} requests in ${elapsed.toFixed(0)} s (${(counts.sent / elapsed).toFixed(0)}/s); RSS at ${base.s} s ${base.rss.toFixed(1)} MB → end ${last.rss.toFixed(1)} MB ` +
      `(${(growth * 100).toFixed(1)} %), peak ${Math.max(...samples.map((s) => s.peak)).toFixed(1)} MB; active streams at the end: ${active}`,
  )
  for (const u of unexpected) console.log(`  unexpected: ${u}`)
  let code = 0
  if (growth > 0.1) {
    console.log(`FAIL: RSS grew ${(growth * 100).toFixed(1)} % (> 10 %) from ${base.s} s to the end`)
    code = 1
  }
  if (counts.unexpected > 0) {
    console.log(`FAIL: ${counts.unexpected} answers were not what their traffic kind must get`)
    code = 1
  }
  if (active !== 0) {
    console.log(`FAIL: ${active} streams still counted active after the traffic stopped`)
    code = 1
  }
  if (code === 0) console.log('PASS')
  return code
}

process.exit(await main())
