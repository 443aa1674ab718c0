// vandamme-proxy: its environment (`{P}_API_KEY`, `{P}_BASE_URL`, `{P}_API_FORMAT`,
// `{P}_ALIAS_{NAME}`, `VDM_ALIAS_{NAME}`, `VDM_DEFAULT_PROVIDER`, HOST, PORT, LOG_LEVEL) and its
// TOML (`[poe] base-url api-format timeout max-retries auth-mode` + `[poe.aliases]`,
// `[defaults.aliases]`, `[profiles.*]`). The environment wins over the TOML, as in vandamme. The
// result is what env-only setup (zero-config.ts) builds from the same variables, providers keeping
// vandamme's names (POE_* → poe) so `poe:model` keeps routing.
import type { Env } from '../../config/interpolate'
import { envSetup, providerNameOf } from '../../config/zero-config'
import { isMap, seconds, shown, type Imported, type Note } from './imported'

const PROVIDER_KEYS = new Set(['base-url', 'api-format', 'timeout', 'max-retries', 'aliases', 'auth-mode', 'models-url', 'model-page'])
const IGNORED_INFO = new Set(['models-url', 'model-page'])
const envPrefix = (name: string) => name.toUpperCase().replace(/-/g, '_')

/** `env` undefined: no environment was read (TOML only); every TOML provider then keeps `${P_API_KEY}`. */
export function fromVandamme(tomls: unknown[], env: Env | undefined): Imported {
  const notes: Note[] = []
  const fromToml: Env = {}
  const extras = new Map<string, Record<string, any>>()
  for (const t of tomls) if (isMap(t)) readToml(t, fromToml, extras, notes, env === undefined)
  const merged: Env = { ...fromToml, ...(env ?? {}) }
  const setup = envSetup(merged)
  for (const n of setup.notes) notes.push({ text: `${n.variable}: ${n.text}${n.error ? ' (not carried over)' : ''}` })
  const file: Record<string, any> = { ...setup.file }
  for (const [name, extra] of extras) {
    const p = file.providers?.[name]
    if (p) Object.assign(p, extra)
    else notes.push({ text: `[${name}] not carried over: ${envPrefix(name)}_API_KEY is not set (vandamme skips it too)` })
  }
  const server: Record<string, any> = {}
  if (merged.HOST) server.host = merged.HOST
  if (merged.PORT) server.port = Number(merged.PORT)
  if (Object.keys(server).length) file.server = server
  if (merged.LOG_LEVEL) file.logging = { level: merged.LOG_LEVEL.toLowerCase() }
  for (const v of Object.keys(env ?? {}).sort())
    if (v.startsWith('VDM_') && !v.startsWith('VDM_ALIAS_') && v !== 'VDM_DEFAULT_PROVIDER')
      notes.push({ text: `${v} not carried over: unknown to this importer` })
  notes.push({ at: ['models'], text: 'aliases match exactly here; vandamme also matches them case-insensitively and by substring (not yet supported)' })
  return { file, notes }
}

function readToml(t: Record<string, any>, out: Env, extras: Map<string, Record<string, any>>, notes: Note[], synthesizeKeys: boolean): void {
  for (const [section, v] of Object.entries(t)) {
    if (!isMap(v)) {
      notes.push({ text: `${section} = ${shown(v)} not carried over: unknown to this importer` })
      continue
    }
    if (section === 'profiles') {
      notes.push({ text: `[profiles] (${Object.keys(v).join(', ')}) not carried over: profiles are not yet supported; define the aliases you use as models: entries` })
      continue
    }
    if (section === 'defaults') {
      for (const [a, target] of Object.entries(isMap(v.aliases) ? v.aliases : {})) out[`VDM_ALIAS_${envPrefix(a)}`] = String(target)
      for (const k of Object.keys(v)) if (k !== 'aliases') notes.push({ text: `[defaults] ${k} not carried over: set per provider or use policy.default_provider` })
      continue
    }
    const P = envPrefix(section)
    const name = providerNameOf(P)
    if (synthesizeKeys) out[`${P}_API_KEY`] = 'from-environment'
    if (typeof v['base-url'] === 'string') out[`${P}_BASE_URL`] = v['base-url']
    if (typeof v['api-format'] === 'string') out[`${P}_API_FORMAT`] = v['api-format']
    for (const [a, target] of Object.entries(isMap(v.aliases) ? v.aliases : {})) out[`${P}_ALIAS_${envPrefix(a)}`] = String(target)
    const extra: Record<string, any> = {}
    const t = seconds(v.timeout)
    if (t) extra.first_byte_timeout = t
    if (typeof v['max-retries'] === 'number') extra.max_retries = v['max-retries']
    if (v['auth-mode'] === 'passthrough') extra.api_key = 'passthrough'
    else if (v['auth-mode'] !== undefined) notes.push({ at: ['providers', name], text: `auth-mode ${shown(v['auth-mode'])} not carried over: only passthrough is supported` })
    extras.set(name, extra)
    for (const k of Object.keys(v)) if (!PROVIDER_KEYS.has(k)) notes.push({ at: ['providers', name], text: `${k} not carried over: unknown to this importer` })
    for (const k of Object.keys(v)) if (IGNORED_INFO.has(k)) notes.push({ at: ['providers', name], text: `${k} not carried over: informational in vandamme` })
  }
}
