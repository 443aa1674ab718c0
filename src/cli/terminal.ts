// A person at a terminal gets a short start banner and readable log lines; a pipe, a file or a
// service manager gets JSON lines. An explicit logging.format always wins. Pure text building.
import type { Config } from '../config/types'
import { isLocal, registered } from '../dialects'
import { isLoopback } from './public-listen'

/** Pretty logs on a terminal unless the config chose a format. */
export function withTerminalDefaults(cfg: Config, isTTY: boolean): Config {
  if (isTTY && !cfg.logging.format_set) cfg.logging.format = 'pretty'
  return cfg
}

const MAX_LISTED = 8

const localDialect = (name: string): boolean => {
  const d = registered(name)
  return d !== undefined && isLocal(d)
}

/** A model name a first request can use: a plain route to a local provider (answers with no key),
 *  else the first plain route, else a glob's prefix. */
function sampleModel(cfg: Config): string {
  const plain = cfg.models.filter((m) => !m.pattern.includes('*'))
  const local = plain.find((m) => {
    const target = m.targets[0]?.model ?? ''
    const provider = cfg.providers.find((p) => p.name === target.slice(0, target.indexOf('/')))
    return provider !== undefined && localDialect(provider.dialect)
  })
  return (local ?? plain[0])?.pattern ?? cfg.models[0]?.pattern.replace(/\*.*$/, 'MODEL') ?? 'MODEL'
}

export function bannerText(cfg: Config, listenUrl: string, version: string): string {
  const url = new URL(listenUrl)
  // a wildcard listener is reached through loopback from this machine
  if (!isLoopback(url.hostname) && (url.hostname === '0.0.0.0' || url.hostname === '[::]')) url.hostname = '127.0.0.1'
  const base = url.origin
  const providers = cfg.providers.map((p) => `${p.name} (${p.dialect}${localDialect(p.dialect) ? '' : p.passthrough ? ', client keys' : `, ${p.api_keys.length} key${p.api_keys.length === 1 ? '' : 's'}`})`)
  const models = cfg.models.map((m) => m.pattern)
  const list = (xs: string[]) => (xs.length === 0 ? '(none)' : xs.slice(0, MAX_LISTED).join(', ') + (xs.length > MAX_LISTED ? ` (+${xs.length - MAX_LISTED} more)` : ''))
  const auth = cfg.auth ? ` -H "authorization: Bearer $LLM_PROXY_API_KEY"` : ''
  const body = JSON.stringify({ model: sampleModel(cfg), messages: [{ role: 'user', content: 'hello' }] })
  return [
    `llm-proxy ${version} listening on ${base}${cfg.auth ? '  (client key required)' : ''}`,
    `  providers  ${list(providers)}`,
    `  models     ${list(models)}`,
    `  try        curl ${base}/v1/chat/completions -H 'content-type: application/json'${auth} \\`,
    `               -d '${body}'`,
    `  stop       Ctrl-C (drains in-flight requests)`,
    '',
  ].join('\n')
}
