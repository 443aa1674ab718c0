// `make release` output (deploy/release/build.ts release, which the Makefile runs): archive names
// and contents, this machine's binary runs `version`, SHA256SUMS verifies with sha256sum -c; the
// version agrees across the binary, package.json and the Homebrew formula; install.sh installs from
// a file:// and a loopback release folder and refuses a tampered checksum.
// Builds this machine's archive and the Windows .zip (~1 min); LLM_PROXY_TEST_ALL_TARGETS=1 builds
// every target the release workflow ships.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { hostTarget, TARGETS } from '../../deploy/release/build'

const ROOT = join(import.meta.dir, '..', '..')
const REL = join(ROOT, 'dist/release')
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string
const host = hostTarget()
const targets = process.env.LLM_PROXY_TEST_ALL_TARGETS === '1' ? [...TARGETS] : [host, 'windows-x64']
const archiveOf = (t: string) => `llm-proxy-${VERSION}-${t}.${t.startsWith('windows') ? 'zip' : 'tar.gz'}`
const sh = (cmd: string[], cwd = ROOT, env?: Record<string, string>) => {
  const r = Bun.spawnSync(cmd, { cwd, env: env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' } })
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() }
}

beforeAll(() => {
  const r = sh([process.execPath, 'deploy/release/build.ts', 'release', '--targets', targets.join(',')])
  if (r.code !== 0) throw new Error(`release build failed: ${r.err}`)
}, 240_000)

describe('make release', () => {
  test('the Makefile target runs the release build', () => {
    expect(readFileSync(join(ROOT, 'Makefile'), 'utf8')).toMatch(/^release: deps\n\tbun deploy\/release\/build\.ts release/m)
  })

  test('one archive per target and SHA256SUMS, named llm-proxy-<version>-<os>-<arch>', () => {
    expect(readdirSync(REL).sort()).toEqual([...targets.map(archiveOf), 'SHA256SUMS'].sort())
    const sums = readFileSync(join(REL, 'SHA256SUMS'), 'utf8').trim().split('\n')
    expect(sums.map((l) => l.split(/\s+/)[1]).sort()).toEqual(targets.map(archiveOf).sort())
    for (const l of sums) expect(l).toMatch(/^[0-9a-f]{64} {2}llm-proxy-/)
  })

  test('each archive holds the binary, README.md, LICENSE and config.example.yaml', () => {
    for (const t of targets) {
      const a = join(REL, archiveOf(t))
      const list = t.startsWith('windows') ? sh(['unzip', '-Z1', a]).out : sh(['tar', '-tzf', a]).out
      expect(list.trim().split('\n').sort()).toEqual([t.startsWith('windows') ? 'llm-proxy.exe' : 'llm-proxy', 'README.md', 'LICENSE', 'config.example.yaml'].sort())
    }
  })

  test("this machine's binary runs `version`, and it agrees with package.json and the Homebrew formula", () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-rel-'))
    expect(sh(['tar', '-xzf', join(REL, archiveOf(host)), '-C', dir]).code).toBe(0)
    const v = sh([join(dir, 'llm-proxy'), 'version'])
    expect(v.code).toBe(0)
    expect(v.out).toStartWith(`llm-proxy ${VERSION} (bun `)
    // the formula rendered as the release workflow does, from a SHA256SUMS with the four brew targets
    const sums = join(dir, 'SHA256SUMS')
    writeFileSync(sums, ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64'].map((t, i) => `${String(i).repeat(64)}  ${archiveOf(t)}`).join('\n') + '\n')
    const out = join(dir, 'llm-proxy.rb')
    const r = sh(['bash', 'deploy/homebrew/update-formula.sh', '', out], ROOT, { PATH: process.env.PATH ?? '', SUMS: sums })
    expect(r.err).toBe('')
    const formula = readFileSync(out, 'utf8')
    expect(formula).toContain(`version "${VERSION}"`)
    expect(formula).toContain(`url "https://github.com/llm-proxy/llm-proxy/releases/download/v${VERSION}/llm-proxy-${VERSION}-darwin-arm64.tar.gz"`)
    expect(formula).toContain(`sha256 "${'0'.repeat(64)}"`)
    expect(formula).toContain('license "MIT"')
    expect(formula).toContain('livecheck do')
  })

  test('SHA256SUMS verifies with sha256sum -c inside dist/release', () => {
    const r = sh(['sha256sum', '-c', 'SHA256SUMS'], REL)
    expect(r.code).toBe(0)
    expect(r.out.trim().split('\n').every((l) => l.endsWith(': OK'))).toBe(true)
  })
})

describe('install.sh', () => {
  let server: ReturnType<typeof Bun.serve>
  beforeAll(() => {
    server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => new Response(Bun.file(join(REL, new URL(req.url).pathname.slice(1)))) })
  })
  afterAll(() => server.stop(true))
  // async: the loopback server answers from this process, which spawnSync would block
  const install = async (baseUrl: string, prefix: string) => {
    const p = Bun.spawn(['sh', join(ROOT, 'install.sh'), '--version', VERSION, '--base-url', baseUrl, '--prefix', prefix], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, stdout: 'pipe', stderr: 'pipe' })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    return { code, out, err }
  }

  test('from a file:// and a loopback release folder: verified, installed, runs', async () => {
    for (const base of [`file://${REL}`, `http://127.0.0.1:${server.port}`]) {
      const prefix = mkdtempSync(join(tmpdir(), 'llm-proxy-prefix-'))
      const r = await install(base, prefix)
      expect(r.err).toBe('')
      expect(r.code).toBe(0)
      expect(r.out).toContain(`installed llm-proxy ${VERSION}`)
      expect(sh([join(prefix, 'bin/llm-proxy'), 'version']).out).toStartWith(`llm-proxy ${VERSION}`)
      expect(readdirSync(join(prefix, 'share/llm-proxy')).sort()).toEqual(['LICENSE', 'README.md', 'config.example.yaml'])
    }
  }, 60_000)

  test('a checksum that does not match is refused and nothing is installed', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'llm-proxy-bad-'))
    cpSync(join(REL, archiveOf(host)), join(bad, archiveOf(host)))
    writeFileSync(join(bad, 'SHA256SUMS'), `${'f'.repeat(64)}  ${archiveOf(host)}\n`)
    const prefix = mkdtempSync(join(tmpdir(), 'llm-proxy-prefix-'))
    const r = await install(`file://${bad}`, prefix)
    expect(r.code).not.toBe(0)
    expect(r.err).toContain(`checksum mismatch for ${archiveOf(host)}`)
    expect(readdirSync(prefix)).toEqual([])
  })
})
