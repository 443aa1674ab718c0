// Parsed file (or nothing: zero-config) + environment + flags → the resolved Config. Pure: the
// caller does the I/O. Precedence: defaults < file < LLM_PROXY_* env < flags. Every problem is
// collected and thrown at once as a ConfigError.
import type { ConfigFlags } from './flags'
import { coerceScalars } from './coerce'
import { ConfigError } from './config-error'
import { interpolate, type Env } from './interpolate'
import { normalize } from './normalize'
import { checkAdminApart } from './normalize-admin'
import { defaultGroup } from './normalize-auth'
import { normalizeModels } from './normalize-models'
import { applyVertexEnv } from './normalize-vertex'
import { reportErrors, show } from './report'
import { currentConfigSchema, LOG_LEVELS, ModelsSchema, type ConfigFile, type ModelsFile } from './schema'
import type { Config, LoggingConfig } from './types'
import { envSetup } from './zero-config'
import { fromDelugeRoutes } from './deluge-routes'

/**
 * `raw` is the parsed config file; `undefined` means no file (zero-config: providers from
 * OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY / GOOGLE_API_KEY).
 */
export function resolveConfig(raw: unknown, env: Env, flags: ConfigFlags = {}, source?: string): Config {
  const zero = raw === undefined
  const setup = zero ? envSetup(env) : undefined
  if (setup?.notes.some((n) => n.error))
    throw new ConfigError(setup.notes.filter((n) => n.error).map((n) => `${n.variable}: ${n.text}`))
  const tree = setup ? setup.file : (raw ?? {}) // an empty file is all defaults
  if (typeof tree !== 'object' || Array.isArray(tree))
    throw new ConfigError([`(top level): expected a mapping of sections (got ${show(tree)})`])

  const { value, problems } = interpolate(lowerLogLevel(tree), env)
  // env values are strings: let `port: ${PORT}` become a number where the schema wants one
  const schema = currentConfigSchema()
  const converted = coerceScalars(schema, value)
  problems.push(...reportErrors(schema, converted))
  if (problems.length) throw new ConfigError(problems)

  const normalized = normalize(converted as ConfigFile, env)
  const config = normalized.config
  problems.push(...normalized.problems)
  config.zero_config = zero
  if (source !== undefined) config.source = source

  applyEnv(config, env, problems)
  applyVertexEnv(config, env, problems)
  applyFlags(config, flags, problems)
  checkConsistency(config, problems)
  if (problems.length) throw new ConfigError(problems)
  return config
}

/** `level: INFO` (Python proxies write log levels in upper case) means `info` */
function lowerLogLevel(tree: object): object {
  const logging = (tree as { logging?: unknown }).logging
  if (logging === null || typeof logging !== 'object') return tree
  const level = (logging as { level?: unknown }).level
  if (typeof level !== 'string') return tree
  return { ...tree, logging: { ...logging, level: level.toLowerCase() } }
}

const TRUE = new Set(['1', 'true', 'yes', 'on'])
const FALSE = new Set(['', '0', 'false', 'no', 'off'])

function applyEnv(config: Config, env: Env, problems: string[]): void {
  if (env.LLM_PROXY_HOST) config.server.host = env.LLM_PROXY_HOST
  const port = env.LLM_PROXY_PORT
  if (port) {
    const n = /^\d{1,5}$/.test(port) ? Number(port) : NaN
    if (n >= 1 && n <= 65535) config.server.port = n
    else problems.push(`LLM_PROXY_PORT: expected a port number 1-65535 (got ${show(port)})`)
  }
  const key = env.LLM_PROXY_API_KEY
  if (key) {
    config.auth ??= { keys: [], groups: { default: defaultGroup() } }
    config.auth.groups.default ??= defaultGroup()
    config.auth.keys.push({ key, name: 'env', group: 'default' })
  }
  const level = env.LLM_PROXY_LOG_LEVEL?.toLowerCase()
  if (level) {
    if ((LOG_LEVELS as readonly string[]).includes(level)) config.logging.level = level as LoggingConfig['level']
    else problems.push(`LLM_PROXY_LOG_LEVEL: expected one of ${LOG_LEVELS.join(' | ')} (got ${show(level)})`)
  }
  const debug = env.LLM_PROXY_DEBUG?.toLowerCase()
  if (debug !== undefined) {
    if (TRUE.has(debug)) {
      config.debug = true
      config.logging.level = 'debug'
    } else if (!FALSE.has(debug)) problems.push(`LLM_PROXY_DEBUG: expected 1/true or 0/false (got ${show(env.LLM_PROXY_DEBUG)})`)
  }
}

function applyFlags(config: Config, flags: ConfigFlags, problems: string[]): void {
  if (flags.host !== undefined) config.server.host = flags.host
  if (flags.port !== undefined) config.server.port = flags.port
  if (flags.mode !== undefined) config.policy.mode = flags.mode
  if (flags.defaultModel !== undefined) config.policy.default_model = flags.defaultModel
  if (flags.allowModels !== undefined) config.policy.allowed_models = flags.allowModels
  if (flags.exposeAliases !== undefined) config.policy.expose_aliases = flags.exposeAliases
  if (flags.logLevel !== undefined) config.logging.level = flags.logLevel
  if (flags.allowPublic) config.allow_public = true
  if (flags.routes !== undefined) {
    const names = config.providers.map((p) => p.name)
    const before = problems.length
    const given = fromDelugeRoutes(flags.routes, config, problems)
    if (problems.length > before) return // its names did not route: the alias would only repeat that
    const routeProblems = reportErrors(ModelsSchema, given, ['--routes'])
    if (routeProblems.length) return void problems.push(...routeProblems)
    const routes = normalizeModels(given as ModelsFile, names, ['--routes'], problems)
    // in front, so they win; a route replaces a file entry with the same key
    const replaced = new Set(routes.map((r) => r.pattern))
    config.models = [...routes, ...config.models.filter((m) => !replaced.has(m.pattern))]
  }
}

function checkConsistency(config: Config, problems: string[]): void {
  if (config.policy.mode === 'force_default' && config.policy.default_model === undefined)
    problems.push('policy.default_model: is required when policy.mode is force_default')
  // body lines are info lines: a quieter level would drop them all
  if (config.logging.bodies && (config.logging.level === 'warn' || config.logging.level === 'error'))
    problems.push(`logging.bodies: body lines are logged at info; logging.level ${config.logging.level} would drop them (use info or debug)`)
  const auth = config.auth
  if (config.server.metrics_auth === 'key' && !auth)
    problems.push('server.metrics_auth: key needs auth: (keys, check or LLM_PROXY_API_KEY); without it no key could be asked for')
  // with a database, keys made by `llm-proxy keys create` or the admin API can let clients in
  if (auth && auth.keys.length === 0 && !auth.check && config.usage.store === 'none')
    problems.push('auth: no keys, no check and usage.store is none (no database keys): no client could authenticate (remove auth: to require no key)')
  if (config.admin) checkAdminApart(config.admin, auth, problems)
}
