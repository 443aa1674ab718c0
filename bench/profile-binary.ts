// Profiles the compiled binary under load with Bun's own profiler: the mock upstream, one
// `dist/llm-proxy serve` with BUN_OPTIONS="--cpu-prof-md" (a compiled binary reads BUN_OPTIONS;
// with Bun 1.4.5 adding --cpu-prof or --cpu-prof-interval to it killed the binary with SIGPWR), driven by the bench's stream client at concurrency 16 for a few seconds per lane,
// then SIGTERM (the server exits cleanly and the profile is written).
//
//   bun bench/profile-binary.ts [--seconds 12] [--lane whole|stream|anthropic] [--binary dist/llm-proxy] [--no-profile]
// Profiles land in bench/tmp/profile-<lane>/CPU.*.md (ignored by git). For the stage grouping
// (bench/profile-stages.ts) profile the in-process harness with --cpu-prof instead.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, readCpuMicros, spawnChild, stopChild, waitHealthy } from './procs'
import { proxyConfig } from './proxy-config'
import { buildReq, modelName, type ClientDialect } from './requests'
import { streamThroughput, type StreamReq } from './stream-client'

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const seconds = Number(arg('--seconds', '12'))
const binary = arg('--binary', 'dist/llm-proxy')
const lanes: Record<string, { dialect: ClientDialect; stream: boolean; chunks: number }> = {
  whole: { dialect: 'chat', stream: false, chunks: 20 },
  stream: { dialect: 'chat', stream: true, chunks: 20 },
  anthropic: { dialect: 'anthropic', stream: true, chunks: 20 },
}
const only = arg('--lane', 'all')
/** --no-profile: the same load and CPU figure without the profiler (A/B of two binaries) */
const profile = !process.argv.includes('--no-profile')
const tmp = join(import.meta.dir, 'tmp')
mkdirSync(tmp, { recursive: true })

const mockPort = freePort()
const mock = spawnChild(['bun', join(import.meta.dir, 'mock-upstream.ts'), '--port', String(mockPort)], join(tmp, 'profile-mock.log'))
await waitHealthy(`http://127.0.0.1:${mockPort}/healthz`, mock, performance.now()).catch(() => Bun.sleep(500))

for (const [lane, l] of Object.entries(lanes)) {
  if (only !== 'all' && only !== lane) continue
  const dir = join(tmp, `profile-${lane}`)
  mkdirSync(dir, { recursive: true })
  const port = freePort()
  const cfg = join(tmp, `profile-${lane}.yaml`)
  writeFileSync(cfg, proxyConfig(port, mockPort))
  const proc = spawnChild([binary, 'serve', '--config', cfg], join(dir, 'proxy.log'), profile ? { BUN_OPTIONS: `--cpu-prof-md --cpu-prof-dir=${dir}` } : {})
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc, performance.now())
  const req = buildReq({ name: 'llm', base: `http://127.0.0.1:${port}` }, l.dialect, modelName('gpt', l.chunks, 0), l.chunks, l.stream)
  const drive = (ms: number) => (l.stream ? streamThroughput(req, 16, ms) : wholeThroughput(req, 16, ms))
  await drive(1500) // warm-up
  const cpu0 = readCpuMicros(proc.pid)
  const t = await drive(seconds * 1000)
  const cpu = readCpuMicros(proc.pid) - cpu0
  console.log(`${lane}: ${t.streams} good requests (${t.errors} bad${t.firstError ? `: ${t.firstError}` : ''}) in ${seconds} s, proxy CPU ${(cpu / Math.max(1, t.streams)).toFixed(0)} µs per request (10 ms ticks)`)
  await stopChild(proc)
}
await stopChild(mock)

/** non-streamed answers back to back on `concurrency` workers */
async function wholeThroughput(req: StreamReq, concurrency: number, ms: number): Promise<{ streams: number; errors: number; firstError?: string }> {
  let streams = 0
  let errors = 0
  let firstError: string | undefined
  const stop = performance.now() + ms
  const worker = async () => {
    while (performance.now() < stop) {
      const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body })
      const text = await res.text()
      if (res.status === 200 && text.includes('"usage"')) streams++
      else (errors++, (firstError ??= `${res.status} ${text.slice(0, 120)}`))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { streams, errors, firstError }
}
process.exit(0)
