// `llm-proxy import --from SOURCE [--env [FILE]] [--check] FILE…`: another proxy's config → an
// llm-proxy config (YAML) on stdout, with a comment on everything that could not be carried over.
// Exit 0; 2 on a usage error or input that cannot be read; with --check, 2 when the result does
// not pass the validation `llm-proxy check` runs (its report goes to stderr).
import { isAbsolute, join } from 'node:path'
import { ConfigError } from '../../config/config-error'
import { parseDotenv } from '../../config/dotenv'
import type { Env } from '../../config/interpolate'
import { parseConfigText } from '../../config/parse-file'
import { resolveConfig } from '../../config/resolve'
import { runCheck } from '../check'
import { fromAnthropicFront } from './from-anthropic-front'
import { fromLitellm } from './from-litellm'
import { fromLmDeluge } from './from-lm-deluge'
import { fromLmProxy } from './from-lm-proxy'
import { fromPythonLlmProxy } from './from-python-llm-proxy'
import { fromVandamme } from './from-vandamme'
import { ImportError, type Imported } from './imported'
import { renderImported } from './render'

export const SOURCES = ['lm-deluge', 'lm-proxy', 'python-llm-proxy', 'vandamme', 'litellm', 'anthropic-front'] as const
export type Source = (typeof SOURCES)[number]

export interface ImportArgs {
  from: Source
  files: string[]
  /** vandamme: undefined = no environment; "" = the process environment; else a dotenv file */
  env?: string
  check: boolean
}

export interface ImportOutcome {
  code: number
  stdout: string
  stderr: string
}

/** At most this much of one input file is read: config files are small. */
const MAX_INPUT = 4 * 1024 * 1024

export const IMPORT_HELP = `Usage: llm-proxy import --from ${SOURCES.join('|')} [--check] FILE…
       llm-proxy import --from vandamme [--env [DOTENV]] [--check] [FILE.toml…]
  Prints an equivalent llm-proxy config (YAML) with a comment on what could not be carried over.
  --env          vandamme: read its variables from the process environment (--env FILE: a dotenv file)
  --check        validate the result as 'llm-proxy check' does (report on stderr, exit 2 if invalid)
`

export function parseImportArgs(argv: readonly string[]): ImportArgs {
  let from: string | undefined
  let env: string | undefined
  let check = false
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.indexOf('=')
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined]
    if (flag === '--from') {
      from = inline ?? argv[++i]
      if (from === undefined) throw new ImportError('--from needs a value')
    } else if (flag === '--env') {
      const next = argv[i + 1]
      env = inline ?? (next !== undefined && !next.startsWith('--') && !/\.(toml|ya?ml|json5?)$/i.test(next) ? argv[++i] : '')
    } else if (flag === '--check') check = true
    else if (a.startsWith('--')) throw new ImportError(`unknown flag ${a} for import`)
    else files.push(a)
  }
  if (!from) throw new ImportError(`--from is required (one of ${SOURCES.join(', ')})`)
  if (!(SOURCES as readonly string[]).includes(from)) throw new ImportError(`--from must be one of ${SOURCES.join(', ')} (got ${JSON.stringify(from)})`)
  if (env !== undefined && from !== 'vandamme') throw new ImportError('--env is for --from vandamme')
  if (files.length === 0 && !(from === 'vandamme' && env !== undefined))
    throw new ImportError(from === 'vandamme' ? 'give vandamme TOML files, --env, or both' : 'give the config file to import')
  return { from: from as Source, files, ...(env !== undefined && { env }), check }
}

export async function runImport(argv: readonly string[], processEnv: Env, cwd: string): Promise<ImportOutcome> {
  let args: ImportArgs
  try {
    args = parseImportArgs(argv)
  } catch (err) {
    if (err instanceof ImportError) return { code: 2, stdout: '', stderr: `llm-proxy import: ${err.message}\n${IMPORT_HELP}` }
    throw err
  }
  try {
    const trees = await Promise.all(args.files.map((f) => readTree(f, cwd)))
    const env = args.env === undefined ? undefined : args.env === '' ? processEnv : await readDotenv(args.env, cwd)
    const imported = convert(args.from, trees, env)
    const header = ` llm-proxy config imported from ${args.from}${args.files.length ? ` (${args.files.join(', ')})` : ''}${env ? ' and its environment' : ''}`
    const text = renderImported(imported, header)
    if (!args.check) return { code: 0, stdout: text, stderr: '' }
    try {
      const cfg = resolveConfig(parseConfigText(text, 'imported.yaml'), { ...processEnv, ...(env ?? {}) }, {}, 'imported.yaml')
      return { code: 0, stdout: text, stderr: runCheck(cfg, {}) }
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      return { code: 2, stdout: text, stderr: `llm-proxy: the imported config does not pass check:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n` }
    }
  } catch (err) {
    if (err instanceof ImportError || err instanceof ConfigError) return { code: 2, stdout: '', stderr: `llm-proxy import: ${err.message}\n` }
    throw err
  }
}

function convert(from: Source, trees: unknown[], env: Env | undefined): Imported {
  if (from === 'vandamme') return fromVandamme(trees, env)
  if (trees.length !== 1) throw new ImportError(`--from ${from} takes one config file (got ${trees.length})`)
  const t = trees[0]
  switch (from) {
    case 'lm-deluge':
      return fromLmDeluge(t)
    case 'lm-proxy':
      return fromLmProxy(t)
    case 'python-llm-proxy':
      return fromPythonLlmProxy(t)
    case 'litellm':
      return fromLitellm(t)
    case 'anthropic-front':
      return fromAnthropicFront(t)
  }
}

async function readText(path: string, cwd: string): Promise<string> {
  const full = isAbsolute(path) ? path : join(cwd, path)
  const file = Bun.file(full)
  if (!(await file.exists())) throw new ImportError(`${path}: file not found`)
  if (file.size > MAX_INPUT) throw new ImportError(`${path}: larger than ${MAX_INPUT} bytes; not a config file`)
  try {
    return await file.text()
  } catch (err) {
    throw new ImportError(`${path}: cannot read: ${(err as Error).message}`)
  }
}

async function readTree(path: string, cwd: string): Promise<unknown> {
  const text = await readText(path, cwd)
  try {
    return parseConfigText(text, path)
  } catch (err) {
    if (err instanceof ConfigError) throw new ImportError(err.problems.join('; '))
    throw err
  }
}

async function readDotenv(path: string, cwd: string): Promise<Env> {
  const { vars, problems } = parseDotenv(await readText(path, cwd))
  if (problems.length) throw new ImportError(problems.map((p) => `${path}: ${p}`).join('; '))
  return vars
}
