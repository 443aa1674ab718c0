// A config file with secrets written inline, readable by group or others, gets a warning at start
// (keys referenced as ${ENV} are not in the file; a 0600 file is private).
import { describe, expect, test } from 'bun:test'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inlineSecretPaths } from '../../src/config/file-secrets'

const ROOT = join(import.meta.dir, '..', '..')

function freePort(): number {
  const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
  const port = s.port!
  s.stop(true)
  return port
}

/** starts the proxy, waits until it answers, stops it; returns everything it logged */
async function startLog(config: Record<string, unknown>, mode: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-mode-'))
  const file = join(dir, 'config.yaml')
  const port = freePort()
  writeFileSync(file, JSON.stringify({ server: { host: '127.0.0.1', port }, usage: { store: 'none' }, ...config }))
  chmodSync(file, mode)
  const proc = Bun.spawn([process.execPath, join(ROOT, 'src/main.ts'), 'serve', '--config', file], { cwd: dir, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, LLM_PROXY_LOG_LEVEL: 'info', SECRET_FROM_ENV: 'sk-env-0123456789' } })
  // read the log as it comes: the start-up lines, plus a moment for any that follow them
  const reader = proc.stdout.getReader()
  const dec = new TextDecoder()
  let out = ''
  const deadline = Date.now() + 10_000
  let quietUntil = Infinity
  let pending: Promise<{ done: boolean; value?: Uint8Array }> | undefined
  while (Date.now() < Math.min(deadline, quietUntil)) {
    pending ??= reader.read()
    const r = await Promise.race([pending, Bun.sleep(100).then(() => undefined)])
    if (!r) continue
    pending = undefined
    if (r.done) break
    if (r.value) out += dec.decode(r.value, { stream: true })
    if (quietUntil === Infinity && out.includes('llm-proxy listening')) quietUntil = Date.now() + 300
  }
  proc.kill('SIGTERM')
  await proc.exited
  // the absence of a warning means something only if the proxy did start and log
  expect(out).toContain('llm-proxy listening')
  return out
}

const INLINE = { providers: { openai: { dialect: 'openai-chat', api_key: 'sk-inline-secret-0123456789' } } }
const BY_ENV = { providers: { openai: { dialect: 'openai-chat', api_key: '${SECRET_FROM_ENV}' } } }

describe('config file readable by others', () => {
  test('inline secrets in a 0644 file: a warning naming the field, never the secret', async () => {
    const out = await startLog(INLINE, 0o644)
    expect(out).toContain('holds secrets inline (providers.openai.api_key)')
    expect(out).toContain('chmod 600')
    expect(out).not.toContain('sk-inline-secret-0123456789')
  })
  test('the same file at 0600: no warning', async () => {
    expect(await startLog(INLINE, 0o600)).not.toContain('holds secrets inline')
  })
  test('secrets referenced as ${ENV}: no warning', async () => {
    expect(await startLog(BY_ENV, 0o644)).not.toContain('holds secrets inline')
  })
  test('what counts as an inline secret', () => {
    expect(
      inlineSecretPaths({
        providers: { a: { api_key: ['sk-1', '${K}'] }, b: { api_key: 'passthrough', headers: { Authorization: 'Bearer x' } } },
        auth: { keys: [{ key: 'sk-client', name: 'n' }, { key_sha256: 'abc', name: 'm' }] },
        state: { redis: 'redis://:hunter2@host:6379' },
        usage: { store: 'postgres://u:${PW}@db/x' },
      }),
    ).toEqual(['providers.a.api_key[0]', 'providers.b.headers.Authorization', 'auth.keys[0].key', 'state.redis'])
  })
})
