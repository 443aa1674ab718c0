// The CLI (loaded by src/main.ts): `llm-proxy [serve] [--config PATH] [flags]`, `check`, `usage`,
// `init`, `healthcheck`, `claude`, `codex`, `version`, `--help`.
// Commands other than serve load their modules when run (import, doctor, keys, usage, init,
// check, claude/codex): `serve` does not evaluate them at start-up.
import { HELP_TEXT, parseArgs, UsageError, type CliFlags, type Command } from './args'
import { NoKeyStore } from '../keys/key-store'
import { EXIT, listenFailure } from './exit-codes'
import { withTerminalDefaults } from './terminal'
import { publicListenProblem } from './public-listen'
import { ConfigError, loadConfig } from '../config/load'
import { UsageStoreError } from '../observe/usage-store'
import type { Config } from '../config/types'
import { serve } from '../serve'
import { VERSION } from '../version'

const fail = (message: string, code: number): number => {
  process.stderr.write(`llm-proxy: ${message}\n`)
  return code
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keys') return keysMain(argv.slice(1))
  // import and doctor take their own arguments (files, --env without a value)
  if (argv[0] === 'import' && !argv.includes('--help') && !argv.includes('-h')) {
    const { runImport } = await import('./import/run')
    const r = await runImport(argv.slice(1), process.env, process.cwd())
    process.stdout.write(r.stdout)
    process.stderr.write(r.stderr)
    return r.code
  }
  let command: Command
  let flags: CliFlags
  try {
    ;({ command, flags } = parseArgs(argv))
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`llm-proxy: ${err.message}\nRun 'llm-proxy --help' for usage.\n`)
      return EXIT.usage
    }
    throw err
  }
  if (command === 'help') {
    process.stdout.write(HELP_TEXT + '\n')
    return EXIT.ok
  }
  if (command === 'version') {
    process.stdout.write(`llm-proxy ${VERSION} (bun ${Bun.version})\n`)
    return EXIT.ok
  }
  if (command === 'init') {
    try {
      const { runInit } = await import('./init')
      const r = runInit(process.env, flags.out ?? 'config.yaml', flags.force === true)
      process.stdout.write(r.output || r.message)
      return EXIT.ok
    } catch (err) {
      return fail((err as Error).message, EXIT.failure)
    }
  }
  // serve on a terminal: readable log lines unless logging.format says otherwise (reloads too)
  const tty = command === 'serve' && process.stdout.isTTY === true
  const load = async () => withTerminalDefaults(await loadConfig({ flags, env: process.env, cwd: process.cwd() }), tty)
  let config: Config
  try {
    config = await load()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`llm-proxy: invalid configuration${flags.config ? ` in ${flags.config}` : ''}:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return EXIT.usage
    }
    throw err
  }
  if (command === 'check') {
    const { runCheck } = await import('./check')
    process.stdout.write(runCheck(config, flags))
    const refused = publicListenProblem(config)
    return refused ? fail(refused, EXIT.usage) : EXIT.ok
  }
  if (command === 'doctor') {
    const { doctor, renderDoctor } = await import('./doctor/run')
    const report = await doctor(config, { live: flags.live, json: flags.json })
    process.stdout.write(renderDoctor(report, flags.json ?? false))
    return report.ok ? EXIT.ok : EXIT.failure
  }
  if (command === 'healthcheck') {
    const { runHealthcheck } = await import('./healthcheck')
    const r = await runHealthcheck(config)
    ;(r.ok ? process.stdout : process.stderr).write(`llm-proxy healthcheck: ${r.message}\n`)
    return r.ok ? EXIT.ok : EXIT.failure
  }
  if (command === 'usage') {
    const { runUsageCommand } = await import('./usage-report')
    process.stdout.write(
      await runUsageCommand(config, { since: `${Math.round((flags.since ?? 7 * 86_400_000) / 1000)}s`, by: flags.by ?? 'model', format: flags.format }),
    )
    return EXIT.ok
  }
  const refused = publicListenProblem(config)
  if (refused) return fail(refused, EXIT.usage)
  if (command === 'claude' || command === 'codex') return (await import('./launch-tool')).runTool(command, config, argv, flags.model, flags.toolArgs ?? [])
  try {
    return await serve(config, load)
  } catch (err) {
    const listen = listenFailure(err, config.server.host, config.server.port)
    if (listen) return fail(listen.message, listen.code)
    throw err
  }
}

async function keysMain(argv: string[]): Promise<number> {
  const { KEYS_HELP, KeyConflict, KeyInputError, parseKeysArgs, runKeys } = await import('./keys-command')
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(KEYS_HELP + '\n')
    return argv.length === 0 ? EXIT.usage : EXIT.ok
  }
  try {
    const a = parseKeysArgs(argv)
    const config = await loadConfig({ flags: { config: a.config, env: a.env }, env: process.env, cwd: process.cwd() })
    process.stdout.write(await runKeys(config, a))
    return EXIT.ok
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`llm-proxy: invalid configuration:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return EXIT.usage
    }
    if (err instanceof KeyInputError || err instanceof KeyConflict || err instanceof NoKeyStore) {
      process.stderr.write(`llm-proxy keys: ${err.message}\n`)
      return EXIT.usage
    }
    throw err
  }
}

export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => {
      if (code !== -1) process.exit(code)
    },
    (err) => {
      if (err instanceof UsageStoreError) {
        process.stderr.write(`llm-proxy: ${err.message.replace(/\s+/g, ' ')}\n`)
        process.exit(EXIT.usage)
      }
      process.stderr.write(`llm-proxy: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exit(EXIT.failure)
    },
  )
}
