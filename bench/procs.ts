// Child processes of the benchmark (mock, bare proxy, llm-proxy instances) and what /proc says
// about them. Every child is registered so one call kills them all, also on error or SIGINT.
import type { Subprocess } from 'bun'
import { readFileSync } from 'node:fs'

const children = new Set<Subprocess>()

/**
 * Spawns a child whose stdout/stderr go to `logPath`; the caller waits for readiness. The
 * client-side raise of Bun's fetch concurrency cap is not passed on: proxies run as shipped.
 */
export function spawnChild(cmd: string[], logPath: string, env?: Record<string, string>): Subprocess {
  const log = Bun.file(logPath)
  const full: Record<string, string | undefined> = { ...process.env }
  delete full.BUN_CONFIG_MAX_HTTP_REQUESTS
  const proc = Bun.spawn(cmd, { stdout: log, stderr: log, stdin: 'ignore', env: { ...full, ...env } })
  children.add(proc)
  void proc.exited.then(() => children.delete(proc))
  return proc
}

export async function stopChild(proc: Subprocess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  proc.kill('SIGTERM')
  const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(3000).then(() => false)])
  if (!exited) proc.kill('SIGKILL')
  await proc.exited
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stopChild))
}

export function killAll(): void {
  for (const p of children) p.kill('SIGKILL')
  children.clear()
}

/** A loopback port free right now (bound, read, released). */
export function freePort(): number {
  const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
  const port = s.port
  s.stop(true)
  if (port === undefined) throw new Error('no free port')
  return port
}

/** Polls `url` every `everyMs` until it answers 200; returns ms since `t0` (performance.now()). */
export async function waitHealthy(url: string, proc: Subprocess, t0: number, everyMs = 1, timeoutMs = 10_000): Promise<number> {
  const deadline = t0 + timeoutMs
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${url}: process exited with ${proc.exitCode} before answering`)
    try {
      const res = await fetch(url)
      if (res.status === 200) {
        await res.arrayBuffer()
        return performance.now() - t0
      }
      await res.arrayBuffer()
    } catch {
      // not listening yet
    }
    await Bun.sleep(everyMs)
  }
  throw new Error(`${url}: not healthy within ${timeoutMs} ms`)
}

export interface Mem {
  rssMB: number
  hwmMB: number
}

export function readMem(pid: number): Mem {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN)
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 }
}

const TICKS_PER_SEC = 100 // USER_HZ on Linux

/** utime + stime of a process, in µs (resolution 10 ms: measure over thousands of requests). */
export function readCpuMicros(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // fields after the parenthesised command name; utime and stime are fields 14 and 15
  const rest = s.slice(s.lastIndexOf(')') + 2).split(' ')
  return ((Number(rest[11]) + Number(rest[12])) * 1e6) / TICKS_PER_SEC
}
