// The command-line flags the config layer reads (cli/args.ts parses them; CliFlags extends this).
import type { LoggingConfig, PolicyConfig } from './types'

export interface ConfigFlags {
  config?: string
  /** a .env file to load; "" disables .env loading */
  env?: string
  host?: string
  port?: number
  mode?: PolicyConfig['mode']
  defaultModel?: string
  /** replaces policy.allowed_models */
  allowModels?: string[]
  /** a parsed `models:` fragment, merged in front of the file's models */
  routes?: Record<string, unknown>
  exposeAliases?: boolean
  logLevel?: LoggingConfig['level']
  /** serve/check: allow a non-loopback listener with no client auth */
  allowPublic?: boolean
}
