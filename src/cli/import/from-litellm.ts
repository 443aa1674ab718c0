// LiteLLM proxy `config.yaml`: `model_list` ({model_name, litellm_params: {model: "provider/name",
// api_base, api_key: "os.environ/X", api_version, weight, rpm, tpm}}), `router_settings`
// (routing_strategy, num_retries, timeout, fallbacks, redis_*), `litellm_settings` (fallbacks,
// num_retries, request_timeout), `general_settings` (master_key → a required client key,
// database_url → the usage store). Deployments sharing a model_name become one alias.
import { knownProvider, OPENAI_COMPATIBLE, providerForModel } from '../../config/known-providers'
import { ImportError, isMap, noteUnknown, seconds, shown, uniqueName, type Imported, type Note } from './imported'

interface Kind {
  dialect: string
  base?: string
  keyVar?: string
}

// LiteLLM provider prefixes that are not known providers by the same name (knownProvider covers
// openai, anthropic, gemini, deepseek, mistral, groq, xai, openrouter, cerebras): all speak the
// OpenAI-compatible API
const KINDS: Record<string, Kind> = {
  text_completion_openai: { dialect: OPENAI_COMPATIBLE, base: 'https://api.openai.com/v1', keyVar: 'OPENAI_API_KEY' },
  azure: { dialect: OPENAI_COMPATIBLE, keyVar: 'AZURE_API_KEY' },
  ollama: { dialect: OPENAI_COMPATIBLE, base: 'http://localhost:11434' },
  ollama_chat: { dialect: OPENAI_COMPATIBLE, base: 'http://localhost:11434' },
  hosted_vllm: { dialect: OPENAI_COMPATIBLE },
  together_ai: { dialect: OPENAI_COMPATIBLE, base: 'https://api.together.xyz/v1', keyVar: 'TOGETHERAI_API_KEY' },
  fireworks_ai: { dialect: OPENAI_COMPATIBLE, base: 'https://api.fireworks.ai/inference/v1', keyVar: 'FIREWORKS_AI_API_KEY' },
}
const STRATEGY_NOTE = 'is not supported (we pick by round_robin, random, weighted or fallback)'
const PARAM_KEYS = ['model', 'api_base', 'api_key', 'api_version', 'weight', 'timeout', 'max_retries']

/** "os.environ/X" → "${X}" */
const envRef = (v: unknown): string | undefined =>
  typeof v !== 'string' ? undefined : /^os\.environ\/[A-Za-z_]\w*$/.test(v) ? `\${${v.slice(11)}}` : v

