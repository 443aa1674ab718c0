// No config file: providers discovered from the usual SDK variables, model names routed by
// family. Produces a config FILE (with `${VAR}` references, so keys stay out of the tree until
// interpolation), then goes through the same validation as any file. `provider/model` names
// need no entry: the router resolves them for any configured provider.
import { dialects, type DialectName } from '../dialects'
import type { Env } from './interpolate'
import type { ConfigFile } from './schema'

export function zeroConfigFile(env: Env): ConfigFile {
  const providers: NonNullable<ConfigFile['providers']> = {}
  const models: NonNullable<ConfigFile['models']> = {}
  // each dialect says which SDK variables announce it and which model families it serves
  for (const { name, discovery: d } of dialects()) {
    if (!d) continue
    const v = d.vars.find((name) => env[name])
    if (!v) continue
    providers[d.provider] = { dialect: name as DialectName, api_key: `\${${v}}` }
    for (const family of d.families) models[family] = `${d.provider}/*`
  }
  return { providers, models }
}
