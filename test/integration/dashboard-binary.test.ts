// The dashboard in the compiled binary, run from a directory without the sources: its page,
// script and style are inside the binary, and the usage series run on their worker thread (built
// in as a second entrypoint) rather than falling back to the main thread.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compiledBinary, freePort, waitHealthy } from '../helpers/compiled-binary'

const ADMIN = 'binary-admin-key-0123456789'
let proc: ReturnType<typeof Bun.spawn> | undefined
let url = ''
let output: Promise<string>

beforeAll(async () => {
  const bin = await compiledBinary()
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-dash-bin-'))
  const port = freePort()
  writeFileSync(
    join(dir, 'c.yaml'),
    `server: { port: ${port} }\nusage: { store: "sqlite:./ledger.db" }\nproviders: { demo: { dialect: echo } }\nmodels: { "*": demo/echo }\nadmin: { keys: [ { key: "${ADMIN}", name: root } ] }\n`,
  )
  proc = Bun.spawn([bin, 'serve', '--config', 'c.yaml', '--env', ''], { cwd: dir, stdout: 'pipe', stderr: 'pipe', env: { PATH: '/usr/bin:/bin', LLM_PROXY_LOG_LEVEL: 'info' } })
  output = Promise.all([new Response(proc.stdout as ReadableStream).text(), new Response(proc.stderr as ReadableStream).text()]).then((t) => t.join('\n'))
  url = `http://127.0.0.1:${port}`
  await waitHealthy(url, proc)
}, 120_000)

afterAll(() => proc?.kill())

test('the compiled binary serves /ui and answers the overview from its worker', async () => {
  const page = await fetch(`${url}/ui`)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<script type="module" src="/ui/app.js">')
  const js = await (await fetch(`${url}/ui/app.js`)).text()
  expect(js).toContain('/admin/login')
  expect(js).not.toContain(': string') // bundled for the browser: no TypeScript left
  expect((await fetch(`${url}/ui/style.css`)).headers.get('content-type')).toStartWith('text/css')

  const chat = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'echo-1', messages: [{ role: 'user', content: 'hi' }] }) })
  expect(chat.status).toBe(200)
  await Bun.sleep(1200) // the ledger's batch interval
  const o = await (await fetch(`${url}/admin/overview?range=hour`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()
  expect(o.points.reduce((n: number, p: { requests: number }) => n + p.requests, 0)).toBe(1)
  proc!.kill()
  await proc!.exited
  const log = await output
  expect(log).toContain('llm-proxy listening')
  expect(log).not.toContain('usage series worker')
  expect(log).not.toContain(ADMIN)
}, 30_000)
