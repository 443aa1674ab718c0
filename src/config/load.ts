// The I/O edge of configuration: find and read the file and the .env, then hand everything to
// the pure resolveConfig. Precedence: defaults < file < .env-or-real environment < flags, and
// the real environment always beats a .env file.
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import type { ConfigFlags } from './flags'
import { ConfigError } from './config-error'
import { parseDotenv } from './dotenv'
import type { Env } from './interpolate'
import { profileRegion } from '../dialects/bedrock/credentials'
import { parseGoogleCredentials } from './normalize-vertex'
import { parseConfigText } from './parse-file'
import { resolveConfig } from './resolve'
import type { Config } from './types'
import { loadPlugins } from '../plugins/load-plugins'

export { ConfigError } from './config-error'
export { maskSecret } from './mask'
export { resolveConfig } from './resolve'

export interface LoadOptions {
  flags: ConfigFlags
  /** default: process.env */
  env?: Env
  /** default: process.cwd(); relative paths resolve against it */
  cwd?: string
}

export async function loadConfig(opts: LoadOptions): Promise<Config> {
  const cwd = opts.cwd ?? process.cwd()
  const env = await withDotenv(opts.env ?? process.env, opts.flags.env, cwd)
  const path = opts.flags.config ?? (env.LLM_PROXY_CONFIG || undefined)
  if (path === undefined) return resolveConfig(undefined, env, opts.flags)
  const full = isAbsolute(path) ? path : join(cwd, path)
  const file = Bun.file(full)
  if (!(await file.exists())) throw new ConfigError([`${path}: config file not found (resolved to ${full})`])
  let text: string
  try {
    text = await file.text()
  } catch (err) {
    throw new ConfigError([`${path}: cannot read the config file: ${(err as Error).message}`])
  }
  const config = resolveConfig(parseConfigText(text, path), await withAwsRegion(env), opts.flags, full)
  const problems = await checkVertexKeys(config, cwd)
  if (problems.length) throw new ConfigError(problems)
  return withPlugins(config, cwd)
}

/** Imports the config's plugin modules; one that cannot be loaded makes the config invalid. */
export async function withPlugins(config: Config, cwd: string = process.cwd()): Promise<Config> {
  if (config.plugins || !config.plugin_specs?.length) return config
  const { plugins, problems } = await loadPlugins(config.plugin_specs, config.source, cwd)
  if (problems.length) throw new ConfigError(problems)
  return { ...config, plugins }
}

/**
 * No AWS_REGION / AWS_DEFAULT_REGION: the region of the AWS_PROFILE (or default) profile in
 * ~/.aws/config (AWS_CONFIG_FILE) becomes AWS_REGION, as the AWS SDKs read it (a Bedrock
 * provider's default region, and `${AWS_REGION}` in the config).
 */
async function withAwsRegion(env: Env): Promise<Env> {
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) return env
  const file = Bun.file(env.AWS_CONFIG_FILE || join(env.HOME ?? homedir(), '.aws', 'config'))
  if (!(await file.exists().catch(() => false))) return env
  const region = profileRegion(await file.text().catch(() => ''), env.AWS_PROFILE || 'default')
  return region ? { ...env, AWS_REGION: region } : env
}

/** each Vertex credentials file exists and holds credentials Vertex takes (its secrets are not quoted) */
async function checkVertexKeys(config: Config, cwd: string): Promise<string[]> {
  const problems: string[] = []
  for (const p of config.providers) {
    const path = p.vertex?.credentials_file
    if (!path) continue
    const at = `providers.${p.name}.vertex`
    const file = Bun.file(isAbsolute(path) ? path : join(cwd, path))
    try {
      if (!(await file.exists())) {
        problems.push(`${at}: credentials file ${path} not found`)
        continue
      }
      parseGoogleCredentials(await file.text(), path)
    } catch (err) {
      problems.push(`${at}: ${(err as Error).message}`)
    }
  }
  return problems
}

/** `--env ""` disables .env; `--env PATH` must exist; otherwise ./.env when present. */
async function withDotenv(env: Env, flag: string | undefined, cwd: string): Promise<Env> {
  if (flag === '') return env
  const path = flag ?? '.env'
  const full = isAbsolute(path) ? path : join(cwd, path)
  const file = Bun.file(full)
  if (!(await file.exists())) {
    if (flag !== undefined) throw new ConfigError([`${flag}: .env file not found (resolved to ${full})`])
    return env
  }
  const { vars, problems } = parseDotenv(await file.text())
  if (problems.length) throw new ConfigError(problems.map((p) => `${path}: ${p}`))
  return { ...vars, ...env }
}
