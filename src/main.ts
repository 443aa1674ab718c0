#!/usr/bin/env bun
// CLI entry: `llm-proxy [serve] [--config PATH] [flags]`, `check`, `usage`, `version`, `--help`.
import { HELP_TEXT, parseArgs, UsageError, type CliFlags } from './cli/args'
import { runCheck } from './cli/check'
import { doctor, renderDoctor } from './cli/doctor/run'
import { runImport } from './cli/import/run'
import { runUsageCommand } from './cli/usage-report'
import { ConfigError, loadConfig } from './config/load'
import { UsageStoreError } from './observe/usage-store'
import { serve } from './serve'
import { KEYS_HELP, KeyConflict, KeyInputError, parseKeysArgs, runKeys } from './cli/keys-command'
import { NoKeyStore } from './keys/key-store'
import { VERSION } from './version'

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keys') return keysMain(argv.slice(1))
  // import and doctor take their own arguments (files, --env without a value)
  if (argv[0] === 'import' && !argv.includes('--help') && !argv.includes('-h')) {
    const r = await runImport(argv.slice(1), process.env, process.cwd())
    process.stdout.write(r.stdout)
    process.stderr.write(r.stderr)
    return r.code
  }
  let command: string
  let flags: CliFlags
  try {
    ;({ command, flags } = parseArgs(argv))
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`llm-proxy: ${err.message}\nRun 'llm-proxy --help' for usage.\n`)
      return 2
    }
    throw err
  }
  if (command === 'help') {
    process.stdout.write(HELP_TEXT + '\n')
    return 0
  }
  if (command === 'version') {
    process.stdout.write(`llm-proxy ${VERSION} (bun ${Bun.version})\n`)
    return 0
  }
  const load = () => loadConfig({ flags, env: process.env, cwd: process.cwd() })
  let config
  try {
    config = await load()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`llm-proxy: invalid configuration${config === undefined && flags.config ? ` in ${flags.config}` : ''}:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return 2
    }
    throw err
  }
  if (command === 'check') {
    process.stdout.write(runCheck(config, flags))
    return 0
  }
  if (command === 'doctor') {
    const report = await doctor(config, { live: flags.live, json: flags.json })
    process.stdout.write(renderDoctor(report, flags.json ?? false))
    return report.ok ? 0 : 1
  }
  if (command === 'usage') {
    process.stdout.write(await runUsageCommand(config, { since: `${Math.round((flags.since ?? 7 * 86_400_000) / 1000)}s`, by: flags.by ?? 'model' }))
    return 0
  }
  return await serve(config, load)
}

async function keysMain(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(KEYS_HELP + '\n')
    return argv.length === 0 ? 2 : 0
  }
  try {
    const a = parseKeysArgs(argv)
    const config = await loadConfig({ flags: { config: a.config, env: a.env }, env: process.env, cwd: process.cwd() })
    process.stdout.write(await runKeys(config, a))
    return 0
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`llm-proxy: invalid configuration:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
      return 2
    }
    if (err instanceof KeyInputError || err instanceof KeyConflict || err instanceof NoKeyStore) {
      process.stderr.write(`llm-proxy keys: ${err.message}\n`)
      return 2
    }
    throw err
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code)
  },
  (err) => {
    if (err instanceof UsageStoreError) {
      process.stderr.write(`llm-proxy: ${err.message.replace(/\s+/g, ' ')}\n`)
      process.exit(2)
    }
    process.stderr.write(`llm-proxy: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exit(1)
  },
)
