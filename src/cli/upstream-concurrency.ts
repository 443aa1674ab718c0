// Bun's fetch allows BUN_CONFIG_MAX_HTTP_REQUESTS upstream requests in flight per process (256 by
// default) and reads it once, when the runtime starts: setting process.env later has no effect
// (measured: still 256). A gateway holding many long streams needs more, so `serve` replaces
// itself once (execve: same PID, so systemd, Docker and signals see one process) with the
// variable set, unless the operator set it. Pure decision + one I/O call.

export const MAX_REQUESTS_ENV = 'BUN_CONFIG_MAX_HTTP_REQUESTS'
export const DEFAULT_MAX_UPSTREAM_REQUESTS = '4096'

type Env = Record<string, string | undefined>

/** Commands that run the gateway in this process. */
const SERVING = new Set(['serve', 'claude', 'codex'])

/** The command as args.ts will parse it, cheaply (before anything else loads): help and version
 *  flags win, then a first word, else serve. A wrong guess only costs or saves one re-exec. */
export function commandOf(argv: readonly string[]): string {
  const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  if (own.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v')) return 'help'
  return own[0] !== undefined && !own[0].startsWith('-') ? own[0] : 'serve'
}

export function needsHigherLimit(command: string, env: Env): boolean {
  return SERVING.has(command) && env[MAX_REQUESTS_ENV] === undefined
}

type Proc = { execPath: string; execArgv: string[]; argv: string[] }

const isCompiled = (p: Proc) => p.argv[1]?.startsWith('/$bunfs/') || p.argv[1]?.startsWith('B:\\~BUN\\')

/** The command that starts this program, without arguments: the compiled binary, or bun + its flags + the script. */
export function selfCommand(p: Proc): string[] {
  return isCompiled(p) ? [p.execPath] : [p.execPath, ...p.execArgv, p.argv[1]!]
}

/** The argv that starts this same program again with the same arguments. */
export function selfArgv(p: Proc): string[] {
  return [...selfCommand(p), ...p.argv.slice(2)]
}

/**
 * Replaces the process with itself plus the higher limit. Returns only when that is impossible
 * (no execve on this platform, or it failed): the caller then runs with Bun's default.
 */
export function reexecWithHigherLimit(): string | undefined {
  const execve = (process as { execve?: (file: string, args: string[], env: Env) => never }).execve
  if (typeof execve !== 'function') return 'process.execve is unavailable on this platform'
  const argv = selfArgv(process)
  try {
    execve.call(process, argv[0]!, argv, { ...process.env, [MAX_REQUESTS_ENV]: DEFAULT_MAX_UPSTREAM_REQUESTS })
  } catch (err) {
    return (err as Error).message
  }
  return 'execve returned'
}
