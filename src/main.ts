#!/usr/bin/env bun
// Entry point. Serving replaces the process once, before the rest of the program loads, to raise
// Bun's upstream-request cap (see cli/upstream-concurrency.ts); then the CLI runs.
import { commandOf, needsHigherLimit, reexecWithHigherLimit } from './cli/upstream-concurrency'

const argv = process.argv.slice(2)
if (needsHigherLimit(commandOf(argv), process.env)) {
  // returns only when the re-exec is impossible; the proxy then runs with Bun's default of 256
  const why = reexecWithHigherLimit()
  process.stderr.write(`llm-proxy: warning: upstream requests stay capped at 256 in flight (${why}); set BUN_CONFIG_MAX_HTTP_REQUESTS=4096 to raise it\n`)
}
// no top-level await: --bytecode builds are CommonJS
void import('./cli/main').then(({ runCli }) => runCli(argv))
