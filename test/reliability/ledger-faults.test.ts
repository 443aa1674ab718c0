// The usage ledger as an operator meets it: one that cannot be opened at start is a clean one-line
// error naming usage.store and exit code 2 (not a stack trace); a running one shows its state in
// /health and /metrics. How a failing store backs off: test/unit/observe/usage-ledger-backoff.test.ts.
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startProxy } from '../helpers/proxy'

const ROOT = join(import.meta.dir, '..', '..')

async function serveWith(store: string): Promise<{ code: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-ledger-'))
  const file = join(dir, 'config.yaml')
  writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port: 0 }, providers: { demo: { dialect: 'echo' } }, usage: { store } }))
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src/main.ts'), 'serve', '--config', file], { cwd: dir, stdout: 'pipe', stderr: 'pipe' })
  const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
  const code = await proc.exited
  clearTimeout(killer)
  return { code, stderr: await new Response(proc.stderr).text() }
}

describe('an unusable ledger at start', () => {
  for (const [name, store] of [
    ['a directory that does not exist', 'sqlite:/nonexistent-llm-proxy-dir/usage.db'],
    ['a path that is a directory', `sqlite:${tmpdir()}`],
  ])
    test(`${name}: one line naming usage.store, exit 2`, async () => {
      const r = await serveWith(store)
      expect(r.code).toBe(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toStartWith('llm-proxy: usage.store ')
      expect(lines[0]).toContain(store)
    })
})

test('/health shows the ledger state', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-ledger-'))
  const proxy = await startProxy({ providers: { demo: { dialect: 'echo' } }, usage: { store: `sqlite:${join(dir, 'u.db')}` } })
  try {
    const h = await (await fetch(`${proxy.url}/health`)).json()
    expect(h.usage_ledger).toMatchObject({ store: 'sqlite', pending: 0, dropped: 0, failing: false })
    const m = await (await fetch(`${proxy.url}/metrics`)).text()
    expect(m).toContain('llm_proxy_usage_ledger_failing 0')
  } finally {
    proxy.stop()
  }
})
