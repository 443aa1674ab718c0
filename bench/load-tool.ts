// Closed-loop throughput of non-streaming requests at a fixed connection count: wrk when it is
// installed (C, cheapest client on a small machine), else autocannon (the dev dependency) on node
// or bun. Both run as their own process, so the load generator is never the orchestrator.
import { join } from 'node:path'
import type { Req } from './http-client'

export interface Throughput {
  tool: string
  requests: number
  errors: number
  rps: number
  /** ms (wrk: µs resolution; autocannon: 1 ms resolution) */
  p50: number
  p99: number
}

export const loadTool: 'wrk' | 'autocannon' =
  process.env.BENCH_TOOL === 'autocannon' || !Bun.which('wrk') ? 'autocannon' : 'wrk'

export async function throughput(req: Req, connections: number, durationSec: number, tmpDir: string): Promise<Throughput> {
  return loadTool === 'wrk' ? runWrk(req, connections, durationSec, tmpDir) : runAutocannon(req, connections, durationSec)
}

async function output(cmd: string[], timeoutMs: number): Promise<string> {
  const proc = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
  const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs)
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  clearTimeout(timer)
  if ((await proc.exited) !== 0) throw new Error(`${cmd[0]} failed: ${err.slice(0, 500)}`)
  return out
}

const wrkMs = (v: string, unit: string) => Number(v) * (unit === 'us' ? 1e-3 : unit === 's' ? 1e3 : 1)

async function runWrk(req: Req, connections: number, durationSec: number, tmpDir: string): Promise<Throughput> {
  const script = join(tmpDir, `wrk-${Bun.hash(req.body + JSON.stringify(req.headers)).toString(16)}.lua`)
  const lua = ['wrk.method = "POST"', `wrk.body = [==[${req.body}]==]`]
  for (const [k, v] of Object.entries(req.headers)) lua.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`)
  await Bun.write(script, lua.join('\n') + '\n')
  const threads = Math.min(2, connections)
  const out = await output(['wrk', `-t${threads}`, `-c${connections}`, `-d${durationSec}s`, '--latency', '-s', script, req.url], (durationSec + 30) * 1000)
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0)
  const lat = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out)
    return m ? wrkMs(m[1], m[2]) : NaN
  }
  const requests = num(/(\d+) requests in/)
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const errors = num(/Non-2xx or 3xx responses: (\d+)/) + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0)
  const seconds = num(/requests in ([\d.]+)s/) || durationSec
  return { tool: 'wrk', requests, errors, rps: (requests - errors) / seconds, p50: lat('50'), p99: lat('99') }
}

interface AutocannonJson {
  duration: number
  '2xx': number
  non2xx: number
  errors: number
  timeouts: number
  latency: { p50: number; p99: number }
}

async function runAutocannon(req: Req, connections: number, durationSec: number): Promise<Throughput> {
  const bin = join(import.meta.dir, '..', 'node_modules', 'autocannon', 'autocannon.js')
  const runtime = Bun.which('node') ?? process.execPath
  const cmd = [runtime, bin, '-j', '-c', String(connections), '-d', String(durationSec), '-m', 'POST', '-b', req.body]
  for (const [k, v] of Object.entries(req.headers)) cmd.push('-H', `${k}=${v}`)
  cmd.push(req.url)
  const r = JSON.parse(await output(cmd, (durationSec + 30) * 1000)) as AutocannonJson
  const errors = r.non2xx + r.errors + r.timeouts
  return { tool: 'autocannon', requests: r['2xx'] + errors, errors, rps: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99 }
}
