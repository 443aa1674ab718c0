// serve on a terminal (a pseudo-terminal from util-linux `script`): the banner and readable lines;
// through a pipe: JSON lines only.
import { expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../helpers/compiled-binary'

const ROOT = join(import.meta.dir, '..', '..')

test('a terminal gets the banner and pretty log lines; a pipe gets JSON lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-tty-'))
  let port = 0
  const serveCmd = () => {
    port = freePort()
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ server: { port }, usage: { store: 'none' }, providers: { demo: { dialect: 'echo' } }, models: { echo: 'demo/echo' } }))
    return `${process.execPath} --no-env-file ${join(ROOT, 'src/main.ts')} serve -c c.json`
  }
  const runFor = async (cmd: string[], kill = true) => {
    const p = Bun.spawn(cmd, { cwd: dir, env: { PATH: process.env.PATH ?? '', TERM: 'dumb' }, stdout: 'pipe', stderr: 'pipe', stdin: 'ignore' })
    for (let i = 0; i < 300 && !(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)); i++) await Bun.sleep(20)
    await Bun.sleep(100)
    if (kill) p.kill('SIGTERM')
    const out = await new Response(p.stdout).text()
    await p.exited
    return out
  }
  if (Bun.which('script')) {
    // timeout ends the proxy itself: a SIGTERM to script would leave it running (it gets SIGHUP,
    // which reloads)
    const tty = await runFor(['script', '-qfec', `timeout -s TERM 4 ${serveCmd()}`, '/dev/null'], false)
    expect(tty).toContain(`llm-proxy 0.1.0 listening on http://127.0.0.1:${port}`)
    expect(tty).toContain(`curl http://127.0.0.1:${port}/v1/chat/completions`)
    expect(tty).toMatch(/Z INFO {2}llm-proxy listening /)
  } else console.warn('skipped the terminal half: util-linux script is not installed')
  const piped = await runFor(serveCmd().split(' '))
  expect(piped).toContain('"msg":"llm-proxy listening"')
  expect(piped).not.toContain('curl ')
  for (const line of piped.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow()
}, 30_000)
