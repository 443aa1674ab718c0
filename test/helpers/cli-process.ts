// llm-proxy's CLI (src/main.ts via bun, or a compiled binary) as a child process, with its stdout
// lines collected (JSON lines parsed when they are JSON) for tests that check what it logs.
import type { Subprocess } from 'bun'
import { join } from 'node:path'

export const ROOT = join(import.meta.dir, '..', '..')

export interface CliProcess {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  /** every stdout line so far */
  lines: string[]
  stderr(): Promise<string>
  /** the first line (from index `from` on) that matches; throws with the lines seen after the timeout */
  waitFor(match: (line: string, json: Record<string, any> | undefined) => boolean, timeoutMs?: number, from?: number): Promise<string>
  stop(): Promise<number>
}

const parse = (l: string): Record<string, any> | undefined => {
  try {
    const v = JSON.parse(l)
    return v && typeof v === 'object' ? v : undefined
  } catch {
    return undefined
  }
}

export function spawnCli(args: string[], o: { cwd?: string; env?: Record<string, string | undefined>; binary?: string } = {}): CliProcess {
  const cmd = o.binary ? [o.binary, ...args] : [process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), ...args]
  const proc = Bun.spawn(cmd, { cwd: o.cwd ?? ROOT, env: o.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  const lines: string[] = []
  void (async () => {
    const dec = new TextDecoder()
    let buf = ''
    for await (const chunk of proc.stdout) {
      buf += dec.decode(chunk, { stream: true })
      let i: number
      while ((i = buf.indexOf('\n')) >= 0) {
        lines.push(buf.slice(0, i))
        buf = buf.slice(i + 1)
      }
    }
    if (buf) lines.push(buf)
  })()
  const stderrText = new Response(proc.stderr).text()
  return {
    proc,
    lines,
    stderr: () => stderrText,
    async waitFor(match, timeoutMs = 10_000, from = 0) {
      const end = performance.now() + timeoutMs
      for (;;) {
        const hit = lines.slice(from).find((l) => match(l, parse(l)))
        if (hit !== undefined) return hit
        if (performance.now() > end || proc.exitCode !== null)
          throw new Error(`no matching line (exit ${proc.exitCode}); stdout:\n${lines.slice(from).join('\n')}\nstderr:\n${proc.exitCode !== null ? await stderrText : ''}`)
        await Bun.sleep(20)
      }
    },
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM')
      const code = await Promise.race([proc.exited, Bun.sleep(8000).then(() => -1)])
      if (code === -1) proc.kill('SIGKILL')
      return proc.exited
    },
  }
}
