// Plugins loaded from files named in the config: the two documented examples (docs/plugins/), a
// plugin that throws or refuses, a plugin that cannot load, a changed plugin on reload, and the
// compiled binary importing one.
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../../src/config/load'
import { createGateway, type Gateway } from '../../src/gateway'

const ROOT = join(import.meta.dir, '../..')
const dir = mkdtempSync(join(tmpdir(), 'llmp-plugins-'))
const examples = join(ROOT, 'docs/plugins')

function writeConfig(name: string, plugins: unknown[], extra: Record<string, unknown> = {}): string {
  const file = join(dir, name)
  writeFileSync(
    file,
    JSON.stringify({
      usage: { store: 'none' },
      logging: { level: 'info', remote_addr: true },
      providers: { demo: { dialect: 'echo' } },
      models: { '*': 'demo/echo' },
      auth: { keys: [{ key: 'sk-config-key', name: 'ops' }], groups: { dev: { models: ['echo*'] } } },
      plugins,
      ...extra,
    }),
  )
  return file
}

async function start(file: string): Promise<{ gateway: Gateway; logs: string[]; url: string; stop: () => Promise<void> }> {
  const logs: string[] = []
  const config = await loadConfig({ flags: { config: file, env: '' }, env: {} })
  const gateway = await createGateway(config, { logSink: (l) => logs.push(l) })
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r, s) => gateway.fetch(r, { remoteAddr: s.requestIP(r)?.address }) })
  return {
    gateway,
    logs,
    url: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      server.stop(true)
      await gateway.close()
    },
  }
}

const chat = (url: string, headers: Record<string, string>, model = 'echo-1') =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello plugins' }] }) })

describe('the documented example plugins', () => {
  test('team keys from a plugin, config keys still work, log lines carry prompt size and address', async () => {
    const file = writeConfig('examples.json', [
      { path: join(examples, 'team-key-check.ts'), options: { keys: { 'tk-alpha-123': { name: 'alpha', group: 'dev' } } } },
      join(examples, 'request-size-logger.ts'),
    ])
    const p = await start(file)
    try {
      const ok = await chat(p.url, { 'x-team-key': 'tk-alpha-123' })
      expect(ok.status).toBe(200)
      expect((await ok.json()).choices[0].message.content).toContain('hello plugins')
      // the plugin's principal is a real caller: its group's rules apply
      const denied = await chat(p.url, { 'x-team-key': 'tk-alpha-123' }, 'gpt-4o')
      expect(denied.status).toBe(403)
      const wrong = await chat(p.url, { 'x-team-key': 'tk-nope' })
      expect(wrong.status).toBe(401)
      expect((await wrong.json()).error.message).toBe('unknown team key')
      expect((await chat(p.url, { authorization: 'Bearer sk-config-key' })).status).toBe(200)
      expect((await chat(p.url, {})).status).toBe(401)
      await Bun.sleep(20)
      const lines = p.logs.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l))
      const alpha = lines.find((l) => l.key === 'alpha' && l.status === 200)
      expect(alpha.group).toBe('dev')
      expect(alpha.prompt_bytes).toBeGreaterThan(20)
      expect(alpha.client_addr).toBe('127.0.0.1')
      expect(alpha.remote_addr).toBe('127.0.0.1')
      // the instance the gateway loaded (imported under its own module id)
      const logger = p.gateway.config.plugins!.find((x) => x.name === 'request-size-logger') as unknown as { counts(): Record<string, number> }
      expect(logger.counts().alpha).toBeGreaterThanOrEqual(1)
    } finally {
      await p.stop()
    }
  })
})

