// `bun bench/run.ts [--quick] [--skip-llm] [--binary PATH]`: starts the mock upstream, the bare
// reference proxy and llm-proxy (plain, and with auth + rate limit + sqlite ledger) as separate
// processes on 127.0.0.1, runs the lanes interleaved over rounds, and writes
// bench/results/<date>.md. Every child is killed at the end, on error and on SIGINT/SIGTERM.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { memoryLane, type MemoryResult } from './lanes/memory'
import { nonStreamingRound } from './lanes/non-streaming'
import { startupLane } from './lanes/startup'
import { streamingRound } from './lanes/streaming'
import { loadTool } from './load-tool'
import { FULL, QUICK } from './plan'
import { freePort, killAll, spawnChild, stopAll, waitHealthy } from './procs'
import { BENCH_KEY, proxyConfig } from './proxy-config'
import { onClientCores, onProxyCore, pinning } from './pin'
import { Recorder } from './recorder'
import { renderReport } from './report'
import type { Target } from './requests'

// Bun's fetch allows 256 requests in flight by default: raise it for this (client) process only,
// by re-running itself, so 1,000 client streams are really concurrent. Proxies run as shipped.
if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
  const child = Bun.spawn(onClientCores([process.execPath, ...process.argv.slice(1)]), {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig))
  process.exit(await child.exited)
}

const args = process.argv.slice(2)
const plan = args.includes('--quick') ? QUICK : FULL
const skipLlm = args.includes('--skip-llm')
const root = join(import.meta.dir, '..')
const binArg = args.indexOf('--binary')
const binary = binArg >= 0 ? args[binArg + 1] : join(root, 'dist', 'llm-proxy')
const tmpDir = join(import.meta.dir, 'tmp', String(process.pid))
mkdirSync(tmpDir, { recursive: true })

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`)

function cleanupAndExit(code: number): never {
  killAll()
  process.exit(code)
}
process.on('SIGINT', () => cleanupAndExit(130))
process.on('SIGTERM', () => cleanupAndExit(143))
// a last bound on the whole run, whatever hangs
setTimeout(() => (log('overall time limit reached'), cleanupAndExit(1)), (plan.quick ? 5 : 20) * 60_000).unref()

async function start(name: string, cmd: string[], port: number) {
  const t0 = performance.now()
  const proc = spawnChild(cmd, join(tmpDir, `${name}.log`))
  await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc, t0, 5, 15_000)
  return proc
}

async function startLlm(name: string, mockPort: number, auth: boolean): Promise<Target & { pid: number }> {
  const port = freePort()
  const config = join(tmpDir, `${name}.yaml`)
  await Bun.write(config, proxyConfig(port, mockPort, { auth, dbPath: join(tmpDir, `${name}.db`) }))
  const proc = await start(name, onProxyCore([binary, 'serve', '--config', config]), port)
  return { name: auth ? 'auth' : 'llm', base: `http://127.0.0.1:${port}`, pid: proc.pid, key: auth ? BENCH_KEY : undefined }
}

async function startBare(mockPort: number): Promise<Target & { pid: number }> {
  const port = freePort()
  const proc = await start('bare', onProxyCore([process.execPath, join(import.meta.dir, 'bare-proxy.ts'), '--port', String(port), '--upstream', `http://127.0.0.1:${mockPort}`]), port)
  return { name: 'bare', base: `http://127.0.0.1:${port}`, pid: proc.pid }
}

async function binaryVersion(): Promise<string> {
  const p = Bun.spawn([binary, 'version'], { stdout: 'pipe', stderr: 'pipe' })
  const out = (await new Response(p.stdout).text()).trim()
  return (await p.exited) === 0 ? out : 'unknown'
}

