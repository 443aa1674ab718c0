// python-llm-proxy: a `models:` list of {frontend_model_name, frontend_base_url, backend_base_url,
// backend_model_name, backend_api_key, system_replacements, system_append, inject_progress}.
// Each distinct backend (URL + key) becomes a provider named after its host; each item an alias
// with its system transforms; a frontend_base_url path other than / and /v1 becomes the entry's
// base_path (and a served base path). A name listed under several base paths becomes one key per
// base path (`name@/team-a`, `name@/` for the root).
import { API_FORMATS, OPENAI_COMPATIBLE } from '../../config/known-providers'
import { envRef } from './from-lm-proxy'
import { ImportError, isMap, nameFromUrl, seconds, shown, uniqueName, type Imported, type Note } from './imported'

const ITEM_KEYS = new Set([
  'frontend_model_name', 'frontend_base_url', 'backend_base_url', 'backend_model_name', 'backend_api_key', 'backend_api_key_env',
  'backend_api_type', 'backend_type', 'backend_timeout', 'system_replacements', 'system_append', 'system_prepend', 'inject_progress',
])

export function fromPythonLlmProxy(tree: unknown): Imported {
  if (!isMap(tree) || !Array.isArray(tree.models) || !tree.models.some((m) => isMap(m) && 'frontend_model_name' in m))
    throw new ImportError('not a python-llm-proxy config: expected a models: list with frontend_model_name entries')
  const notes: Note[] = []
  const providers: Record<string, any> = {}
  const byBackend = new Map<string, string>()
  const models: Record<string, any> = {}
  const basePaths = new Set<string>()
  const items: Array<{ name: string; bp: string | undefined; alias: Record<string, any>; extra: string[] }> = []
  tree.models.forEach((item: unknown, i: number) => {
    if (!isMap(item) || typeof item.frontend_model_name !== 'string' || typeof item.backend_base_url !== 'string') {
      notes.push({ text: `models[${i}] not carried over: needs frontend_model_name and backend_base_url (got ${shown(item)})` })
      return
    }
    const name = item.frontend_model_name
    const key = item.backend_api_key_env ? `\${${item.backend_api_key_env}}` : envRef(item.backend_api_key)
    const type = String(item.backend_api_type ?? item.backend_type ?? 'openai').toLowerCase()
    const backendId = JSON.stringify([item.backend_base_url, key, type])
    let provider = byBackend.get(backendId)
    if (!provider) {
      provider = uniqueName(nameFromUrl(item.backend_base_url), new Set(Object.keys(providers)))
      byBackend.set(backendId, provider)
      providers[provider] = { dialect: API_FORMATS[type] ?? OPENAI_COMPATIBLE, base_url: item.backend_base_url.replace(/\/+$/, '') }
      if (key !== undefined && key !== '') providers[provider].api_key = key
      const t = seconds(item.backend_timeout)
      if (t) providers[provider].first_byte_timeout = t
    }
    const alias: Record<string, any> = { targets: [`${provider}/${item.backend_model_name ?? name}`] }
    const system: Record<string, any> = {}
    const repl = replacements(item.system_replacements)
    if (repl) system.replace = repl
    else if (item.system_replacements !== undefined) notes.push({ text: `models[${i}].system_replacements not carried over: expected a mapping or a list of [from, to] pairs` })
    if (typeof item.system_prepend === 'string') system.prepend = item.system_prepend
    if (typeof item.system_append === 'string') system.append = item.system_append
    if (Object.keys(system).length) alias.system = system
    const bp = basePath(item.frontend_base_url)
    if (bp) {
      alias.base_path = bp
      basePaths.add(bp)
    }
    if (items.some((x) => x.name === name && x.bp === bp)) {
      notes.push({ text: `models[${i}] (${name}${bp ? ` under ${bp}` : ''}) not carried over: the same name under the same base path twice (the first is kept)` })
      return
    }
    if (item.inject_progress === true) alias.inject_progress = true
    items.push({ name, bp, alias, extra: Object.keys(item).filter((k) => !ITEM_KEYS.has(k)) })
  })
  // a name under several base paths: one table per base path (`name@/base`, the root one `name@/`)
  const count = (n: string) => items.filter((x) => x.name === n).length
  for (const { name, bp, alias, extra } of items) {
    const key = count(name) > 1 ? `${name}@${bp ?? '/'}` : name
    if (key !== name) delete alias.base_path
    models[key] = alias
    for (const k of extra) notes.push({ at: ['models', key], text: `${k} not carried over: unknown to this importer` })
  }
  const file: Record<string, any> = {}
  const server: Record<string, any> = {}
  if (tree.host !== undefined) server.host = String(tree.host)
  if (tree.port !== undefined) server.port = Number(tree.port)
  if (basePaths.size) server.base_paths = ['/', ...basePaths]
  if (Object.keys(server).length) file.server = server
  file.providers = providers
  file.models = models
  for (const k of Object.keys(tree)) if (!['models', 'host', 'port'].includes(k)) notes.push({ text: `${k} not carried over: unknown to this importer` })
  return { file, notes }
}

function replacements(v: unknown): Record<string, string> | undefined {
  if (isMap(v) && Object.values(v).every((x) => typeof x === 'string')) return v as Record<string, string>
  if (!Array.isArray(v)) return undefined
  const out: Record<string, string> = {}
  for (const r of v) {
    if (Array.isArray(r) && r.length === 2) out[String(r[0])] = String(r[1])
    else if (isMap(r) && 'from' in r && 'to' in r) out[String(r.from)] = String(r.to)
    else return undefined
  }
  return out
}

/** "http://host:8080/team-a/v1" or "/team-a" → "/team-a"; "/", "/v1" or none → undefined */
function basePath(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined
  let path = v
  try {
    if (/^https?:\/\//.test(v)) path = new URL(v).pathname
  } catch {
    return undefined
  }
  path = path.replace(/\/+$/, '').replace(/\/v1$/, '')
  return path === '' || path === '/' ? undefined : path.startsWith('/') ? path : `/${path}`
}
