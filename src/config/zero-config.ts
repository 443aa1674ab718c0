// No config file: providers discovered from the usual SDK variables, model names routed by
// family. Produces a config FILE (with `${VAR}` references, so keys stay out of the tree until
// interpolation), then goes through the same validation as any file. `provider/model` names
// need no entry: the router resolves them for any configured provider.
import type { Env } from './interpolate'
import type { ConfigFile } from './schema'

interface Discovery {
  provider: string
  dialect: 'openai-chat' | 'anthropic' | 'gemini'
  /** the first variable that is set wins */
  vars: string[]
  families: string[]
}

// `o[0-9]*` as plain globs (the router's globs have no character classes)
const O_SERIES = Array.from({ length: 9 }, (_, d) => `o${d + 1}*`)

const DISCOVERY: Discovery[] = [
  { provider: 'openai', dialect: 'openai-chat', vars: ['OPENAI_API_KEY'], families: ['gpt-*', ...O_SERIES, 'chatgpt-*', 'codex-*'] },
  { provider: 'anthropic', dialect: 'anthropic', vars: ['ANTHROPIC_API_KEY'], families: ['claude-*'] },
  { provider: 'gemini', dialect: 'gemini', vars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], families: ['gemini-*'] },
]

export function zeroConfigFile(env: Env): ConfigFile {
  const providers: NonNullable<ConfigFile['providers']> = {}
  const models: NonNullable<ConfigFile['models']> = {}
  for (const d of DISCOVERY) {
    const v = d.vars.find((name) => env[name])
    if (!v) continue
    providers[d.provider] = { dialect: d.dialect, api_key: `\${${v}}` }
    for (const family of d.families) models[family] = `${d.provider}/*`
  }
  return { providers, models }
}
