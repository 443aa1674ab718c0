// `llm-proxy keys create|list|show|update|disable|enable|rotate|delete`: database keys, managed
// without touching the config file (which only names the groups) and without a restart: a running
// proxy picks every change up within a second.
import type { Config } from '../config/types'
import { createKey, KeyInputError, rotateKey, showKey, specToPatch, type KeySpec } from '../keys/key-operations'
import { KeyConflict, openKeyStore, type KeyStore } from '../keys/key-store'
import { describeKey } from '../keys/virtual-key'

export const KEYS_SUBCOMMANDS = ['create', 'list', 'show', 'update', 'disable', 'enable', 'rotate', 'delete'] as const
type Sub = (typeof KEYS_SUBCOMMANDS)[number]

export const KEYS_HELP = `llm-proxy keys: client keys kept in the usage database (usage.store)

  llm-proxy keys create --name NAME [--group GROUP] [--models GLOB,GLOB] [--rpm N] [--tpm N]
                        [--max-concurrent N] [--budget 50/month] [--expires 30d] [--json]
  llm-proxy keys list [--json]
  llm-proxy keys show NAME [--json]
  llm-proxy keys update NAME [same options as create; "none" clears one]
  llm-proxy keys disable|enable|rotate|delete NAME
All take --config FILE (else $LLM_PROXY_CONFIG) and --env FILE. The key is printed once, at
create and rotate; only its SHA-256 is stored. The config file is never modified.`

export interface KeysArgs {
  sub: Sub
  name?: string
  spec: KeySpec
  json: boolean
  config?: string
  env?: string
}

const VALUE_FLAGS = ['name', 'group', 'models', 'rpm', 'tpm', 'max-concurrent', 'budget', 'expires', 'config', 'env'] as const

/** argv after `keys`; throws KeyInputError on anything wrong */
export function parseKeysArgs(argv: readonly string[]): KeysArgs {
  const sub = argv[0] as Sub
  if (!(KEYS_SUBCOMMANDS as readonly string[]).includes(sub)) throw new KeyInputError(`keys needs one of ${KEYS_SUBCOMMANDS.join(', ')}${sub ? ` (got ${JSON.stringify(sub)})` : ''}`)
  const out: KeysArgs = { sub, spec: {}, json: false }
  const values: Record<string, string> = {}
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') {
      out.json = true
      continue
    }
    if (!a.startsWith('--')) {
      if (out.name !== undefined) throw new KeyInputError(`unexpected argument ${JSON.stringify(a)}`)
      out.name = a
      continue
    }
    const eq = a.indexOf('=')
    const flag = eq < 0 ? a.slice(2) : a.slice(2, eq)
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new KeyInputError(`unknown flag --${flag} for keys ${sub}`)
    const v = eq >= 0 ? a.slice(eq + 1) : argv[++i]
    if (v === undefined) throw new KeyInputError(`--${flag} needs a value`)
    values[flag] = v
  }
  if (values.name !== undefined) {
    if (out.name !== undefined && out.name !== values.name) throw new KeyInputError('give the name once')
    out.name = values.name
  }
  out.config = values.config
  out.env = values.env
  const clear = (v: string) => v === 'none'
  const int = (f: string, v: string) => {
    if (clear(v)) return null
    const n = Number(v)
    if (!/^\d+$/.test(v) || n < 1) throw new KeyInputError(`--${f} must be a whole number of at least 1 (got ${JSON.stringify(v)})`)
    return n
  }
  if (values.group !== undefined) out.spec.group = values.group
  if (values.models !== undefined) out.spec.models = clear(values.models) ? null : values.models.split(',').map((m) => m.trim()).filter(Boolean)
  if (values.rpm !== undefined) out.spec.rpm = int('rpm', values.rpm)
  if (values.tpm !== undefined) out.spec.tpm = int('tpm', values.tpm)
  if (values['max-concurrent'] !== undefined) out.spec.max_concurrent = int('max-concurrent', values['max-concurrent'])
  if (values.budget !== undefined) out.spec.budget = clear(values.budget) ? null : values.budget
  if (values.expires !== undefined) out.spec.expires = clear(values.expires) ? null : values.expires
  if (sub !== 'list' && !out.name) throw new KeyInputError(`keys ${sub} needs a NAME`)
  const specGiven = Object.keys(out.spec).length > 0
  if (specGiven && sub !== 'create' && sub !== 'update') throw new KeyInputError(`keys ${sub} takes only a NAME`)
  return out
}

function table(rows: Array<Record<string, unknown>>): string {
  const cols = ['name', 'prefix', 'group', 'status', 'models', 'rpm', 'tpm', 'budget', 'expires_at']
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : Array.isArray(v) ? v.join(',') : String(v))
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)))
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd()
  return [line(cols), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n') + '\n'
}

const fields = (o: Record<string, unknown>) =>
  Object.entries(o)
    .map(([k, v]) => `${k}: ${v === null ? '-' : Array.isArray(v) ? v.join(', ') : v}`)
    .join('\n') + '\n'

/** Runs one keys command; returns the text for stdout (throws KeyInputError / KeyConflict). */
export async function runKeys(cfg: Config, a: KeysArgs, now = Date.now(), store?: KeyStore): Promise<string> {
  const s = store ?? (await openKeyStore(cfg.usage.store))
  try {
    return await run(s, cfg, a, now)
  } finally {
    if (!store) await s.close()
  }
}

async function run(s: KeyStore, cfg: Config, a: KeysArgs, now: number): Promise<string> {
  const name = a.name!
  const missing = () => new KeyInputError(`no database key named ${name}`)
  switch (a.sub) {
    case 'create': {
      const { key, record } = await createKey(s, cfg, { ...a.spec, name }, now)
      if (a.json) return JSON.stringify({ key, ...describeKey(record, now) }) + '\n'
      return `${key}\n\nkey ${record.name} created in group ${record.group}; this is the only time it is shown.\n`
    }
    case 'rotate': {
      const r = await rotateKey(s, name, now)
      if (!r) throw missing()
      return a.json ? JSON.stringify({ key: r.key, ...describeKey(r.record, now) }) + '\n' : `${r.key}\n\nkey ${name} rotated: the old key no longer works.\n`
    }
    case 'list': {
      const rows = (await s.list()).map((k) => describeKey(k, now))
      return a.json ? JSON.stringify(rows) + '\n' : rows.length ? table(rows) : 'no database keys yet: llm-proxy keys create --name NAME\n'
    }
    case 'show': {
      const k = await s.get(name)
      if (!k) throw missing()
      const shown = await showKey(s, k, now)
      return a.json ? JSON.stringify(shown) + '\n' : fields(shown)
    }
    case 'delete': {
      if (!(await s.delete(name))) throw missing()
      return a.json ? JSON.stringify({ name, deleted: true }) + '\n' : `key ${name} deleted\n`
    }
    default: {
      const spec: KeySpec = a.sub === 'disable' ? { disabled: true } : a.sub === 'enable' ? { disabled: false } : a.spec
      const k = await s.update(name, specToPatch(cfg, spec, now), now)
      if (!k) throw missing()
      return a.json ? JSON.stringify(describeKey(k, now)) + '\n' : `key ${name} ${a.sub === 'update' ? 'updated' : a.sub + 'd'}\n`
    }
  }
}

export { KeyConflict, KeyInputError }
