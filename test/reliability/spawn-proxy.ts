// llm-proxy as a separate process (the source via bun, or the compiled binary), so its memory is
// measured alone and its upstream fetches get the concurrency cap `make run` gives them.
import type { Subprocess } from 'bun'
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface ProxyProcess {
  url: string
  port: number
  proc: Subprocess
  /** the config file it serves (rewrite it to test reloads) */
  file: string
  /** current and peak resident memory of the proxy process, in MB (from /proc) */
  rssMb(): { rss: number; peak: number }
  stop(): Promise<void>
}

const ROOT = join(import.meta.dir, '..', '..')

function freePort(): number {
  const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
  const port = s.port!
  s.stop(true)
  return port
}

export function procMemMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(/\d+/.exec(status.slice(status.indexOf(key + ':')))?.[0] ?? NaN)
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

export async function spawnProxy(config: Record<string, unknown>, o: { binary?: string; logFile?: string; env?: Record<string, string> } = {}): Promise<ProxyProcess> {
  const port = freePort()
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-rel-'))
  const file = join(dir, 'config.yaml')
  // JSON is YAML: no serializer needed
  writeFileSync(file, JSON.stringify({ usage: { store: 'none' }, logging: { level: 'error' }, ...config, server: { host: '127.0.0.1', port, ...((config.server as object) ?? {}) } }))
  const cmd = o.binary ? [o.binary, 'serve', '--config', file] : [process.execPath, join(ROOT, 'src/main.ts'), 'serve', '--config', file]
  // one descriptor in append mode for both streams: two handles on one file overwrite each other
  const log = o.logFile ? openSync(o.logFile, 'a') : 'ignore'
  const proc = Bun.spawn(cmd, {
    cwd: ROOT,
    stdout: log,
    stderr: log,
    stdin: 'ignore',
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: process.env.BUN_CONFIG_MAX_HTTP_REQUESTS ?? '4096', ...o.env },
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = performance.now() + 15_000
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`llm-proxy exited with ${proc.exitCode} before it was ready`)
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    )
    if (ok) break
    if (performance.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error('llm-proxy did not become ready within 15 s')
    }
    await Bun.sleep(20)
  }
  return {
    url,
    port,
    proc,
    file,
    rssMb: () => procMemMb(proc.pid),
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return
      proc.kill('SIGTERM')
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(5000).then(() => false)])
      if (!exited) proc.kill('SIGKILL')
      await proc.exited
    },
  }
}
