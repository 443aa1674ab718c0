// The CLI as a user runs it: version, help, bad flags and configs (exit 2), check, and the compiled
// binary starting on the example config and answering in all three dialects.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dir, '..', '..')
const run = (args: string[], env: Record<string, string> = {}) => {
  const p = Bun.spawnSync(['bun', 'src/main.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}
const tmp = mkdtempSync(join(tmpdir(), 'llmp-cli-'))

describe('CLI', () => {
  test('version and help', () => {
    const v = run(['version'])
    expect(v.code).toBe(0)
    expect(v.out).toMatch(/^llm-proxy \d+\.\d+\.\d+/)
    const h = run(['--help'])
    expect(h.code).toBe(0)
    expect(h.out).toContain('llm-proxy check')
  })
  test('unknown flags and bad values exit 2 with a message', () => {
    const a = run(['--bogus'])
    expect(a.code).toBe(2)
    expect(a.err).toContain('--bogus')
    const b = run(['serve', '--port', '70000'])
    expect(b.code).toBe(2)
    expect(b.err).toMatch(/port/)
  })
  test('an invalid config reports every problem with its path and exits 2', () => {
    const f = join(tmp, 'bad.yaml')
    writeFileSync(f, 'server:\n  prot: 8080\nproviders:\n  x: { dialect: nope }\nlogging: { level: loud }\n')
    const r = run(['check', '--config', f])
    expect(r.code).toBe(2)
    expect(r.err).toContain('server.prot')
    expect(r.err).toContain('did you mean')
    expect(r.err).toContain('providers.x.dialect')
    expect(r.err).toContain('logging.level')
  })
  test('check prints providers, the model table and a resolution, keys masked', () => {
    const f = join(tmp, 'ok.yaml')
    writeFileSync(f, 'providers:\n  oai: { dialect: openai-chat, api_key: sk-live-abcdefghijklmnop }\nmodels:\n  fast: { targets: [oai/gpt-4o-mini], fallbacks: [oai/gpt-4o] }\n')
    const r = run(['check', '--config', f, '--resolve', 'fast'])
    expect(r.code).toBe(0)
    expect(r.out).toContain('oai')
    expect(r.out).toContain('1. oai/gpt-4o-mini')
    expect(r.out).toContain('2. oai/gpt-4o')
    expect(r.out).not.toContain('sk-live-abcdefghijklmnop')
  })
  test('the example config is valid with no environment variables set', () => {
    const r = run(['check', '--config', 'config/config.example.yaml'])
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
  })
})

describe('compiled binary', () => {
  const bin = join(tmp, 'llm-proxy')
  let proc: ReturnType<typeof Bun.spawn> | undefined
  let url = ''
  let startupMs = 0

  beforeAll(async () => {
    const b = Bun.spawnSync(['bun', 'build', '--compile', '--minify', '--bytecode', 'src/main.ts', '--outfile', bin], { cwd: ROOT })
    if (b.exitCode !== 0) throw new Error(`build failed: ${b.stderr.toString()}`)
    const port = 20000 + Math.floor(Math.random() * 20000)
    url = `http://127.0.0.1:${port}`
    const t0 = performance.now()
    proc = Bun.spawn([bin, 'serve', '--config', join(ROOT, 'config/config.example.yaml'), '--port', String(port), '--log-level', 'warn', '--env', ''], {
      cwd: tmp,
      stdout: 'ignore',
      stderr: 'ignore',
      env: { PATH: process.env.PATH ?? '' },
    })
    // config/ is relative to the project; the binary runs from a temp dir so the ledger lands there
    for (let i = 0; i < 2000; i++) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break
      } catch {}
      await Bun.sleep(2)
    }
    startupMs = performance.now() - t0
  }, 60_000)
  afterAll(() => proc?.kill())

  test('starts and answers /health quickly', async () => {
    const h = await (await fetch(`${url}/health`)).json()
    expect(h.status).toBe('ok')
    expect(h.providers.map((p: any) => p.name)).toContain('demo')
    console.log(`compiled binary: first /healthz after ${startupMs.toFixed(0)} ms`)
    expect(startupMs).toBeLessThan(1000)
  })

  test('the echo model answers in all three dialects with no provider key', async () => {
    const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const chat = await (await post('/v1/chat/completions', { model: 'echo', messages: [{ role: 'user', content: 'hello there' }] })).json()
    expect(chat.choices[0].message.content).toContain('hello there')
    const msg = await (await post('/v1/messages', { model: 'echo', max_tokens: 100, messages: [{ role: 'user', content: 'hello claude' }] })).json()
    expect(msg.content[0].text).toContain('hello claude')
    const resp = await (await post('/v1/responses', { model: 'echo', input: 'hello codex' })).json()
    expect(JSON.stringify(resp.output)).toContain('hello codex')
    const sse = await (await post('/v1/chat/completions', { model: 'echo', stream: true, messages: [{ role: 'user', content: 'stream me' }] })).text()
    expect(sse).toContain('data: [DONE]')
  })

  test('a route to a provider without a key answers a clear error, not a crash', async () => {
    const r = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'x' }] }) })
    expect(r.status).toBeGreaterThanOrEqual(400)
    const j = await r.json()
    expect(j.error.message.length).toBeGreaterThan(10)
    expect((await fetch(`${url}/healthz`)).ok).toBe(true)
  })

  test('SIGTERM exits 0', async () => {
    proc!.kill('SIGTERM')
    expect(await proc!.exited).toBe(0)
  })
})
