// Command line: `llm-proxy [serve|check|usage|init|healthcheck|claude|codex|version|help] [flags]`. Pure: argv in (without the
// bun/node prefix), command and typed flags out; anything wrong is a UsageError (the caller prints
// it with HELP_TEXT's hint and exits 2).
import JSON5 from 'json5'
import { didYouMean } from '../config/report'
import { LOG_LEVELS, POLICY_MODES } from '../config/schema'
import type { ConfigFlags } from '../config/flags'
import { parseDuration } from '../config/units'

export type Command = 'serve' | 'check' | 'usage' | 'doctor' | 'init' | 'healthcheck' | 'claude' | 'codex' | 'version' | 'help'
export const USAGE_GROUPINGS = ['key', 'group', 'model', 'provider', 'day'] as const
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number]
export const USAGE_FORMATS = ['table', 'json', 'csv'] as const
export type UsageFormat = (typeof USAGE_FORMATS)[number]

export interface CliFlags extends ConfigFlags {
  /** check: show how this model name resolves */
  resolve?: string
  /** check --resolve: a request body (JSON file) the routing rules are evaluated on */
  body?: string
  /** check --resolve: the front door the body came in through (default: guessed from its shape) */
  front?: string
  /** usage: window in ms */
  since?: number
  /** usage: grouping */
  by?: UsageGrouping
  /** doctor: one JSON document instead of a table */
  json?: boolean
  /** doctor: also a 1-token completion per routed model */
  live?: boolean
  /** usage: output format */
  format?: UsageFormat
  /** init: where to write the starter config ("-": stdout) */
  out?: string
  /** init: overwrite an existing file */
  force?: boolean
  /** claude/codex: the model the tool asks for */
  model?: string
  /** claude/codex: arguments after `--`, handed to the tool as they are */
  toolArgs?: string[]
}