function conditions(version: string, startedAt: Date): string[] {
  const cpu = cpus()
  return [
    `Date: ${startedAt.toISOString()}; ${plan.quick ? '**quick smoke run** (`--quick`): 1 round, short phases; not for conclusions' : `full run: ${plan.rounds} rounds, medians over rounds`}`,
    `Machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Linux ${readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()}; CPU pinning: ${pinning}`,
    `Bun ${Bun.version}; llm-proxy: ${skipLlm ? 'skipped (--skip-llm)' : `\`${binary}\` (${version})`}`,
    `Load tool for non-streaming throughput: ${loadTool}${loadTool === 'wrk' ? ' (2 threads)' : ''}; latency and streaming clients: fetch in Bun (BUN_CONFIG_MAX_HTTP_REQUESTS=4096 on the client only)`,
    `Per round: c=1 ${plan.seqN} requests max (${plan.seqMs} ms max) after ${plan.warmup} warm-up; fixed rate ${plan.rate} req/s for ${plan.rateMs} ms; throughput ${plan.thrSec} s per point; streams: ${plan.latStreams[20]}×20-chunk and ${plan.latStreams[2000]}×2,000-chunk sequential, ${plan.thrSec} s at c=${plan.streamConcurrency}`,
    `Memory: ${plan.memStreams} concurrent streams of ${plan.memChunks} frames ${plan.memDelayMs} ms apart, two rounds, RSS read 2 s after each; start-up: ${plan.startupRuns} runs`,
    'Targets: direct = the mock itself; bare = bench/bare-proxy.ts; llm-proxy plain (no auth, usage store none); llm-proxy + auth/ledger = client key, group rpm limit, sqlite usage ledger',
  ]
}

async function main(): Promise<void> {
  const startedAt = new Date()
  const mockPort = freePort()
  await start('mock', [process.execPath, join(import.meta.dir, 'mock-upstream.ts'), '--port', String(mockPort)], mockPort)
  const mockBase = `http://127.0.0.1:${mockPort}`
  const bare = await startBare(mockPort)
  const targets: Target[] = [{ name: 'direct', base: mockBase }, bare]
  let version = 'n/a'
  if (!skipLlm) {
    if (!existsSync(binary)) throw new Error(`${binary} not found: run \`make build\` first (or pass --skip-llm)`)
    version = await binaryVersion()
    targets.push(await startLlm('llm', mockPort, false), await startLlm('llm-auth', mockPort, true))
  }
  log(`targets: ${targets.map((t) => `${t.name}=${t.base}`).join(' ')}`)

  const rec = new Recorder()
  for (let round = 1; round <= plan.rounds; round++) {
    log(`round ${round}/${plan.rounds}: non-streaming`)
    await nonStreamingRound(rec, targets, plan, tmpDir)
    log(`round ${round}/${plan.rounds}: streaming`)
    await streamingRound(rec, targets, plan)
  }

  for (const t of targets)
    if (t.pid && !existsSync(`/proc/${t.pid}`)) rec.addErrors(`${t.name} process`, 1, `exited during the load lanes (log in ${tmpDir})`)
  // memory and start-up on fresh processes, after the load lanes' processes are gone
  await stopAll()
  await start('mock', [process.execPath, join(import.meta.dir, 'mock-upstream.ts'), '--port', String(mockPort)], mockPort)
  const memory: { llm?: MemoryResult; bare?: MemoryResult } = {}
  log('memory: bare proxy')
  memory.bare = await memoryLane(rec, await startBare(mockPort), mockBase, plan)
  let startupMs: number[] | undefined
  if (!skipLlm) {
    log('memory: llm-proxy')
    memory.llm = await memoryLane(rec, await startLlm('llm-mem', mockPort, false), mockBase, plan)
    log('start-up')
    startupMs = await startupLane([binary], mockPort, plan.startupRuns, tmpDir)
  }

  const report = renderReport({ rec, conditions: conditions(version, startedAt), memory, startupMs, startupCmd: `${binary} serve --config …` })
  const resultsDir = join(import.meta.dir, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${startedAt.toISOString().slice(0, 10)}${plan.quick ? '-quick' : ''}${skipLlm ? '-bare-only' : ''}.md`)
  await Bun.write(file, report)
  process.stdout.write(report)
  log(`wrote ${file} in ${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s; child logs in ${tmpDir}`)
}

try {
  await main()
  await stopAll()
} catch (err) {
  log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)} (child logs in ${tmpDir})`)
  cleanupAndExit(1)
}
