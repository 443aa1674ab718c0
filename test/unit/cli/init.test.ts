import { describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runInit, starterConfig } from '../../../src/cli/init'
import { resolveConfig } from '../../../src/config/load'

const ROOT = join(import.meta.dir, '..', '..', '..')

describe('llm-proxy init', () => {
  test('providers whose key is set are on, the others commented out; the key itself is never written', () => {
    const env = { OPENAI_API_KEY: 'sk-init-SECRET-123456', GOOGLE_API_KEY: 'AIza-init-SECRET' }
    const { text, found } = starterConfig(env)
    expect(found).toEqual(['openai (OPENAI_API_KEY)', 'gemini (GOOGLE_API_KEY)'])
    expect(text).not.toContain('SECRET')
    expect(text).toContain('  openai: { dialect: openai-chat, api_key: "${OPENAI_API_KEY:-}" }   # found OPENAI_API_KEY')
    expect(text).toContain('  gemini: { dialect: gemini, api_key: "${GOOGLE_API_KEY:-}" }')
    expect(text).toContain('  # anthropic: { dialect: anthropic, api_key: "${ANTHROPIC_API_KEY:-}" }   # ANTHROPIC_API_KEY not set')
    const cfg = resolveConfig(parse(text), env)
    expect(cfg.providers.map((p) => p.name)).toEqual(['demo', 'openai', 'gemini'])
    expect(cfg.models.map((m) => m.pattern)).toContain('gpt-*')
    expect(cfg.models.map((m) => m.pattern)).not.toContain('claude-*')
    expect(cfg.providers.find((p) => p.name === 'openai')?.api_keys).toEqual(['sk-init-SECRET-123456'])
  })

  test('with no key at all the demo still makes a valid config', () => {
    const cfg = resolveConfig(parse(starterConfig({}).text), {})
    expect(cfg.providers.map((p) => p.name)).toEqual(['demo'])
  })

  test('writes the file (0600), refuses to overwrite without --force; the CLI runs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-init-'))
    const out = join(dir, 'config.yaml')
    const r = runInit({ ANTHROPIC_API_KEY: 'x' }, out, false)
    expect(r.message).toContain('providers from the environment: anthropic (ANTHROPIC_API_KEY)')
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(() => runInit({}, out, false)).toThrow('already exists; pass --force')
    runInit({}, out, true)
    expect(readFileSync(out, 'utf8')).toContain('# anthropic:')
    const cli = Bun.spawnSync([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), 'init', '--out', 'c.yaml'], { cwd: dir, env: { PATH: process.env.PATH ?? '', OPENAI_API_KEY: 'sk-cli' } })
    expect(cli.exitCode).toBe(0)
    expect(cli.stdout.toString()).toContain('wrote c.yaml: providers from the environment: openai (OPENAI_API_KEY)')
    const check = Bun.spawnSync([process.execPath, '--no-env-file', join(ROOT, 'src/main.ts'), 'check', '-c', 'c.yaml'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } })
    expect(check.exitCode).toBe(0)
  }, 30_000)
})