export interface ParsedArgs {
  command: Command
  flags: CliFlags
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

export const HELP_TEXT = `llm-proxy: one endpoint for OpenAI, Anthropic, Gemini and compatible APIs

Usage:
  llm-proxy [serve] [--config PATH] [flags]     start the gateway (the default command)
  llm-proxy check [--config PATH] [--resolve NAME [--body request.json] [--front DIALECT]]
                                                validate the config and print it resolved
                                                (secrets masked); --resolve shows where a model
                                                name is routed; with --body, which routing rule
                                                matches that request and why
  llm-proxy usage [--config PATH] [--since 7d] [--by key|group|model|provider|day]
                  [--format table|json|csv]     print the usage ledger
  llm-proxy keys create|list|show|update|disable|enable|rotate|delete …
                                                client keys in the database, no restart
                                                (llm-proxy keys --help)
  llm-proxy import --from SOURCE [--check] FILE…
                                                print an llm-proxy config converted from another
                                                proxy's: lm-deluge, lm-proxy, python-llm-proxy,
                                                vandamme (--env [DOTENV] reads its variables),
                                                litellm, anthropic-front
  llm-proxy doctor [--config PATH] [--json] [--live]
                                                check every provider: DNS, TCP, TLS, auth (and a
                                                1-token completion per routed model with --live)
  llm-proxy init [--out config.yaml] [--force]  write a commented starter config from the provider
                                                keys in the environment (--out - prints it)
  llm-proxy healthcheck [--config PATH]         exit 0 when the configured proxy answers /healthz,
                                                non-zero within 10 s otherwise (Docker HEALTHCHECK)
  llm-proxy claude [--config PATH] [--model NAME] [-- CLAUDE ARGS]
  llm-proxy codex  [--config PATH] [--model NAME] [-- CODEX ARGS]
                                                start (or reuse) a local proxy and run Claude Code /
                                                Codex CLI through it
  llm-proxy version | --version | -v            print the version
  llm-proxy help | --help | -h                  print this help

Config and environment:
  -c, --config PATH      config file (.yaml, .yml, .json, .json5, .toml); else $LLM_PROXY_CONFIG;
                         else env-only: a provider per {P}_API_KEY (OPENAI_, ANTHROPIC_,
                         GEMINI_, POE_…; {P}_BASE_URL, {P}_API_FORMAT, {P}_ALIAS_{NAME})
  --env PATH             load this .env file (default: ./.env when present; --env "" disables)

Overrides (highest precedence; env: LLM_PROXY_HOST, LLM_PROXY_PORT, LLM_PROXY_API_KEY,
LLM_PROXY_LOG_LEVEL, LLM_PROXY_DEBUG):
  --host HOST            listen address
  --port PORT            listen port (1-65535)
  --mode MODE            policy mode: ${POLICY_MODES.join(' | ')}
  --default-model NAME   policy.default_model
  --allow-model GLOB     allowed model names (repeatable; replaces policy.allowed_models)
  --routes JSON5         extra model routes, ahead of the config's, e.g.
                         --routes '{fast: "openai/gpt-4o-mini", "claude-*": "anthropic/*"}'
                         (lm-deluge's '{fast: {models: [...], strategy, weights}}' too)
  --expose-aliases       list aliases in /v1/models
  --hide-aliases         do not list aliases in /v1/models
  --log-level LEVEL      ${LOG_LEVELS.join(' | ')} (any case)
  --reload               accepted and ignored: config reload is always on (SIGHUP)
  --allow-public         listen on a non-loopback address with no client auth (same as
                         auth: { mode: none, allow_public: true }); refused otherwise

Flags take "--flag value" or "--flag=value". Exit status 2 on a usage or config error.
`

type Apply = (flags: CliFlags, value: string, name: string) => void

/** A flag takes a value (`apply`) or is a switch (`switchTo`); `commands` may use it. */
type FlagSpec = { commands: readonly Command[] } & ({ apply: Apply } | { switchTo: (flags: CliFlags) => void })

const TOOLS: readonly Command[] = ['claude', 'codex']
const RUNTIME: readonly Command[] = ['serve', 'check', ...TOOLS]
const ANY_CONFIG: readonly Command[] = ['serve', 'check', 'usage', 'doctor', 'healthcheck', ...TOOLS]

const nonEmpty = (value: string, name: string): string => {
  if (value === '') throw new UsageError(`--${name} needs a non-empty value`)
  return value
}

function oneOf<T extends string>(values: readonly T[], value: string, name: string): T {
  if ((values as readonly string[]).includes(value)) return value as T
  const hint = didYouMean(value, values)
  throw new UsageError(
    `--${name} must be one of ${values.join(' | ')} (got ${JSON.stringify(value)})${hint ? `; did you mean "${hint}"?` : ''}`,
  )
}

const FLAGS: Record<string, FlagSpec> = {
  config: { commands: ANY_CONFIG, apply: (f, v, n) => (f.config = nonEmpty(v, n)) },
  env: { commands: ANY_CONFIG, apply: (f, v) => (f.env = v) },
  host: { commands: [...RUNTIME, 'healthcheck'], apply: (f, v, n) => (f.host = nonEmpty(v, n)) },
  port: {
    commands: [...RUNTIME, 'healthcheck'],
    apply: (f, v, n) => {
      const port = /^\d{1,5}$/.test(v) ? Number(v) : NaN
      if (!(port >= 1 && port <= 65535)) throw new UsageError(`--${n} must be a port number 1-65535 (got ${JSON.stringify(v)})`)
      f.port = port
    },
  },
  mode: { commands: RUNTIME, apply: (f, v, n) => (f.mode = oneOf(POLICY_MODES, v, n)) },
  'default-model': { commands: RUNTIME, apply: (f, v, n) => (f.defaultModel = nonEmpty(v, n)) },
  'allow-model': { commands: RUNTIME, apply: (f, v, n) => (f.allowModels = [...(f.allowModels ?? []), nonEmpty(v, n)]) },
  routes: { commands: RUNTIME, apply: (f, v, n) => (f.routes = { ...f.routes, ...parseRoutes(v, n) }) },
  'expose-aliases': { commands: RUNTIME, switchTo: (f) => (f.exposeAliases = true) },
  'hide-aliases': { commands: RUNTIME, switchTo: (f) => (f.exposeAliases = false) },
  'log-level': { commands: RUNTIME, apply: (f, v, n) => (f.logLevel = oneOf(LOG_LEVELS, v.toLowerCase(), n)) },
  // config reload is always live (SIGHUP and file changes); accepted for scripts written for uvicorn-style proxies
  reload: { commands: ['serve'], switchTo: () => {} },
  resolve: { commands: ['check'], apply: (f, v, n) => (f.resolve = nonEmpty(v, n)) },
  body: { commands: ['check'], apply: (f, v, n) => (f.body = nonEmpty(v, n)) },
  front: { commands: ['check'], apply: (f, v, n) => (f.front = nonEmpty(v, n)) },
  since: {
    commands: ['usage'],
    apply: (f, v, n) => {
      const ms = parseDuration(v)
      if (!ms) throw new UsageError(`--${n} must be a duration like 24h, 7d or 30m (got ${JSON.stringify(v)})`)
      f.since = ms
    },
  },
  by: { commands: ['usage'], apply: (f, v, n) => (f.by = oneOf(USAGE_GROUPINGS, v, n)) },
  json: { commands: ['doctor'], switchTo: (f) => (f.json = true) },
  live: { commands: ['doctor'], switchTo: (f) => (f.live = true) },
  format: { commands: ['usage'], apply: (f, v, n) => (f.format = oneOf(USAGE_FORMATS, v, n)) },
  'allow-public': { commands: RUNTIME, switchTo: (f) => (f.allowPublic = true) },
  out: { commands: ['init'], apply: (f, v, n) => (f.out = nonEmpty(v, n)) },
  force: { commands: ['init'], switchTo: (f) => (f.force = true) },
  model: { commands: TOOLS, apply: (f, v, n) => (f.model = nonEmpty(v, n)) },
}

/** Short spellings of long flags. */
const SHORT: Record<string, string> = { '-c': '--config' }

const COMMANDS: readonly Command[] = ['serve', 'check', 'usage', 'doctor', 'init', 'healthcheck', 'claude', 'codex', 'version', 'help']

function parseRoutes(text: string, name: string): Record<string, unknown> {
  let routes: unknown
  try {
    routes = JSON5.parse(text)
  } catch (err) {
    throw new UsageError(`--${name} is not valid JSON5: ${(err as Error).message.replace(/^JSON5: /, '')}`)
  }
  if (routes === null || typeof routes !== 'object' || Array.isArray(routes))
    throw new UsageError(`--${name} must be a mapping of model names to targets, e.g. '{fast: "openai/gpt-4o-mini"}'`)
  return routes as Record<string, unknown>
}

export function parseArgs(all: readonly string[]): ParsedArgs {
  // after `--`: the launched tool's own arguments (claude, codex), never ours
  const dash = all.indexOf('--')
  const argv = (dash < 0 ? all : all.slice(0, dash)).map((a) => SHORT[a] ?? a)
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help', flags: {} }
  if (argv.includes('--version') || argv.includes('-v')) return { command: 'version', flags: {} }
  let i = 0
  let command: Command = 'serve'
  const first = argv[0]
  if (first !== undefined && !first.startsWith('-')) {
    if (!(COMMANDS as readonly string[]).includes(first)) {
      const hint = didYouMean(first, COMMANDS)
      throw new UsageError(`unknown command "${first}"${hint ? ` (did you mean "${hint}"?)` : ''}; see llm-proxy --help`)
    }
    command = first as Command
    i = 1
  }
  const flags: CliFlags = {}
  if (dash >= 0) {
    if (!TOOLS.includes(command)) throw new UsageError(`"--" passes arguments to claude or codex only; see llm-proxy --help`)
    flags.toolArgs = all.slice(dash + 1)
  }
  for (; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument ${JSON.stringify(arg)}; see llm-proxy --help`)
    const eq = arg.indexOf('=')
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
    const spec = FLAGS[name]
    if (!spec) {
      const hint = didYouMean(name, Object.keys(FLAGS))
      throw new UsageError(`unknown flag --${name}${hint ? ` (did you mean --${hint}?)` : ''}; see llm-proxy --help`)
    }
    if (!spec.commands.includes(command))
      throw new UsageError(`--${name} is not a flag of "${command}"; see llm-proxy --help`)
    if ('switchTo' in spec) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`)
      spec.switchTo(flags)
      continue
    }
    let value: string
    if (eq >= 0) value = arg.slice(eq + 1)
    else {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value`)
      value = next
      i++
    }
    spec.apply(flags, value, name)
  }
  return { command, flags }
}
