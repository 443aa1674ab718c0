// The Anthropic-front proxy (Claude Code and Anthropic SDKs in front, OpenAI-compatible servers
// behind): `backends: {name: {base_url, api_key | api_key_env, headers, timeout}}` and
// `models: {client-name: {backend, model}}`, optionally `default_backend` / `default_model`,
// host/port. Our router serves the Anthropic front door for every provider, so the mapping is
// one provider per backend and one models: entry per name.
import { API_FORMATS, OPENAI_COMPATIBLE } from '../../config/known-providers'
import { envRef } from './from-lm-proxy'
import { ImportError, isMap, safeName, seconds, shown, uniqueName, type Imported, type Note } from './imported'

const BACKEND_KEYS = new Set(['base_url', 'url', 'api_base', 'api_key', 'api_key_env', 'headers', 'timeout', 'type', 'format', 'api_format'])

export function fromAnthropicFront(tree: unknown): Imported {
  if (!isMap(tree) || !isMap(tree.backends) || !isMap(tree.models))
    throw new ImportError('not an Anthropic-front proxy config: expected backends: and models: mappings')
  const notes: Note[] = []
  const providers: Record<string, any> = {}
  const renamed = new Map<string, string>()
  for (const [b, v] of Object.entries(tree.backends)) {
    const name = uniqueName(safeName(b), new Set(Object.keys(providers)))
    const url = isMap(v) ? (v.base_url ?? v.url ?? v.api_base) : undefined
    if (!isMap(v) || typeof url !== 'string') {
      notes.push({ text: `backends.${b} not carried over: no base_url (got ${shown(v)})` })
      continue
    }
    renamed.set(b, name)
    const format = String(v.type ?? v.format ?? v.api_format ?? 'openai').toLowerCase()
    const p: Record<string, any> = { dialect: API_FORMATS[format] ?? OPENAI_COMPATIBLE, base_url: url.replace(/\/+$/, '') }
    if (!API_FORMATS[format]) notes.push({ at: ['providers', name], text: `backend type ${shown(format)} unknown: assumed OpenAI-compatible` })
    if (typeof v.api_key_env === 'string') p.api_key = `\${${v.api_key_env}}`
    else if (v.api_key !== undefined) p.api_key = envRef(v.api_key)
    if (isMap(v.headers)) p.headers = v.headers
    const t = seconds(v.timeout)
    if (t) p.first_byte_timeout = t
    for (const k of Object.keys(v)) if (!BACKEND_KEYS.has(k)) notes.push({ at: ['providers', name], text: `backends.${b}.${k} not carried over: unknown to this importer` })
    providers[name] = p
  }
  const models: Record<string, any> = {}
  for (const [m, v] of Object.entries(tree.models)) {
    const backend = isMap(v) ? renamed.get(String(v.backend)) : undefined
    if (!isMap(v) || !backend) {
      notes.push({ text: `models.${m} not carried over: expected {backend, model} naming a backend (got ${shown(v)})` })
      continue
    }
    models[m] = `${backend}/${v.model ?? m}`
    for (const k of Object.keys(v)) if (!['backend', 'model'].includes(k)) notes.push({ at: ['models', m], text: `models.${m}.${k} not carried over: unknown to this importer` })
  }
  const file: Record<string, any> = {}
  const server: Record<string, any> = {}
  if (tree.host !== undefined) server.host = String(tree.host)
  if (tree.port !== undefined) server.port = Number(tree.port)
  if (Object.keys(server).length) file.server = server
  file.providers = providers
  file.models = models
  const policy: Record<string, any> = {}
  if (typeof tree.default_model === 'string') policy.default_model = tree.default_model
  if (typeof tree.default_backend === 'string') {
    const dp = renamed.get(tree.default_backend)
    if (dp) policy.default_provider = dp
    else notes.push({ text: `default_backend ${shown(tree.default_backend)} not carried over: no such backend` })
  }
  if (Object.keys(policy).length) file.policy = policy
  for (const k of Object.keys(tree)) if (!['backends', 'models', 'host', 'port', 'default_model', 'default_backend'].includes(k)) notes.push({ text: `${k} not carried over: unknown to this importer` })
  return { file, notes }
}
