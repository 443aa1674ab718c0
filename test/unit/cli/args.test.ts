import { describe, expect, test } from 'bun:test'
import { HELP_TEXT, parseArgs, UsageError } from '../../../src/cli/args'

const usageError = (argv: string[]): string => {
  try {
    parseArgs(argv)
  } catch (err) {
    if (err instanceof UsageError) return err.message
    throw err
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`)
}

describe('commands', () => {
  test('serve is the default', () => {
    expect(parseArgs([])).toEqual({ command: 'serve', flags: {} })
    expect(parseArgs(['--port', '9000'])).toEqual({ command: 'serve', flags: { port: 9000 } })
    expect(parseArgs(['serve', '--config', 'c.yaml'])).toEqual({ command: 'serve', flags: { config: 'c.yaml' } })
  })

  test('check, usage, version, help', () => {
    expect(parseArgs(['check', '--config', 'c.yaml', '--resolve', 'fast'])).toEqual({
      command: 'check',
      flags: { config: 'c.yaml', resolve: 'fast' },
    })
    expect(parseArgs(['usage', '--config=c.yaml', '--since', '7d', '--by', 'group'])).toEqual({
      command: 'usage',
      flags: { config: 'c.yaml', since: 7 * 86_400_000, by: 'group' },
    })
    expect(parseArgs(['version']).command).toBe('version')
    expect(parseArgs(['--version']).command).toBe('version')
    for (const argv of [['help'], ['--help'], ['-h'], ['serve', '--port', '1', '-h'], ['check', '--bogus', '--help']])
      expect(parseArgs(argv)).toEqual({ command: 'help', flags: {} })
  })

  test('unknown commands and stray arguments', () => {
    expect(usageError(['serv'])).toBe('unknown command "serv" (did you mean "serve"?); see llm-proxy --help')
    expect(usageError(['frobnicate'])).toBe('unknown command "frobnicate"; see llm-proxy --help')
    expect(usageError(['serve', 'extra'])).toBe('unexpected argument "extra"; see llm-proxy --help')
    expect(usageError(['-p', '80'])).toBe('unexpected argument "-p"; see llm-proxy --help')
  })
})

describe('flags', () => {
  test('every serve flag, both spellings', () => {
    expect(
      parseArgs([
        '--config=c.toml',
        '--env',
        '',
        '--host',
        '0.0.0.0',
        '--port=8081',
        '--mode',
        'alias_only',
        '--default-model=fast',
        '--allow-model',
        'gpt-*',
        '--allow-model=claude-*',
        '--routes',
        "{fast: 'openai/gpt-4o-mini'}",
        '--routes={smart: {targets: ["a/b"]}}',
        '--hide-aliases',
        '--log-level',
        'warn',
      ]),
    ).toEqual({
      command: 'serve',
      flags: {
        config: 'c.toml',
        env: '',
        host: '0.0.0.0',
        port: 8081,
        mode: 'alias_only',
        defaultModel: 'fast',
        allowModels: ['gpt-*', 'claude-*'],
        routes: { fast: 'openai/gpt-4o-mini', smart: { targets: ['a/b'] } },
        exposeAliases: false,
        logLevel: 'warn',
      },
    })
  })

  test('the last of --expose-aliases / --hide-aliases wins', () => {
    expect(parseArgs(['--hide-aliases', '--expose-aliases']).flags.exposeAliases).toBe(true)
  })

  test('--env= with an empty value disables .env', () => {
    expect(parseArgs(['--env=']).flags).toEqual({ env: '' })
  })

  test('bad values', () => {
    expect(usageError(['--port', '0'])).toBe('--port must be a port number 1-65535 (got "0")')
    expect(usageError(['--port=65536'])).toBe('--port must be a port number 1-65535 (got "65536")')
    expect(usageError(['--port', 'http'])).toBe('--port must be a port number 1-65535 (got "http")')
    expect(usageError(['--mode', 'force-default'])).toBe(
      '--mode must be one of allow_user_pick | force_default | alias_only (got "force-default"); did you mean "force_default"?',
    )
    expect(usageError(['--log-level', 'trace'])).toBe('--log-level must be one of debug | info | warn | error (got "trace")')
    expect(usageError(['usage', '--since', 'a week'])).toBe('--since must be a duration like 24h, 7d or 30m (got "a week")')
    expect(usageError(['usage', '--since', '0d'])).toBe('--since must be a duration like 24h, 7d or 30m (got "0d")')
    expect(usageError(['usage', '--by', 'user'])).toBe('--by must be one of key | group | model | provider | day (got "user")')
    expect(usageError(['--config', ''])).toBe('--config needs a non-empty value')
    expect(usageError(['--allow-model='])).toBe('--allow-model needs a non-empty value')
  })

  test('--routes must be a JSON5 mapping', () => {
    expect(usageError(['--routes', '{fast: '])).toStartWith('--routes is not valid JSON5: invalid end of input')
    expect(usageError(['--routes', '["a"]'])).toBe(
      `--routes must be a mapping of model names to targets, e.g. '{fast: "openai/gpt-4o-mini"}'`,
    )
  })

  test('missing values, values on switches, unknown flags', () => {
    expect(usageError(['--host'])).toBe('--host needs a value')
    expect(usageError(['--host', '--port', '1'])).toBe('--host needs a value')
    expect(usageError(['--hide-aliases=yes'])).toBe('--hide-aliases takes no value')
    expect(usageError(['--prot', '1'])).toBe('unknown flag --prot (did you mean --port?); see llm-proxy --help')
    expect(usageError(['--frobnicate'])).toBe('unknown flag --frobnicate; see llm-proxy --help')
  })

  test('flags belong to their commands', () => {
    expect(usageError(['--since', '7d'])).toBe('--since is not a flag of "serve"; see llm-proxy --help')
    expect(usageError(['usage', '--port', '1'])).toBe('--port is not a flag of "usage"; see llm-proxy --help')
    expect(usageError(['serve', '--resolve', 'x'])).toBe('--resolve is not a flag of "serve"; see llm-proxy --help')
    expect(usageError(['version', '--config', 'c.yaml'])).toBe('--config is not a flag of "version"; see llm-proxy --help')
    expect(parseArgs(['check', '--port', '1', '--routes', '{a: "b/c"}']).flags).toEqual({ port: 1, routes: { a: 'b/c' } })
  })
})

describe('HELP_TEXT', () => {
  test('mentions every command and flag', () => {
    for (const word of ['serve', 'check', 'usage', 'version', '--config', '--env', '--host', '--port', '--mode', '--default-model',
      '--allow-model', '--routes', '--expose-aliases', '--hide-aliases', '--log-level', '--resolve', '--since', '--by'])
      expect(HELP_TEXT).toContain(word)
  })
})
