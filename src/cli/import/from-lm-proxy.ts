// lm-proxy (TOML, YAML or JSON): `connections` (api_type, api_base, api_key "env:VAR"), `routing`
// ("gpt*" = "openai.*", first match wins as ours does), `groups` (api_keys, allowed_connections →
// group providers), `api_key_check` (the config check, or CheckAPIKeyWithRequest → auth.check),
// `model_listing_mode`, host/port.
import { API_FORMATS } from '../../config/known-providers'
import { defaultBaseUrl } from '../../config/normalize'
import { ImportError, isMap, safeName, seconds, shown, uniqueName, type Imported, type Note } from './imported'

const LISTING: Record<string, string> = { as_is: 'as_is', ignore_wildcards: 'ignore', expand_wildcards: 'expand' }
const HANDLED = new Set(['host', 'port', 'dev_autoreload', 'connections', 'routing', 'groups', 'api_key_check', 'model_listing_mode', 'loggers', 'before'])
const CONFIG_CHECK = 'lm_proxy.api_key_check.check_api_key_in_config'

/** "env:VAR" → "${VAR}" (ours reads `env:VAR` too, but `${VAR}` is what our docs show) */
export const envRef = (v: unknown): unknown => (typeof v === 'string' && /^env:[A-Za-z_]\w*$/.test(v) ? `\${${v.slice(4)}}` : v)

export function fromLmProxy(tree: unknown): Imported {
  if (!isMap(tree) || !isMap(tree.connections)) throw new ImportError('not an lm-proxy config: expected a connections section')
  const notes: Note[] = []
  const file: Record<string, any> = {}
  const server: Record<string, any> = {}
  if (tree.host !== undefined) server.host = String(tree.host)
  if (tree.port !== undefined) server.port = Number(tree.port)
  if (Object.keys(server).length) file.server = server
  if (tree.dev_autoreload !== undefined) notes.push({ text: 'dev_autoreload not carried over: llm-proxy always reloads its config on change or SIGHUP' })

  const providers: Record<string, any> = {}
  const renamed = new Map<string, string>()
  for (const [conn, c] of Object.entries(tree.connections)) {
    const name = uniqueName(safeName(conn), new Set(Object.keys(providers)))
    renamed.set(conn, name)
    if (!isMap(c)) {
      notes.push({ text: `connections.${conn} not carried over: expected a table (got ${shown(c)})` })
      continue
    }
    const type = String(c.api_type ?? 'open_ai').toLowerCase()
    const dialect = API_FORMATS[type]
    if (!dialect) {
      notes.push({ text: `connections.${conn} not carried over: api_type ${shown(c.api_type)} has no llm-proxy dialect (add it as openai-chat if it is OpenAI-compatible)` })
      continue
    }
    const base = c.api_base ?? c.base_url ?? defaultBaseUrl(dialect)
    const p: Record<string, any> = { dialect }
    if (typeof base === 'string') p.base_url = base.replace(/\/+$/, '')
    if (c.api_key !== undefined) p.api_key = envRef(c.api_key)
    if (type === 'azure') notes.push({ at: ['providers', name], text: 'azure: check base_url (…/openai/deployments/{model}), query api-version and auth_header api-key' })
    for (const k of Object.keys(c)) if (!['api_type', 'api_base', 'base_url', 'api_key'].includes(k)) notes.push({ at: ['providers', name], text: `connections.${conn}.${k} not carried over: unknown to this importer` })
    providers[name] = p
  }
  file.providers = providers

  const models: Record<string, any> = {}
  for (const [pattern, to] of Object.entries(isMap(tree.routing) ? tree.routing : {})) {
    const m = typeof to === 'string' ? /^([^.]+)\.(.+)$/.exec(to) : null
    const provider = m && renamed.get(m[1])
    if (!m || !provider || !providers[provider]) {
      notes.push({ text: `routing ${shown(pattern)} = ${shown(to)} not carried over: expected "connection.model" naming a connection` })
      continue
    }
    models[pattern] = `${provider}/${m[2]}`
  }
  file.models = models
  if (models['*']) notes.push({ at: ['models', '*'], text: 'catch-all: explicit provider/model names still reach their provider (policy.default_provider is the alternative)' })

  const listing = tree.model_listing_mode
  if (listing !== undefined) {
    if (LISTING[listing]) file.policy = { list_wildcards: LISTING[listing] }
    else notes.push({ text: `model_listing_mode ${shown(listing)} not carried over: llm-proxy lists globs as_is, ignores or expands them` })
  }

  const auth = importAuth(tree, renamed, notes)
  if (auth) file.auth = auth
  if (tree.loggers !== undefined) {
    const logging = importLoggers(tree.loggers, notes)
    if (logging) file.logging = logging
  }
  if (tree.before !== undefined) notes.push({ text: "before handlers not carried over: Python handlers cannot run here; use auth.groups rpm/tpm limits, or a plugin's beforeRequest hook (docs/plugins.md)" })
  for (const k of Object.keys(tree)) if (!HANDLED.has(k)) notes.push({ text: `${k} not carried over: unknown to this importer` })
  return { file, notes }
}