describe('plugin failures', () => {
  const plugin = (name: string, text: string) => {
    const f = join(dir, name)
    writeFileSync(f, text)
    return f
  }

  test('a throwing or refusing hook fails only its request, in the client dialect; after-answer hooks cannot fail one', async () => {
    const f = plugin(
      'moody.ts',
      `export default {
        name: 'moody',
        beforeRequest(req) {
          const text = JSON.stringify(req.body)
          if (text.includes('explode')) throw new Error('kaboom')
          if (text.includes('forbidden')) throw Object.assign(new Error('not on my watch'), { name: 'PluginRejection', status: 451 })
          req.body.messages.push({ role: 'user', content: 'added by moody' })
        },
        afterResponse() { throw new Error('after boom') },
        log() { throw new Error('log boom') },
      }`,
    )
    const p = await start(writeConfig('moody.json', [f]))
    const send = (content: string, path = '/v1/chat/completions', extra: Record<string, unknown> = {}) =>
      fetch(`${p.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-config-key', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'echo-1', max_tokens: 50, messages: [{ role: 'user', content }], ...extra }),
      })
    try {
      const ok = await send('fine')
      expect(ok.status).toBe(200)
      expect((await ok.json()).choices[0].message.content).toContain('added by moody') // the hook changed the body
      const boom = await send('explode')
      expect(boom.status).toBe(500)
      expect((await boom.json()).error).toMatchObject({ message: 'plugin moody failed in beforeRequest: kaboom', code: 'plugin_error' })
      const anthropicBoom = await send('explode', '/v1/messages')
      expect(anthropicBoom.status).toBe(500)
      expect((await anthropicBoom.json()).error.message).toBe('plugin moody failed in beforeRequest: kaboom')
      const refused = await send('forbidden')
      expect(refused.status).toBe(451)
      expect((await refused.json()).error.message).toBe('not on my watch')
      expect((await send('fine again')).status).toBe(200)
      await Bun.sleep(20)
      expect(p.logs.filter((l) => l.includes('plugin afterResponse hook failed') && l.includes('moody')).length).toBeGreaterThanOrEqual(2)
      expect(p.logs.some((l) => l.includes('plugin log hook failed'))).toBe(true)
    } finally {
      await p.stop()
    }
  })

  test('a plugin that cannot load makes the config invalid, naming it', async () => {
    const missing = writeConfig('missing.json', ['./no-such-plugin.ts'])
    const hookless = writeConfig('hookless.json', [plugin('hookless.ts', 'export default { hello: 1 }')])
    const broken = writeConfig('broken.json', [plugin('broken.ts', 'export default {{{')])
    for (const [file, want] of [
      [missing, 'plugins[0] (./no-such-plugin.ts): cannot load: file not found'],
      [hookless, 'cannot load: it gives none of the hooks authenticate, beforeRequest, afterResponse, log'],
      [broken, 'plugins[0]'],
    ] as const) {
      const err = await loadConfig({ flags: { config: file, env: '' }, env: {} }).catch((e) => e)
      expect(err).toBeInstanceOf(ConfigError)
      expect((err as ConfigError).problems.join('\n')).toContain(want)
    }
  })

  test('a reload imports a changed plugin file', async () => {
    const f = plugin('version.ts', `export default { log: () => ({ plugin_version: 1 }) }`)
    const file = writeConfig('version.json', [f])
    const p = await start(file)
    try {
      await chat(p.url, { authorization: 'Bearer sk-config-key' })
      await Bun.sleep(20)
      writeFileSync(f, `export default { log: () => ({ plugin_version: 2 }) }`)
      const t = new Date(Date.now() + 5000)
      require('node:fs').utimesSync(f, t, t) // a new mtime even within the same second
      p.gateway.reload(await loadConfig({ flags: { config: file, env: '' }, env: {} }))
      await chat(p.url, { authorization: 'Bearer sk-config-key' })
      await Bun.sleep(20)
      const versions = p.logs.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l).plugin_version)
      expect(versions).toEqual([1, 2])
    } finally {
      await p.stop()
    }
  })
})

describe('the compiled binary', () => {
  const bin = join(dir, 'llm-proxy')
  let proc: ReturnType<typeof Bun.spawn> | undefined
  afterAll(() => proc?.kill())

  test('imports a TypeScript plugin from beside its config', async () => {
    const b = Bun.spawnSync(['bun', 'build', '--compile', 'src/main.ts', '--outfile', bin], { cwd: ROOT })
    expect(b.exitCode).toBe(0)
    const port = 20000 + Math.floor(Math.random() * 20000)
    const log = join(dir, 'binary.log')
    const file = writeConfig('binary.json', [join(examples, 'request-size-logger.ts')], { server: { host: '127.0.0.1', port }, logging: { level: 'info', file: log, remote_addr: true } })
    proc = Bun.spawn([bin, 'serve', '--config', file, '--env', ''], { cwd: dir, stdout: 'ignore', stderr: 'ignore', env: { PATH: process.env.PATH ?? '' } })
    const url = `http://127.0.0.1:${port}`
    for (let i = 0; i < 1000; i++) {
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break
      await Bun.sleep(10)
    }
    expect((await chat(url, { authorization: 'Bearer sk-config-key' })).status).toBe(200)
    proc.kill('SIGTERM')
    await proc.exited
    const line = readFileSync(log, 'utf8').split('\n').find((l) => l.includes('"msg":"request"'))!
    expect(JSON.parse(line)).toMatchObject({ client_addr: '127.0.0.1', remote_addr: '127.0.0.1' })
    expect(JSON.parse(line).prompt_bytes).toBeGreaterThan(20)
  }, 90_000)
})
