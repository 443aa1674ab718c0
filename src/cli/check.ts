// `llm-proxy check`: the resolved configuration as the server will use it, keys masked, and
// optionally how one model name resolves (`--resolve NAME`).
import type { CliFlags } from './args'
import type { Config } from '../config/types'
import { maskSecret } from '../config/mask'
import { isLocal, registered } from '../dialects'
import { GatewayError } from '../errors'
import { priceSource } from '../observe/pricing'
import { explainRules, resolveModel, RoundRobinCounters } from '../routing/resolve-model'
import { RuleFacts } from '../routing/rule-conditions'
import { dialectEntry, frontDoorNames } from '../dialects'
import type { DialectName } from '../dialects/dialect'
import type { CanonRequest } from '../canonical/request'
import { readFileSync } from 'node:fs'
import { DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_RESPONSE_SIZE } from '../upstream/read-bounded'

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))

function keysOf(p: Config['providers'][number]): string {
  if (p.passthrough) return 'passthrough (client key)'
  if (registered(p.dialect)?.local) return '-'
  if (p.vertex) return `vertex ${p.vertex.project}/${p.vertex.location}, ${p.vertex.access_token ? `access_token ${maskSecret(p.vertex.access_token)}` : `key file ${p.vertex.credentials_file}`}`
  if (p.api_keys.length === 0) {
    // a dialect that signs its requests (Bedrock SigV4) finds credentials without an api_key
    if (dialectEntry(p.dialect)?.sign) return p.aws_access_key_id ? `signed with key id ${maskSecret(p.aws_access_key_id)}` : 'signed with credentials from the environment or profile, at request time'
    return 'none'
  }
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
    const extra = [e.alias ? e.strategy : '', e.fallbacks.length ? `fallbacks: ${e.fallbacks.join(', ')}` : '', e.base_path ? `base_path ${e.base_path}` : '', e.hidden ? 'hidden' : '', matchNote(e)]
      .filter(Boolean)
      .join('; ')
    out.push(`  ${pad(e.pattern, 24)} → ${targets}${extra ? `  (${extra})` : ''}`)
  }
  if (cfg.models.length === 0) out.push('  (none; provider/model and provider:model still route)')
  const pol = cfg.policy
  out.push('', `policy: mode ${pol.mode}, default_model ${pol.default_model ?? '-'}, allowed ${pol.allowed_models.join(', ')}, expose_aliases ${pol.expose_aliases}${pol.default_provider ? `, default_provider ${pol.default_provider}` : ''}`)
  out.push(`auth: ${cfg.explicit?.auth_none ? 'none (auth.mode: none) · ' : ''}${cfg.auth ? `${cfg.auth.keys.length} key(s), groups ${Object.keys(cfg.auth.groups).join(', ') || 'default'}${cfg.auth.check ? ', external check' : ''}` : 'none (no client key required)'}`)
  out.push(`admin: ${cfg.admin ? `${cfg.admin.keys.length} key(s) (${cfg.admin.keys.map((k) => k.name).join(', ')}): /admin API and /ui dashboard` : 'none (no admin API, no dashboard)'}`)
  out.push(
    `limits: upstream answers ≤ ${bytes(cfg.server.max_response_size ?? DEFAULT_MAX_RESPONSE_SIZE)}, events ≤ ${bytes(cfg.server.max_event_size ?? DEFAULT_MAX_EVENT_SIZE)}` +
      `${cfg.providers.some((p) => p.max_response_size !== undefined || p.max_event_size !== undefined) ? ' (some providers override)' : ''}; /metrics: ${cfg.server.metrics_auth === 'key' ? 'client key required' : 'open'}`,
  )
  out.push('', 'prices (USD per million tokens, input / output; pricing: first, then the built-in table):')
  out.push(...priceLines(cfg))
  out.push(`usage: ${cfg.usage.store}   state: ${cfg.state.redis ? maskUrl(cfg.state.redis) : 'in memory'}`)
  if (flags.resolve !== undefined) {
    out.push('', `resolve ${flags.resolve}:`)
    try {
      const facts = flags.body !== undefined ? factsFromBody(flags.resolve, flags.body, flags.front, out) : undefined
      if (facts) for (const r of explainRules(cfg, flags.resolve, facts)) out.push(`  rule ${r.rule} → ${r.target}: ${r.matched ? 'MATCHES' : 'no'} (${r.why})`)
      const plan = resolveModel(cfg, flags.resolve, { counters: new RoundRobinCounters(), random: () => 0, facts })
      if (facts) out.push(plan.rule ? `  routed by rule ${plan.rule.name}` : '  no rule matched: the entry\'s own targets')
      plan.attempts.forEach((a, i) => out.push(`  ${i + 1}. ${a.provider.name}/${a.model}  (${a.provider.dialect})`))
    } catch (err) {
      out.push(`  ${err instanceof GatewayError ? `${err.status}: ${err.message}` : String(err)}`)
    }
  }
  return out.join('\n') + '\n'
}

