// The compiled binary as an operator runs it: it must not pick up ./.env, ./.env.local or a
// ./bunfig.toml preload from its working directory on Bun's own initiative, and it must hold more
// than 256 upstream streams at once from a clean environment (no BUN_CONFIG_MAX_HTTP_REQUESTS).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rawRequest } from '../reliability/raw-http'
import { compiledBinary, freePort, waitHealthy } from '../helpers/compiled-binary'

const ROOT = join(import.meta.dir, '..', '..')
let bin = ''
beforeAll(async () => {
  bin = await compiledBinary()
}, 120_000)

/** A working directory an attacker (or a stray file) prepared. */
function hostileDir(withBunfig: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-autoload-'))
  writeFileSync(join(dir, '.env'), 'LLM_PROXY_HOST=10.9.9.9\n')
  writeFileSync(join(dir, '.env.local'), 'LLM_PROXY_PORT=4321\n')
  if (withBunfig) {
    writeFileSync(join(dir, 'bunfig.toml'), 'preload = ["./evil.js"]\n')
    writeFileSync(join(dir, 'evil.js'), 'require("fs").writeFileSync(require("path").join(process.cwd(), "PWNED"), "ran")\n')
  }
  writeFileSync(join(dir, 'c.yaml'), 'server: { host: 127.0.0.1, port: 9999 }\nproviders: { demo: { dialect: echo } }\nmodels: { echo: demo/echo }\nusage: { store: none }\n')
  return dir
}

describe('no autoload from the working directory', () => {
  test('the compiled binary ignores ./.env, ./.env.local and a ./bunfig.toml preload', () => {
    const dir = hostileDir(true)
    // --env "" switches off the proxy's own ./.env reading, so only Bun's autoload could bring them in
    for (const args of [['check', '--env', '', '--config', 'c.yaml'], ['version']]) {
      const r = Bun.spawnSync(['env', '-i', 'PATH=/usr/bin:/bin', bin, ...args], { cwd: dir })
      expect(r.exitCode).toBe(0)
      if (args[0] === 'check') {
        const out = r.stdout.toString()
        expect(out).toContain('server: http://127.0.0.1:9999')
        expect(out).not.toContain('10.9.9.9')
        expect(out).not.toContain('4321')
      }
      expect(existsSync(join(dir, 'PWNED'))).toBe(false)
    }
  })

  test('make run starts bun without its own .env loading (the command it uses, run from such a directory)', () => {
    const run = /^run:.*\n((?:\t.*\n)+)/m.exec(readFileSync(join(ROOT, 'Makefile'), 'utf8'))?.[1] ?? ''
    expect(run).toContain('bun --no-env-file src/main.ts serve')
    const dir = hostileDir(false)
    const r = Bun.spawnSync(['env', '-i', 'PATH=/usr/bin:/bin', process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), 'check', '--env', '', '--config', 'c.yaml'], { cwd: dir })
    expect(r.stderr.toString()).toBe('')
    const out = r.stdout.toString()
    expect(out).toContain('server: http://127.0.0.1:9999')
    expect(out).not.toContain('4321')
  })

  test('every binary build goes through deploy/release/build.ts, which switches both autoloads off', () => {
    const script = readFileSync(join(ROOT, 'deploy/release/build.ts'), 'utf8')
    expect(script).toContain("'--no-compile-autoload-dotenv'")
    expect(script).toContain("'--no-compile-autoload-bunfig'")
    for (const file of ['Makefile', 'deploy/docker/Dockerfile', '.github/workflows/release.yml']) {
      const text = readFileSync(join(ROOT, file), 'utf8')
      expect(text).toContain('deploy/release/build.ts')
      // a direct compile would bypass the flags
      expect(text).not.toMatch(/bun build [^\n]*--compile/)
    }
  })
})

describe('upstream concurrency from a clean environment', () => {
  const STREAMS = 300
  let active = 0
  let peak = 0
  let release: () => void = () => {}
  const released = new Promise<void>((r) => (release = r))
  let upstream: ReturnType<typeof Bun.serve>
  let proc: ReturnType<typeof Bun.spawn> | undefined

  beforeAll(() => {
    const enc = new TextEncoder()
    const chunk = (content: string) => enc.encode(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`)
    upstream = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      idleTimeout: 60,
      async fetch(req) {
        await req.text()
        active++
        peak = Math.max(peak, active)
        if (active >= STREAMS) release()
        return new Response(
          new ReadableStream({
            async start(c) {
              c.enqueue(chunk('held '))
              // every stream stays open until all of them have reached the upstream (or 20 s)
              await Promise.race([released, Bun.sleep(20_000)])
              c.enqueue(chunk('done'))
              c.enqueue(enc.encode('data: [DONE]\n\n'))
              c.close()
              active--
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        )
      },
    })
  })
  afterAll(() => {
    proc?.kill('SIGKILL')
    upstream.stop(true)
  })

  test(`${STREAMS} concurrent streams all reach the upstream at once through the binary started with env -i`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-conc-'))
    const port = freePort()
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({
        server: { host: '127.0.0.1', port },
        providers: { up: { dialect: 'openai-chat', base_url: `http://127.0.0.1:${upstream.port}/v1`, api_key: 'sk-test' } },
        models: { m: 'up/m' },
        usage: { store: 'none' },
        logging: { level: 'error' },
      }),
    )
    proc = Bun.spawn(['env', '-i', bin, 'serve', '--config', 'c.json'], { cwd: dir, stdout: 'ignore', stderr: 'pipe' })
    const url = `http://127.0.0.1:${port}`
    await waitHealthy(url, proc)
    const health = await (await fetch(`${url}/health`)).json()
    expect(health.status).toBe('ok')
    const body = JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    const results = await Promise.all(Array.from({ length: STREAMS }, () => rawRequest({ port, path: '/v1/chat/completions', body, timeoutMs: 30_000 })))
    expect(peak).toBe(STREAMS)
    expect(results.filter((r) => r.status === 200 && r.body.includes('done') && r.body.includes('[DONE]')).length).toBe(STREAMS)
  }, 60_000)
})
