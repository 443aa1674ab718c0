// `llm-proxy doctor` against loopback mocks that fail each way: refused connection, 401, 500 and
// a slow upstream; a healthy provider in each dialect with a models-list call; --live; --json.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { doctor, renderDoctor } from '../../src/cli/doctor/run'
import { resolveConfig } from '../../src/config/resolve'
import { startMock, type Mock } from '../helpers/mock-upstream'

let good: Mock, unauthorized: Mock, broken: Mock, slow: Mock
let refusedPort: number
beforeAll(() => {
  good = startMock((r) => (r.method === 'GET' ? { kind: 'json', body: { data: [] } } : { kind: 'json', body: { id: 'x', choices: [] } }))
  unauthorized = startMock(() => ({ kind: 'json', status: 401, body: { error: { message: 'Incorrect API key provided: sk-sec***' } } }))
  broken = startMock(() => ({ kind: 'json', status: 500, body: { error: 'boom' } }))
  slow = startMock(() => ({ kind: 'hang' }))
  const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
  refusedPort = closed.port!
  closed.stop(true)
})
afterAll(() => [good, unauthorized, broken, slow].forEach((m) => m?.stop()))

const config = () =>
  resolveConfig(
    {
      providers: {
        ok: { dialect: 'openai-chat', base_url: `${good.url}/v1`, api_key: 'sk-good' },
        claude: { dialect: 'anthropic', base_url: good.url, api_key: 'sk-ant' },
        denied: { dialect: 'openai-chat', base_url: `${unauthorized.url}/v1`, api_key: 'sk-secret-key' },
        broken: { dialect: 'gemini', base_url: broken.url, api_key: 'g' },
        slow: { dialect: 'openai-chat', base_url: `${slow.url}/v1`, api_key: 'k' },
        refused: { dialect: 'openai-chat', base_url: `http://127.0.0.1:${refusedPort}/v1`, api_key: 'k' },
        local: { dialect: 'echo' },
      },
      models: { fast: { targets: ['ok/gpt-4o-mini', 'claude/claude-haiku'] }, 'gpt-*': 'ok/*' },
    },
    {},
  )

const byName = (r: Awaited<ReturnType<typeof doctor>>) => Object.fromEntries(r.providers.map((p) => [p.name, p]))
const check = (p: { checks: Array<{ name: string }> }, name: string) => p.checks.find((c) => c.name === name) as any

describe('llm-proxy doctor', () => {
  test('each failure is named on its provider; healthy ones pass; exit status reflects any failure', async () => {
    const r = await doctor(config(), { timeoutMs: 400 })
    const p = byName(r)
    expect(r.ok).toBe(false)
    expect(p.ok.ok).toBe(true)
    expect(p.ok.checks.map((c) => c.name)).toEqual(['dns', 'tcp', 'tls', 'auth'])
    expect(check(p.ok, 'tls').skipped).toBe('http:// URL')
    expect(check(p.ok, 'auth').detail).toBe('HTTP 200')
    expect(p.claude.ok).toBe(true)
    const models = good.received.filter((x) => x.method === 'GET')
    expect(models.find((x) => x.path === '/v1/models' && x.headers.get('x-api-key') === 'sk-ant')).toBeDefined()
    expect(models.find((x) => x.path === '/v1/models' && x.headers.get('authorization') === 'Bearer sk-good')).toBeDefined()
    expect(p.denied.ok).toBe(false)
    expect(check(p.denied, 'auth').detail).toBe('HTTP 401: the key was rejected')
    expect(p.broken.ok).toBe(false)
    expect(check(p.broken, 'auth').detail).toBe('HTTP 500: upstream error')
    expect(broken.received[0].path).toBe('/v1beta/models')
    expect(p.slow.ok).toBe(false)
    expect(check(p.slow, 'auth').detail).toBe('timed out after 400 ms')
    expect(p.refused.ok).toBe(false)
    expect(check(p.refused, 'tcp').detail).toContain('ECONNREFUSED')
    expect(check(p.refused, 'auth')).toBeUndefined()
    expect(p.local.ok).toBe(true)
    const text = renderDoctor(r, false)
    expect(text).toContain('FAILED: denied, broken, slow, refused')
    expect(text).not.toContain('sk-secret')
    expect(text).not.toContain('sk-sec***')
  })

  test('--live sends a 1-token completion per routed model', async () => {
    const before = good.received.length
    const r = await doctor(config(), { timeoutMs: 400, live: true })
    const p = byName(r)
    expect(p.ok.checks.map((c) => c.name)).toEqual(['dns', 'tcp', 'tls', 'auth', 'complete gpt-4o-mini'])
    expect(p.claude.checks.at(-1)!.name).toBe('complete claude-haiku')
    const posts = good.received.slice(before).filter((x) => x.method === 'POST')
    expect(posts.map((x) => [x.path, x.body.model, x.body.max_tokens ?? x.body.max_completion_tokens]).sort()).toEqual([
      ['/v1/chat/completions', 'gpt-4o-mini', 1],
      ['/v1/messages', 'claude-haiku', 1],
    ])
  })

  test('the CLI: --json prints one document with an entry per provider; exit 0 only when all are fine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmp-doctor-'))
    const okFile = join(dir, 'ok.yaml')
    writeFileSync(okFile, `providers:\n  ok: { dialect: openai-chat, base_url: "${good.url}/v1", api_key: k }\n`)
    const badFile = join(dir, 'bad.yaml')
    writeFileSync(badFile, `providers:\n  ok: { dialect: openai-chat, base_url: "${good.url}/v1", api_key: k }\n  refused: { dialect: anthropic, base_url: "http://127.0.0.1:${refusedPort}", api_key: k }\n`)
    // async spawn: the mocks live in this process and must keep answering
    const run = async (f: string) => {
      const p = Bun.spawn(['bun', 'src/main.ts', 'doctor', '--config', f, '--json'], { cwd: join(import.meta.dir, '..', '..'), env: { PATH: process.env.PATH ?? '' }, stdout: 'pipe' })
      const stdout = await new Response(p.stdout).text()
      return { exitCode: await p.exited, stdout }
    }
    const a = await run(okFile)
    expect(a.exitCode).toBe(0)
    const doc = JSON.parse(a.stdout)
    expect(doc.ok).toBe(true)
    expect(doc.providers.map((p: any) => [p.name, p.ok])).toEqual([['ok', true]])
    const b = await run(badFile)
    expect(b.exitCode).toBe(1)
    expect(JSON.parse(b.stdout).providers.map((p: any) => [p.name, p.ok])).toEqual([['ok', true], ['refused', false]])
  })
})
