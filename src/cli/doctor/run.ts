// `llm-proxy doctor [--config FILE] [--json] [--live]`: for every provider, DNS, TCP and TLS
// reachability (no TLS for http:// URLs), an auth check (the dialect's models-list call) and,
// with --live, a 1-token completion per model the config routes to it; latencies in ms. A table,
// or one JSON document with an entry per provider. Exit 0 only when every provider is fine.
import type { Config, ProviderConfig } from '../../config/types'
import { hasHttpChecks, probeAuth, probeCompletion } from './probe-http'
import { probeDns, probeTcp, probeTls, type CheckResult } from './probe-net'

export interface DoctorOptions {
  json?: boolean
  live?: boolean
  /** per check; default 5 s */
  timeoutMs?: number
}

export interface ProviderReport {
  name: string
  dialect: string
  base_url?: string
  ok: boolean
  checks: CheckResult[]
}

export interface DoctorReport {
  ok: boolean
  providers: ProviderReport[]
}

const DEFAULT_TIMEOUT = 5_000

export async function doctor(cfg: Config, o: DoctorOptions = {}): Promise<DoctorReport> {
  const timeout = o.timeoutMs ?? DEFAULT_TIMEOUT
  const providers = await Promise.all(cfg.providers.map((p) => checkProvider(p, routedModels(cfg, p), timeout, o.live ?? false)))
  return { ok: providers.every((p) => p.ok), providers }
}

async function checkProvider(p: ProviderConfig, models: string[], timeout: number, live: boolean): Promise<ProviderReport> {
  const checks: CheckResult[] = []
  const report = (): ProviderReport => ({
    name: p.name,
    dialect: p.dialect,
    ...(p.base_url && { base_url: p.base_url }),
    ok: checks.every((c) => c.ok),
    checks,
  })
  if (!p.base_url) {
    checks.push({ name: 'all', ok: true, skipped: `${p.dialect} runs in the proxy` })
    return report()
  }
  let url: URL
  try {
    url = new URL(p.base_url.replaceAll('{model}', 'model'))
  } catch {
    checks.push({ name: 'url', ok: false, detail: 'base_url is not a URL' })
    return report()
  }
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const tls = url.protocol === 'https:'
  const port = url.port ? Number(url.port) : tls ? 443 : 80
  const net = [await probeDns(host, timeout)]
  if (net[0].ok) net.push(await probeTcp(host, port, timeout))
  if (net.every((c) => c.ok)) net.push(tls ? await probeTls(host, port, timeout) : { name: 'tls', ok: true, skipped: 'http:// URL' })
  checks.push(...net)
  if (!net.every((c) => c.ok)) return report()
  checks.push(await probeAuth(p, timeout))
  if (live && hasHttpChecks(p) && !p.passthrough) for (const m of models) checks.push(await probeCompletion(p, m, timeout))
  return report()
}

/** Upstream model names the config's entries send to this provider (no wildcards), and its listed models. */
export function routedModels(cfg: Config, p: ProviderConfig): string[] {
  const out = new Set<string>(p.models)
  for (const e of cfg.models)
    for (const t of [...e.targets.map((x) => x.model), ...e.fallbacks]) {
      const i = t.indexOf('/')
      if (t.slice(0, i) === p.name && !t.includes('*')) out.add(t.slice(i + 1))
    }
  return [...out]
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length))

export function renderDoctor(r: DoctorReport, json: boolean): string {
  if (json) return JSON.stringify(r, null, 2) + '\n'
  const out = [`${pad('provider', 16)} ${pad('check', 24)} ${pad('result', 7)} ${pad('ms', 6)} detail`]
  for (const p of r.providers)
    for (const c of p.checks)
      out.push(`${pad(p.name, 16)} ${pad(c.name, 24)} ${pad(c.skipped ? 'skip' : c.ok ? 'ok' : 'FAIL', 7)} ${pad(c.ms === undefined ? '-' : String(c.ms), 6)} ${c.skipped ?? c.detail ?? ''}`)
  if (r.providers.length === 0) out.push('(no providers configured)')
  const failed = r.providers.filter((p) => !p.ok).map((p) => p.name)
  out.push('', failed.length ? `FAILED: ${failed.join(', ')}` : 'all providers ok')
  return out.join('\n') + '\n'
}