/** The facts a request body gives routing rules, as the server would see them (no key, no headers). */
function factsFromBody(model: string, file: string, front: string | undefined, out: string[]): RuleFacts {
  const body = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  const { name, request } = front ? decodeAs(front, body) : guessAndDecode(body)
  out.push(`  body ${file} read as ${name}${front ? '' : ' (guessed; --front to choose)'}`)
  const size = JSON.stringify(body).length
  return new RuleFacts({ model, front: name, headers: new Headers(), request: () => request, inputTokens: () => Math.ceil(size / 4) })
}

function decodeAs(front: string, body: Record<string, unknown>): { name: string; request: CanonRequest } {
  const entry = dialectEntry(front as DialectName)
  if (!entry || entry.routes.length === 0) throw new Error(`--front ${front} is not a front door (one of ${frontDoorNames().join(', ')})`)
  return { name: front, request: entry.decodeRequest(body) }
}

/** The front door that understands the most of the body: of those whose required fields it has
 *  and whose decoder accepts it, the one whose canonical form keeps the most (Chat ignores an
 *  Anthropic body's thinking, say, so Anthropic wins it). */
function guessAndDecode(body: Record<string, unknown>): { name: string; request: CanonRequest } {
  let best: { name: string; request: CanonRequest; size: number } | undefined
  let last: unknown
  for (const name of frontDoorNames()) {
    const entry = dialectEntry(name)!
    if (!entry.required.every(([field]) => body[field] !== undefined)) continue
    try {
      const { request } = decodeAs(name, body)
      const size = JSON.stringify(request).length
      if (!best || size > best.size) best = { name, request, size }
    } catch (err) {
      last = err
    }
  }
  if (best) return best
  throw last ?? new Error('the body matches no front door: pass --front')
}

const bytes = (n: number) => (n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} B`)

/** a dialect answered in-process (the demo echo): nothing to pay */
const isLocalDialect = (name: string): boolean => {
  const d = registered(name)
  return d !== undefined && isLocal(d)
}

const money = (n: number) => String(Number(n.toPrecision(6)))

/** One line per distinct upstream model the routes name; glob targets are priced per model. */
export function priceLines(cfg: Config): string[] {
  const seen = new Set<string>()
  const lines: string[] = []
  for (const e of cfg.models)
    for (const target of [...e.targets.map((t) => t.model), ...e.fallbacks]) {
      if (seen.has(target)) continue
      seen.add(target)
      const slash = target.indexOf('/')
      const provider = cfg.providers.find((p) => p.name === target.slice(0, slash))
      const model = target.slice(slash + 1)
      if (provider && isLocalDialect(provider.dialect)) lines.push(`  ${pad(target, 40)} local (free)`)
      else if (model.includes('*')) lines.push(`  ${pad(target, 40)} per model name: pricing globs, then the built-in table`)
      else {
        const s = priceSource(cfg.pricing, model)
        lines.push(`  ${pad(target, 40)} ${s.price ? `${money(s.price.input)} / ${money(s.price.output)}  (${s.from})` : 'no price: cost 0 (add it under pricing:)'}`)
      }
    }
  if (lines.length === 0) lines.push('  (no routes)')
  return [...lines, '']
}

/** redis://user:password@host → redis://user:****@host */
const maskUrl = (u: string) => u.replace(/\/\/([^:/@]*):([^@]*)@/, '//$1:****@')

/** how a key matches, when not exactly: tier, substring, case, separators; and its priority */
function matchNote(e: import('../config/types').ModelEntry): string {
  const m = e.match ?? {}
  const how = [m.tier ? 'tier (Claude names containing it)' : '', m.substring ? 'substring' : '', m.case_insensitive ? 'any case' : '', m.separators ? '-/_ alike' : ''].filter(Boolean)
  return [...how, e.priority ? `priority ${e.priority}` : ''].filter(Boolean).join(', ')
}
