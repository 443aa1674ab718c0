import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliFlags } from '../../../src/cli/args'
import { ConfigError, loadConfig } from '../../../src/config/load'

const root = mkdtempSync(join(tmpdir(), 'llm-proxy-config-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

let n = 0
/** A fresh directory holding the given files. */
function dir(files: Record<string, string>): string {
  const d = join(root, String(n++))
  mkdirSync(d)
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text)
  return d
}

async function problemsOf(flags: CliFlags, cwd: string, env: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadConfig({ flags, env, cwd })
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

const YAML_CONFIG = `
server:
  port: 9001
providers:
  demo: { dialect: echo }
  openai:
    dialect: openai-chat
    api_key: \${OPENAI_API_KEY}
models:
  echo: demo/echo
  "gpt-*": openai/*
`
const JSON5_CONFIG = `// comment
{ server: { port: 9001 }, providers: { demo: { dialect: 'echo' }, openai: { dialect: 'openai-chat', api_key: '\${OPENAI_API_KEY}' } },
  models: { echo: 'demo/echo', 'gpt-*': 'openai/*', }, }`
const JSON_CONFIG = JSON.stringify({
  server: { port: 9001 },
  providers: { demo: { dialect: 'echo' }, openai: { dialect: 'openai-chat', api_key: '${OPENAI_API_KEY}' } },
  models: { echo: 'demo/echo', 'gpt-*': 'openai/*' },
})
const TOML_CONFIG = `
[server]
port = 9001
[providers.demo]
dialect = "echo"
[providers.openai]
dialect = "openai-chat"
api_key = "\${OPENAI_API_KEY}"
[models]
echo = "demo/echo"
"gpt-*" = "openai/*"
`

describe('formats', () => {
  for (const [file, text] of [
    ['c.yaml', YAML_CONFIG],
    ['c.yml', YAML_CONFIG],
    ['c.json5', JSON5_CONFIG],
    ['c.json', JSON_CONFIG],
    ['c.toml', TOML_CONFIG],
  ]) {
    test(`${file} loads to the same config`, async () => {
      const cwd = dir({ [file]: text })
      const c = await loadConfig({ flags: { config: file, env: '' }, env: { OPENAI_API_KEY: 'sk-x' }, cwd })
      expect(c.server.port).toBe(9001)
      expect(c.providers.map((p) => [p.name, p.api_keys])).toEqual([
        ['demo', []],
        ['openai', ['sk-x']],
      ])
      expect(c.models.map((m) => m.pattern)).toEqual(['echo', 'gpt-*'])
      expect(c.source).toBe(join(cwd, file))
      expect(c.zero_config).toBe(false)
    })
  }

  test('parse errors carry the line number', async () => {
    const cwd = dir({
      'bad.yaml': 'server:\n  port: 1\n port: 2\n',
      'bad.json5': '{\n  server: {\n    port: ,\n  },\n}',
      'bad.toml': 'a = 1\n\n[server]\nport = = 2\n',
      'dup.toml': '[server]\nport = 1\nport = 2\n',
    })
    const [yaml] = await problemsOf({ config: 'bad.yaml', env: '' }, cwd)
    expect(yaml).toStartWith('bad.yaml:3:')
    expect(await problemsOf({ config: 'bad.json5', env: '' }, cwd)).toEqual(["bad.json5:3:11: invalid character ','"])
    expect(await problemsOf({ config: 'bad.toml', env: '' }, cwd)).toEqual(["bad.toml:4: Expected a value but found '='"])
    expect(await problemsOf({ config: 'dup.toml', env: '' }, cwd)).toEqual(["dup.toml:3: Cannot redefine key 'port'"])
  })

  test('duplicate YAML keys are an error', async () => {
    const cwd = dir({ 'dup.yaml': 'server:\n  port: 1\n  port: 2\n' })
    const problems = await problemsOf({ config: 'dup.yaml', env: '' }, cwd)
    expect(problems[0]).toStartWith('dup.yaml:3:')
    expect(problems[0]).toContain('unique')
  })

  test('an empty YAML file is all defaults', async () => {
    const c = await loadConfig({ flags: { config: 'e.yaml', env: '' }, env: {}, cwd: dir({ 'e.yaml': '# nothing\n' }) })
    expect(c.server.port).toBe(8080)
    expect(c.zero_config).toBe(false)
  })

  test('missing file and unknown extension', async () => {
    const cwd = dir({ 'c.ini': 'x=1' })
    expect(await problemsOf({ config: 'nope.yaml', env: '' }, cwd)).toEqual([
      `nope.yaml: config file not found (resolved to ${join(cwd, 'nope.yaml')})`,
    ])
    expect(await problemsOf({ config: 'c.ini', env: '' }, cwd)).toEqual([
      'c.ini: unknown config format ".ini" (use .yaml, .yml, .json, .json5, .toml)',
    ])
  })

  test('validation problems come through with their paths', async () => {
    const cwd = dir({ 'c.yaml': 'server:\n  prot: 1\nproviders:\n  openai: { dialect: openai-chat, api_key: "${OPENAI_API_KEY}" }\n' })
    expect(await problemsOf({ config: 'c.yaml', env: '' }, cwd)).toEqual([
      'providers.openai.api_key: environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-} to make it optional)',
      'server.prot: unknown key (did you mean "port"?)',
    ])
  })
})

describe('finding the file', () => {
  test('--config beats LLM_PROXY_CONFIG; absolute paths work', async () => {
    const cwd = dir({ 'a.yaml': 'server: { port: 1111 }', 'b.yaml': 'server: { port: 2222 }' })
    const env = { LLM_PROXY_CONFIG: 'b.yaml' }
    expect((await loadConfig({ flags: { env: '' }, env, cwd })).server.port).toBe(2222)
    expect((await loadConfig({ flags: { config: 'a.yaml', env: '' }, env, cwd })).server.port).toBe(1111)
    expect((await loadConfig({ flags: { config: join(cwd, 'a.yaml'), env: '' }, env: {}, cwd: root })).server.port).toBe(1111)
  })

  test('no file at all is zero-config', async () => {
    const c = await loadConfig({ flags: { env: '' }, env: { ANTHROPIC_API_KEY: 'sk-a' }, cwd: dir({}) })
    expect(c.zero_config).toBe(true)
    expect(c.source).toBeUndefined()
    expect(c.providers.map((p) => p.name)).toEqual(['anthropic'])
  })
})

describe('.env', () => {
  const config = 'providers:\n  openai: { dialect: openai-chat, api_key: "${OPENAI_API_KEY}" }\n'

  test('loaded from the working directory; the real environment wins', async () => {
    const cwd = dir({ 'c.yaml': config, '.env': 'OPENAI_API_KEY=from-dotenv\nLLM_PROXY_PORT=7001\n' })
    const c = await loadConfig({ flags: { config: 'c.yaml' }, env: {}, cwd })
    expect(c.providers[0].api_keys).toEqual(['from-dotenv'])
    expect(c.server.port).toBe(7001)
    const real = await loadConfig({ flags: { config: 'c.yaml' }, env: { OPENAI_API_KEY: 'real' }, cwd })
    expect(real.providers[0].api_keys).toEqual(['real'])
  })

  test('--env PATH loads that file instead', async () => {
    const cwd = dir({ 'c.yaml': config, '.env': 'OPENAI_API_KEY=default-file\n', 'prod.env': 'OPENAI_API_KEY=prod-file\n' })
    const c = await loadConfig({ flags: { config: 'c.yaml', env: 'prod.env' }, env: {}, cwd })
    expect(c.providers[0].api_keys).toEqual(['prod-file'])
  })

  test('--env "" disables .env loading', async () => {
    const cwd = dir({ 'c.yaml': config, '.env': 'OPENAI_API_KEY=from-dotenv\n' })
    expect(await problemsOf({ config: 'c.yaml', env: '' }, cwd)).toEqual([
      'providers.openai.api_key: environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-} to make it optional)',
    ])
  })

  test('a missing --env file and a malformed .env are errors; a missing ./.env is not', async () => {
    const cwd = dir({ 'c.yaml': 'server: {}' })
    expect(await problemsOf({ config: 'c.yaml', env: 'nope.env' }, cwd)).toEqual([
      `nope.env: .env file not found (resolved to ${join(cwd, 'nope.env')})`,
    ])
    expect((await loadConfig({ flags: { config: 'c.yaml' }, env: {}, cwd })).server.port).toBe(8080)
    const bad = dir({ 'c.yaml': 'server: {}', '.env': 'A=1\nthis is wrong\n' })
    expect(await problemsOf({ config: 'c.yaml' }, bad)).toEqual(['.env: line 2: expected KEY=VALUE (got "this is wrong")'])
  })

  test('.env can name the config file and zero-config keys', async () => {
    const cwd = dir({ 'c.yaml': 'server: { port: 4444 }', '.env': 'LLM_PROXY_CONFIG=c.yaml\n' })
    expect((await loadConfig({ flags: {}, env: {}, cwd })).server.port).toBe(4444)
    const zero = dir({ '.env': 'OPENAI_API_KEY=sk-dot\n' })
    expect((await loadConfig({ flags: {}, env: {}, cwd: zero })).providers[0].api_keys).toEqual(['sk-dot'])
  })
})

describe('precedence: file < env < flags', () => {
  test('port and log level', async () => {
    const cwd = dir({ 'c.yaml': 'server: { port: 1000 }\nlogging: { level: warn }\n' })
    const env = { LLM_PROXY_PORT: '2000', LLM_PROXY_LOG_LEVEL: 'error' }
    const fromEnv = await loadConfig({ flags: { config: 'c.yaml', env: '' }, env, cwd })
    expect([fromEnv.server.port, fromEnv.logging.level]).toEqual([2000, 'error'])
    const fromFlags = await loadConfig({ flags: { config: 'c.yaml', env: '', port: 3000, logLevel: 'debug' }, env, cwd })
    expect([fromFlags.server.port, fromFlags.logging.level]).toEqual([3000, 'debug'])
  })
})

describe('example configs', () => {
  const examples = join(import.meta.dir, '../../../config')
  const files = readdirSync(examples).filter((f) => /\.(ya?ml|json5?|toml)$/.test(f))

  test('there is one example per format', () => {
    expect(files.map((f) => f.slice(f.lastIndexOf('.'))).sort()).toEqual(['.json5', '.toml', '.yaml'])
  })

  for (const file of files) {
    test(`${file} validates with no environment variable set`, async () => {
      const c = await loadConfig({ flags: { config: file, env: '' }, env: {}, cwd: examples })
      expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080 })
      expect(c.usage.store).toBe('sqlite:./llm-proxy.db')
      expect(c.providers.find((p) => p.name === 'demo')?.dialect).toBe('echo')
      expect(c.models.find((m) => m.pattern === 'echo')?.targets[0].model).toBe('demo/echo')
      expect(c.models.find((m) => m.pattern === 'echo-*')?.targets[0].model).toBe('demo/*')
      expect(c.auth).toBeUndefined()
    })
  }

  test('the YAML example picks up keys when they are set', async () => {
    const c = await loadConfig({ flags: { config: 'config.example.yaml', env: '' }, env: { OPENAI_API_KEY: 'sk-1' }, cwd: examples })
    expect(c.providers.find((p) => p.name === 'openai')?.api_keys).toEqual(['sk-1'])
  })
})