function importAuth(tree: Record<string, any>, renamed: Map<string, string>, notes: Note[]): Record<string, any> | undefined {
  const groups: Record<string, any> = {}
  const keys: Array<Record<string, string>> = []
  for (const [g, v] of Object.entries(isMap(tree.groups) ? tree.groups : {})) {
    if (!isMap(v)) continue
    const allowed = v.allowed_connections
    const list = Array.isArray(allowed) ? allowed.map(String) : typeof allowed === 'string' ? allowed.split(',').map((s) => s.trim()).filter(Boolean) : ['*']
    const providers = list.map((c) => (c === '*' ? '*' : (renamed.get(c) ?? c)))
    groups[g] = { providers }
    const ks: unknown[] = Array.isArray(v.api_keys) ? v.api_keys : []
    ks.forEach((k, i) => typeof k === 'string' && keys.push({ key: String(envRef(k)), name: `${g}-${i + 1}`, group: g }))
    for (const k of Object.keys(v)) if (!['api_keys', 'allowed_connections'].includes(k)) notes.push({ at: ['auth', 'groups', g], text: `groups.${g}.${k} not carried over: unknown to this importer` })
  }
  const check = tree.api_key_check
  let authCheck: Record<string, any> | undefined
  if (typeof check === 'string' && check !== CONFIG_CHECK)
    notes.push({ text: `api_key_check ${shown(check)} not carried over: Python validators cannot run here; use auth.check (an HTTP validator) or a plugin's authenticate hook (docs/plugins.md)` })
  if (isMap(check)) {
    if (String(check.class ?? '').endsWith('CheckAPIKeyWithRequest') && typeof check.url === 'string') {
      authCheck = { url: check.url, method: String(check.method ?? 'GET').toUpperCase() }
      if (isMap(check.headers)) authCheck.headers = check.headers
      const ttl = seconds(check.cache_ttl)
      if (ttl && check.use_cache !== false) authCheck.cache_ttl = ttl
      if (check.use_cache === false) authCheck.cache_ttl = '0s'
      const t = seconds(check.timeout)
      if (t) authCheck.timeout = t
      notes.push({ at: ['auth', 'check'], text: 'the validator answer must be JSON; its "group" field picks the group (group_claim)' })
    } else notes.push({ text: `api_key_check ${shown(check.class)} not carried over: only CheckAPIKeyWithRequest has an equivalent (auth.check)` })
  }
  if (!keys.length && !authCheck) {
    if (Object.keys(groups).length) notes.push({ text: 'groups without api_keys: no client key is required (auth: omitted)' })
    return undefined
  }
  return { ...(keys.length && { keys }), groups, ...(authCheck && { check: authCheck }) }
}

/** lm-proxy log-entry paths → the request line's fields (ours) */
const ENTRY_SOURCES: Record<string, string> = {
  'request.model': 'model',
  'response.model': 'upstream_model',
  'response.usage.prompt_tokens': 'input_tokens',
  'response.usage.completion_tokens': 'output_tokens',
  group: 'group',
  connection: 'provider',
  api_key_id: 'key',
  remote_addr: 'remote_addr',
  duration: 'duration_ms',
}

/** `[[loggers]]`: an entry_transformer's field mapping → logging.fields, a JSON writer's file → logging.file */
function importLoggers(loggers: unknown, notes: Note[]): Record<string, any> | undefined {
  const list = (Array.isArray(loggers) ? loggers : [loggers]).filter(isMap)
  const fields: Record<string, string> = {}
  const logging: Record<string, any> = {}
  let mapped = false
  for (const l of list) {
    const t = l.entry_transformer
    if (isMap(l.log_writer) && typeof l.log_writer.file_name === 'string') logging.file = l.log_writer.file_name
    if (!isMap(t)) continue
    mapped = true
    for (const [theirs, source] of Object.entries(t)) {
      if (theirs === 'class') continue
      const ours = typeof source === 'string' ? ENTRY_SOURCES[source] : undefined
      if (!ours) {
        notes.push({ at: ['logging'], text: `logger field ${theirs} (${shown(source)}) not carried over: the request line has no such field (prompt and response text are not logged)` })
        continue
      }
      if (ours === 'remote_addr') logging.remote_addr = true
      if (ours === 'duration_ms') notes.push({ at: ['logging'], text: `logger field ${theirs}: llm-proxy logs the duration in milliseconds (lm-proxy: seconds)` })
      if (theirs !== ours) fields[ours] = theirs
    }
  }
  if (!mapped) notes.push({ text: "loggers not carried over: llm-proxy writes one JSON line per request (logging:, logging.remote_addr) and a usage ledger (usage:); extra fields come from a plugin's log hook (docs/plugins.md)" })
  else notes.push({ at: ['logging'], text: 'the request line keeps its other fields too (map one to false in logging.fields to leave it out)' })
  if (Object.keys(fields).length) logging.fields = fields
  return Object.keys(logging).length ? logging : undefined
}