export function fromLitellm(tree: unknown): Imported {
  if (!isMap(tree) || !Array.isArray(tree.model_list)) throw new ImportError('not a LiteLLM proxy config: expected a model_list')
  const notes: Note[] = []
  const router = isMap(tree.router_settings) ? tree.router_settings : {}
  const lset = isMap(tree.litellm_settings) ? tree.litellm_settings : {}
  const general = isMap(tree.general_settings) ? tree.general_settings : {}
  const providers: Record<string, any> = {}
  const byDeployment = new Map<string, string>()
  const groups = new Map<string, Array<{ target: string; weight?: number }>>()

  tree.model_list.forEach((d: unknown, i: number) => {
    const params = isMap(d) && isMap(d.litellm_params) ? d.litellm_params : undefined
    if (!isMap(d) || typeof d.model_name !== 'string' || !params || typeof params.model !== 'string') {
      notes.push({ text: `model_list[${i}] not carried over: needs model_name and litellm_params.model (got ${shown(d)})` })
      return
    }
    const slash = params.model.indexOf('/')
    const prefix = slash > 0 ? params.model.slice(0, slash) : (providerForModel(params.model)?.name ?? 'openai')
    const upstream = slash > 0 ? params.model.slice(slash + 1) : params.model
    const known = knownProvider(prefix)
    const kind = KINDS[prefix] ?? (known && { dialect: known.dialect, base: known.base_url, keyVar: known.env[0] })
    if (!kind) {
      notes.push({ text: `model_list[${i}] (${d.model_name}) not carried over: LiteLLM provider "${prefix}" has no llm-proxy dialect yet` })
      return
    }
    const provider = providerFor(prefix, kind, params, providers, byDeployment, notes, i)
    if (!provider) return
    const list = groups.get(d.model_name) ?? []
    list.push({ target: `${provider}/${upstream}`, ...(typeof params.weight === 'number' && { weight: params.weight }) })
    groups.set(d.model_name, list)
    noteUnknown(notes, params, PARAM_KEYS, `model_list[${i}].litellm_params.`, (k) =>
      k === 'rpm' || k === 'tpm' ? 'per-deployment limits are not supported (limits are per key or group)' : 'unknown to this importer',
    )
    noteUnknown(notes, d, ['model_name', 'litellm_params', 'model_info'], `model_list[${i}].`)
  })

  const strategy = routingStrategy(router.routing_strategy, notes)
  const fallbacks = fallbackMap([...(Array.isArray(router.fallbacks) ? router.fallbacks : []), ...(Array.isArray(lset.fallbacks) ? lset.fallbacks : [])], notes)
  const models: Record<string, any> = {}
  for (const [name, list] of groups) {
    const fb = (fallbacks.get(name) ?? []).flatMap((f) => {
      const g = groups.get(f)
      if (!g) notes.push({ at: ['models', name], text: `fallback ${shown(f)} not carried over: no model_name of that name` })
      return (g ?? []).map((x) => x.target)
    })
    if (list.length === 1 && fb.length === 0) {
      models[name] = list[0].target
      continue
    }
    const weighted = list.some((x) => x.weight !== undefined)
    models[name] = {
      strategy: list.length === 1 ? 'fallback' : weighted ? 'weighted' : strategy,
      targets: list.map((x) => (weighted ? { model: x.target, weight: x.weight ?? 1 } : x.target)),
      ...(fb.length && { fallbacks: fb }),
    }
  }
  const file: Record<string, any> = { providers, models }
  const retries = router.num_retries ?? lset.num_retries
  if (typeof retries === 'number') for (const p of Object.values(providers)) p.max_retries ??= retries
  const timeout = seconds(router.timeout ?? lset.request_timeout)
  if (timeout) file.server = { request_timeout: timeout }
  if (general.master_key !== undefined) file.auth = { keys: [{ key: envRef(general.master_key), name: 'master' }] }
  const db = envRef(general.database_url)
  if (db) file.usage = { store: db }
  if (router.redis_host !== undefined) {
    const pw = envRef(router.redis_password)
    file.state = { redis: `redis://${pw ? `:${pw}@` : ''}${envRef(router.redis_host)}:${envRef(String(router.redis_port ?? 6379))}` }
  } else if (typeof router.redis_url === 'string') file.state = { redis: envRef(router.redis_url) }
  const fallbackWhy = (k: string) => (k.includes('fallbacks') ? 'only plain fallbacks are supported' : 'unknown to this importer')
  noteUnknown(notes, router, ['routing_strategy', 'num_retries', 'timeout', 'fallbacks', 'redis_host', 'redis_port', 'redis_password', 'redis_url'], 'router_settings.', fallbackWhy)
  noteUnknown(notes, lset, ['fallbacks', 'num_retries', 'request_timeout'], 'litellm_settings.', (k) =>
    k === 'drop_params' ? 'llm-proxy drops what the upstream dialect cannot take on its own' : fallbackWhy(k),
  )
  noteUnknown(notes, general, ['master_key', 'database_url'], 'general_settings.')
  noteUnknown(notes, tree, ['model_list', 'router_settings', 'litellm_settings', 'general_settings', 'environment_variables'], '')
  if (tree.environment_variables !== undefined) notes.push({ text: 'environment_variables not carried over: export them (or put them in .env) instead' })
  return { file, notes }
}

function providerFor(prefix: string, kind: Kind, params: Record<string, any>, providers: Record<string, any>, seen: Map<string, string>, notes: Note[], i: number): string | undefined {
  const key = envRef(params.api_key) ?? (kind.keyVar && `\${${kind.keyVar}}`)
  let base = typeof params.api_base === 'string' ? params.api_base.replace(/\/+$/, '') : kind.base
  if (prefix.startsWith('ollama') && base && !base.endsWith('/v1')) base = `${base}/v1` // its OpenAI-compatible API
  const id = JSON.stringify([prefix, base, key, params.api_version])
  const known = seen.get(id)
  if (known) return known
  const p: Record<string, any> = { dialect: kind.dialect }
  if (!base) {
    notes.push({ text: `model_list[${i}] not carried over: provider "${prefix}" needs an api_base` })
    return undefined
  }
  p.base_url = prefix === 'azure' ? `${base}/openai/deployments/{model}` : base
  if (key !== undefined && !prefix.startsWith('ollama')) p.api_key = key
  if (prefix === 'azure') {
    p.query = { 'api-version': String(envRef(params.api_version) ?? '2024-10-21') }
    p.auth_header = 'api-key'
    p.auth_scheme = ''
  }
  const t = seconds(params.timeout)
  if (t) p.first_byte_timeout = t
  if (typeof params.max_retries === 'number') p.max_retries = params.max_retries
  const name = uniqueName(prefix.replace(/_/g, '-'), new Set(Object.keys(providers)))
  providers[name] = p
  seen.set(id, name)
  return name
}

function routingStrategy(s: unknown, notes: Note[]): string {
  if (s === undefined || s === 'simple-shuffle') return 'random'
  notes.push({ text: `router_settings.routing_strategy ${shown(s)} ${STRATEGY_NOTE}: round_robin used` })
  return 'round_robin'
}

/** [{"gpt-4o": ["claude", "local"]}, …] → name → fallback model_names */
function fallbackMap(list: unknown[], notes: Note[]): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const f of list) {
    if (!isMap(f)) {
      notes.push({ text: `fallbacks entry ${shown(f)} not carried over: expected {model_name: [fallback names]}` })
      continue
    }
    for (const [name, to] of Object.entries(f)) out.set(name, [...(out.get(name) ?? []), ...(Array.isArray(to) ? to.map(String) : [String(to)])])
  }
  return out
}
