// `llm-proxy check`: the resolved configuration as the server will use it, keys masked, and
// optionally how one model name resolves (`--resolve NAME`).
import type { CliFlags } from './args'
import type { Config } from '../config/types'
import { maskSecret } from '../config/mask'
import { registered } from '../dialects'
import { GatewayError } from '../errors'
import { resolveModel, RoundRobinCounters } from '../routing/resolve-model'

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))

function keysOf(p: Config['providers'][number]): string {
  if (p.passthrough) return 'passthrough (client key)'
  if (registered(p.dialect)?.local) return '-'
  if (p.api_keys.length === 0) return 'none'
  return p.api_keys.map(maskSecret).join(', ')
}

export function runCheck(cfg: Config, flags: CliFlags): string {
  const out: string[] = []
  out.push(`config: ${cfg.source ?? '(none: zero-config mode)'} — valid`)
  out.push(`server: http://${cfg.server.host}:${cfg.server.port}  base paths: ${cfg.server.base_paths.join(', ')}`)
  out.push('', 'providers:')
  for (const p of cfg.providers)
    out.push(`  ${pad(p.name, 16)} ${pad(p.dialect, 17)} ${pad(p.base_url ?? '(local)', 48)} keys: ${keysOf(p)}`)
  if (cfg.providers.length === 0) out.push('  (none)')
  out.push('', 'models (first match wins):')
  for (const e of cfg.models) {
    const targets = e.targets.map((t) => (e.strategy === 'weighted' ? `${t.model}@${t.weight}` : t.model)).join(', ')
    const extra = [e.alias ? e.strategy : '', e.fallbacks.length ? `fallbacks: ${e.fallbacks.join(', ')}` : '', e.base_path ? `base_path ${e.base_path}` : '', e.hidden ? 'hidden' : '']
      .filter(Boolean)
      .join('; ')
    out.push(`  ${pad(e.pattern, 24)} → ${targets}${extra ? `  (${extra})` : ''}`)
  }
  if (cfg.models.length === 0) out.push('  (none; provider/model and provider:model still route)')
  const pol = cfg.policy
  out.push('', `policy: mode ${pol.mode}, default_model ${pol.default_model ?? '-'}, allowed ${pol.allowed_models.join(', ')}, expose_aliases ${pol.expose_aliases}`)
  out.push(`auth: ${cfg.auth ? `${cfg.auth.keys.length} key(s), groups ${Object.keys(cfg.auth.groups).join(', ') || 'default'}${cfg.auth.check ? ', external check' : ''}` : 'none (no client key required)'}`)
  out.push(`usage: ${cfg.usage.store}   state: ${cfg.state.redis ? maskUrl(cfg.state.redis) : 'in memory'}`)
  if (flags.resolve !== undefined) {
    out.push('', `resolve ${flags.resolve}:`)
    try {
      const plan = resolveModel(cfg, flags.resolve, { counters: new RoundRobinCounters(), random: () => 0 })
      plan.attempts.forEach((a, i) => out.push(`  ${i + 1}. ${a.provider.name}/${a.model}  (${a.provider.dialect})`))
    } catch (err) {
      out.push(`  ${err instanceof GatewayError ? `${err.status}: ${err.message}` : String(err)}`)
    }
  }
  return out.join('\n') + '\n'
}

/** redis://user:password@host → redis://user:****@host */
const maskUrl = (u: string) => u.replace(/\/\/([^:/@]*):([^@]*)@/, '//$1:****@')
