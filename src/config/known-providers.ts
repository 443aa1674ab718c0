// Providers known by name: their dialect, default base URL, the usual key variable and the model
// families they serve. The dialects' own (openai, anthropic, gemini) come from the registry. Used by env-only setup (a `{P}_API_KEY` needs no `{P}_BASE_URL` for
// these) and by `llm-proxy import` (a bare model name of a known family finds its provider).
import { dialects, type DialectName } from '../dialects'

export interface KnownProvider {
  name: string
  dialect: DialectName
  base_url: string
  /** the key variables, first one preferred */
  env: string[]
  /** model-name globs this provider serves (routing for bare names) */
  families: string[]
}

/** OpenAI-compatible (and Anthropic-compatible) services known by name, beside the dialects' own */
const COMPATIBLE: readonly KnownProvider[] = [
  { name: 'deepseek', dialect: 'openai-chat', base_url: 'https://api.deepseek.com/v1', env: ['DEEPSEEK_API_KEY'], families: ['deepseek-*'] },
  { name: 'mistral', dialect: 'openai-chat', base_url: 'https://api.mistral.ai/v1', env: ['MISTRAL_API_KEY'], families: ['mistral-*', 'codestral-*', 'magistral-*', 'devstral-*'] },
  { name: 'xai', dialect: 'openai-chat', base_url: 'https://api.x.ai/v1', env: ['XAI_API_KEY'], families: ['grok-*'] },
  { name: 'groq', dialect: 'openai-chat', base_url: 'https://api.groq.com/openai/v1', env: ['GROQ_API_KEY'], families: [] },
  { name: 'together', dialect: 'openai-chat', base_url: 'https://api.together.xyz/v1', env: ['TOGETHER_API_KEY', 'TOGETHERAI_API_KEY'], families: [] },
  { name: 'fireworks', dialect: 'openai-chat', base_url: 'https://api.fireworks.ai/inference/v1', env: ['FIREWORKS_API_KEY'], families: [] },
  { name: 'cerebras', dialect: 'openai-chat', base_url: 'https://api.cerebras.ai/v1', env: ['CEREBRAS_API_KEY'], families: [] },
  { name: 'openrouter', dialect: 'openai-chat', base_url: 'https://openrouter.ai/api/v1', env: ['OPENROUTER_API_KEY'], families: [] },
  { name: 'poe', dialect: 'openai-chat', base_url: 'https://api.poe.com/v1', env: ['POE_API_KEY'], families: [] },
  { name: 'zai', dialect: 'anthropic', base_url: 'https://api.z.ai/api/anthropic', env: ['ZAI_API_KEY'], families: ['glm-*'] },
]

/** The dialects' own zero-config discovery (openai, anthropic, gemini) first, then the compatible services. */
export function knownProviders(): KnownProvider[] {
  const own = dialects().flatMap((d) =>
    d.discovery && d.defaultBaseUrl
      ? [{ name: d.discovery.provider, dialect: d.name as DialectName, base_url: d.defaultBaseUrl, env: d.discovery.vars, families: d.discovery.families }]
      : [],
  )
  return [...own, ...COMPATIBLE.filter((c) => !own.some((o) => o.name === c.name))]
}

/**
 * Other tools' names for an API format → our dialect: vandamme's `{P}_API_FORMAT` / `api-format`,
 * lm-proxy's `api_type`, the Anthropic-front proxy's and python-llm-proxy's backend types. The
 * one table of foreign format names (the architecture test allows dialect names here).
 */
export const API_FORMATS: Record<string, DialectName> = {
  openai: 'openai-chat',
  open_ai: 'openai-chat',
  azure: 'openai-chat',
  google_ai_studio: 'gemini',
  'openai-chat': 'openai-chat',
  chat: 'openai-chat',
  responses: 'openai-responses',
  'openai-responses': 'openai-responses',
  anthropic: 'anthropic',
  claude: 'anthropic',
  gemini: 'gemini',
  google: 'gemini',
}

/** the dialect of OpenAI-compatible servers (the default for a backend of unknown type) */
export const OPENAI_COMPATIBLE: DialectName = API_FORMATS.openai

export const knownProvider = (name: string): KnownProvider | undefined => knownProviders().find((p) => p.name === name)

/** The known provider whose families match a bare model name (gpt-4o → openai). */
export function providerForModel(model: string): KnownProvider | undefined {
  const m = model.toLowerCase()
  return knownProviders().find((p) => p.families.some((f) => globLike(f, m)))
}

const globLike = (glob: string, name: string) => (glob.endsWith('*') ? name.startsWith(glob.slice(0, -1)) : name === glob)

