import { describe, expect, test } from 'bun:test'
import { parseArgs, UsageError } from '../../../src/cli/args'
import { listenFailure } from '../../../src/cli/exit-codes'
import { probeUrl } from '../../../src/cli/healthcheck'
import { isLoopback, publicListenProblem, publicListenWarning } from '../../../src/cli/public-listen'
import { commandOf, needsHigherLimit, selfArgv } from '../../../src/cli/upstream-concurrency'
import { resolveConfig } from '../../../src/config/load'

const demo = { providers: { demo: { dialect: 'echo' } }, models: { echo: 'demo/echo' } }
const problems = (raw: unknown, env: Record<string, string> = {}): string[] => {
  try {
    resolveConfig(raw, env)
    return []
  } catch (err) {
    return (err as { problems: string[] }).problems
  }
}

describe('short flags and new commands', () => {
  test('-c is --config, -v is --version', () => {
    expect(parseArgs(['check', '-c', 'x.yaml'])).toEqual({ command: 'check', flags: { config: 'x.yaml' } })
    expect(parseArgs(['-c', 'x.yaml', '--port', '9'])).toEqual({ command: 'serve', flags: { config: 'x.yaml', port: 9 } })
    expect(parseArgs(['-v']).command).toBe('version')
  })
  test('usage --format, --allow-public, init, healthcheck, and claude/codex with the tool arguments after --', () => {
    expect(parseArgs(['usage', '--format', 'csv']).flags.format).toBe('csv')
    expect(() => parseArgs(['usage', '--format', 'xml'])).toThrow('--format must be one of table | json | csv')
    expect(parseArgs(['serve', '--allow-public']).flags.allowPublic).toBe(true)
    expect(parseArgs(['init', '--out', '-', '--force']).flags).toEqual({ out: '-', force: true })
    expect(parseArgs(['healthcheck', '-c', 'c.yaml', '--port', '80']).flags).toEqual({ config: 'c.yaml', port: 80 })
    expect(parseArgs(['claude', '--model', 'gpt-5', '--', '-p', 'hi', '--help'])).toEqual({ command: 'claude', flags: { model: 'gpt-5', toolArgs: ['-p', 'hi', '--help'] } })
    expect(() => parseArgs(['serve', '--', 'x'])).toThrow(UsageError)
    expect(() => parseArgs(['usage', '--allow-public'])).toThrow('--allow-public is not a flag of "usage"')
  })
})

describe('public listener without client auth', () => {
  test('loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(h)).toBe(true)
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com', '127.0.0.1.nip.io']) expect(isLoopback(h)).toBe(false)
  })
  test('refused unless auth, auth: { mode: none, allow_public: true } or --allow-public', () => {
    const open = resolveConfig({ ...demo, server: { host: '0.0.0.0' } }, {})
    expect(publicListenProblem(open)).toContain('auth: { mode: none, allow_public: true } (or --allow-public)')
    const allowed = resolveConfig({ ...demo, server: { host: '0.0.0.0' }, auth: { mode: 'none', allow_public: true } }, {})
    expect(allowed.auth).toBeUndefined()
    expect(allowed.allow_public).toBe(true)
    expect(publicListenProblem(allowed)).toBeUndefined()
    expect(publicListenWarning(allowed)).toContain('no client auth')
    expect(publicListenProblem(resolveConfig({ ...demo, server: { host: '0.0.0.0' } }, {}, { allowPublic: true }))).toBeUndefined()
    const keyed = resolveConfig({ ...demo, server: { host: '0.0.0.0' } }, { LLM_PROXY_API_KEY: 'pk-12345678' })
    expect(publicListenProblem(keyed)).toBeUndefined()
    expect(publicListenWarning(keyed)).toBeUndefined()
    expect(publicListenWarning(resolveConfig(demo, {}))).toBeUndefined()
  })
  test('auth.mode none takes no keys; allow_public only goes with mode none', () => {
    expect(problems({ ...demo, auth: { mode: 'none', keys: [{ key: 'pk-12345678' }] } })).toEqual(['auth.mode: none cannot be combined with keys, groups or check (remove them, or the mode)'])
    expect(problems({ ...demo, auth: { allow_public: true, keys: [{ key: 'pk-12345678' }] } })[0]).toStartWith('auth.allow_public: only applies with auth.mode none')
    expect(resolveConfig({ ...demo, auth: { mode: 'keys', keys: [{ key: 'pk-12345678' }] } }, {}).auth?.keys).toHaveLength(1)
    expect(resolveConfig({ ...demo, auth: { mode: 'none' } }, {}).auth).toBeUndefined()
  })
})

describe('exit codes, healthcheck URL, re-exec', () => {
  test('a port in use is exit 3 with one line', () => {
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), '127.0.0.1', 80)).toEqual({
      code: 3,
      message: 'cannot listen on 127.0.0.1:80: the port is already in use (another llm-proxy?); choose another with --port or server.port',
    })
    expect(listenFailure(new Error('other'), 'h', 1)).toBeUndefined()
  })
  test('a wildcard listener is probed through loopback', () => {
    expect(probeUrl({ host: '0.0.0.0', port: 8080 })).toBe('http://127.0.0.1:8080/healthz')
    expect(probeUrl({ host: '::', port: 1 })).toBe('http://[::1]:1/healthz')
    expect(probeUrl({ host: '10.1.2.3', port: 2 })).toBe('http://10.1.2.3:2/healthz')
  })
  test('re-exec only to serve, only when the operator did not set the limit; same argv', () => {
    expect(needsHigherLimit('serve', {})).toBe(true)
    expect(needsHigherLimit('claude', {})).toBe(true)
    expect(needsHigherLimit('serve', { BUN_CONFIG_MAX_HTTP_REQUESTS: '100' })).toBe(false)
    expect(needsHigherLimit('check', {})).toBe(false)
    expect(['serve', 'serve', 'check', 'help', 'help', 'claude'].map((c, i) => c === commandOf([['-c', 'x'], ['serve'], ['check', '-c', 'x'], ['serve', '--help'], ['-v'], ['claude', '--', '--help']][i]!))).toEqual([true, true, true, true, true, true])
    expect(selfArgv({ execPath: '/usr/local/bin/llm-proxy', execArgv: [], argv: ['bun', '/$bunfs/root/llm-proxy', 'serve', '-c', 'x'] })).toEqual(['/usr/local/bin/llm-proxy', 'serve', '-c', 'x'])
    expect(selfArgv({ execPath: '/usr/bin/bun', execArgv: ['--no-env-file'], argv: ['/usr/bin/bun', '/src/main.ts', 'serve'] })).toEqual(['/usr/bin/bun', '--no-env-file', '/src/main.ts', 'serve'])
  })
})
