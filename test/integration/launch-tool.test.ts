// `llm-proxy claude` / `llm-proxy codex` with fake `claude` / `codex` executables on PATH that
// print the environment and arguments they got and make one request through the proxy.
import { describe, expect, test } from 'bun:test'
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnCli } from '../helpers/cli-process'
import { freePort } from '../helpers/compiled-binary'

const ROOT = join(import.meta.dir, '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-tools-'))
const bin = join(dir, 'bin')
mkdirSync(bin)

// each fake asks the proxy for the echo model the way the real tool would, then reports
const fake = (name: string, request: string) => {
  const file = join(bin, name)
  writeFileSync(
    file,
    `#!${process.execPath}
const env = process.env
${request}
console.log(JSON.stringify({ tool: ${JSON.stringify(name)}, args: process.argv.slice(2), env: Object.fromEntries(Object.entries(env).filter(([k]) => /^(ANTHROPIC_|LLM_PROXY_CODEX)/.test(k))), status: res.status, answer: await res.text() }))
process.exit(Number(env.FAKE_EXIT ?? 0))
`,
  )
  chmodSync(file, 0o755)
}
fake('claude', `const res = await fetch(env.ANTHROPIC_BASE_URL + '/v1/messages', { method: 'POST', headers: { authorization: 'Bearer ' + env.ANTHROPIC_AUTH_TOKEN, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: env.ANTHROPIC_MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'hello from claude' }] }) })`)
fake('codex', `const i = process.argv.findIndex((a) => a.startsWith('model_providers.llm_proxy.base_url='))
const base = JSON.parse(process.argv[i].split('=').slice(1).join('='))
const res = await fetch(base + '/responses', { method: 'POST', headers: { authorization: 'Bearer ' + env.LLM_PROXY_CODEX_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo', input: 'hello from codex' }) })`)

const config = (port: number) => {
  const file = join(dir, `c-${port}.json`)
  writeFileSync(file, JSON.stringify({ server: { port }, usage: { store: 'none' }, providers: { demo: { dialect: 'echo' } }, models: { echo: 'demo/echo' }, auth: { keys: [{ key: 'pk-tool-client-key-1', name: 'me' }] } }))
  return file
}
const cli = (args: string[], env: Record<string, string> = {}) =>
  Bun.spawn([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), ...args], { cwd: dir, env: { PATH: `${bin}:${process.env.PATH}`, ANTHROPIC_API_KEY: 'sk-ant-real-user-key', ...env }, stdout: 'pipe', stderr: 'pipe' })

describe('llm-proxy claude', () => {
  test('starts a proxy for the session, points Claude Code at it with the model, passes its exit status, stops the proxy', async () => {
    const port = freePort()
    const p = cli(['claude', '-c', config(port), '--model', 'echo', '--', '-p', 'hi', '--verbose'], { FAKE_EXIT: '7' })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    expect(err).toContain(`started llm-proxy at http://127.0.0.1:${port} for this claude session`)
    expect(code).toBe(7)
    const r = JSON.parse(out)
    expect(r.args).toEqual(['-p', 'hi', '--verbose'])
    expect(r.env).toEqual({
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}`,
      ANTHROPIC_AUTH_TOKEN: 'pk-tool-client-key-1',
      ANTHROPIC_MODEL: 'echo',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'echo',
      ANTHROPIC_SMALL_FAST_MODEL: 'echo',
    })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.answer).content[0].text).toContain('hello from claude')
    // the session's proxy is gone
    expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'up', () => 'down')).toBe('down')
  }, 30_000)

  test('a tool that is not installed says how to install it', async () => {
    const p = Bun.spawn([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), 'claude', '-c', config(freePort())], { cwd: dir, env: { PATH: '/nonexistent' }, stdout: 'pipe', stderr: 'pipe' })
    const [err, code] = await Promise.all([new Response(p.stderr).text(), p.exited])
    expect(code).toBe(127)
    expect(err).toContain('claude was not found on PATH; install it with: npm install -g @anthropic-ai/claude-code')
  }, 30_000)
})

describe('llm-proxy codex', () => {
  test('reuses a running proxy and configures Codex with -c overrides', async () => {
    const port = freePort()
    const file = config(port)
    const running = spawnCli(['serve', '-c', file], { cwd: dir })
    try {
      await running.waitFor((_, j) => j?.msg === 'llm-proxy listening')
      const p = cli(['codex', '-c', file, '--model', 'echo', '--', 'exec', 'do it'])
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
      expect(err).toContain(`using the llm-proxy already running at http://127.0.0.1:${port}`)
      expect(code).toBe(0)
      const r = JSON.parse(out)
      expect(r.args).toEqual([
        '-c', 'model_provider="llm_proxy"',
        '-c', 'model_providers.llm_proxy.name="llm-proxy"',
        '-c', `model_providers.llm_proxy.base_url="http://127.0.0.1:${port}/v1"`,
        '-c', 'model_providers.llm_proxy.wire_api="responses"',
        '-c', 'model_providers.llm_proxy.env_key="LLM_PROXY_CODEX_KEY"',
        '-c', 'model="echo"',
        'exec', 'do it',
      ])
      expect(r.env.LLM_PROXY_CODEX_KEY).toBe('pk-tool-client-key-1')
      expect(r.status).toBe(200)
      expect(r.answer).toContain('hello from codex')
      // still running: it was not ours to stop
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    } finally {
      await running.stop()
    }
  }, 30_000)
})
