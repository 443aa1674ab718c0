// The compiled binary, built once per test process with the release build script (the flags the
// Makefile, Dockerfile and release workflow use), for tests that run llm-proxy as users do.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBinary } from '../../deploy/release/build'

let built: Promise<string> | undefined

export function compiledBinary(): Promise<string> {
  built ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'llm-proxy-bin-')), 'llm-proxy')
    await buildBinary(out)
    return out
  })()
  return built
}

export function freePort(): number {
  const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
  const port = s.port!
  s.stop(true)
  return port
}

/** Polls /healthz until it answers 200 or the process exits. */
export async function waitHealthy(url: string, proc: { exitCode: number | null }, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`llm-proxy exited with ${proc.exitCode} before it was ready`)
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return
    await Bun.sleep(20)
  }
  throw new Error(`llm-proxy did not answer ${url}/healthz within ${timeoutMs} ms`)
}
