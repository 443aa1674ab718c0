// What happens once per finished request: cost from pricing, one log line, metrics, a ledger row.
import type { Config } from '../config/types'
import type { DialectName } from '../dialects/dialect'
import { droppedLabel } from '../dialects/dropped'
import type { RequestRecord } from './request-record'
import { countUsage, type GatewayMetrics } from './gateway-metrics'
import type { Logger } from './logger'
import { modelLabel } from './label-bounds'
import { mapFields } from './log-fields'
import { costUsd } from './pricing'
import { redact } from './redact'
import type { UsageLedger } from './usage-ledger'

export interface FinishDeps {
  config: Config
  log: Logger
  metrics: GatewayMetrics
  ledger: UsageLedger
  now: () => number
  /** fields plugins add to the request's log line */
  extraLogFields?: (r: RequestRecord, costUsd: number) => Record<string, unknown> | undefined
}

/** "provider/model (status)" → "provider/model" */
const targetOf = (tried: string): string => tried.slice(0, tried.lastIndexOf(' ('))
function providerOf(target: string): string {
  const i = target.indexOf('/')
  return i < 0 ? target : target.slice(0, i)
}

/** Retries (the same target again) and fallbacks (on to another one), from the attempts made. */
function countMoves(m: GatewayMetrics, r: RequestRecord): void {
  const targets = (r.tried ?? []).map(targetOf)
  // the attempt that answered is not in `tried`
  if (r.status < 400 && r.provider) targets.push(`${r.provider}/${r.modelUpstream ?? ''}`)
  for (let i = 1; i < targets.length; i++) {
    const from = providerOf(targets[i - 1])
    if (targets[i] === targets[i - 1]) m.retries.labels(from).inc()
    else m.fallbacks.labels(from).inc()
  }
}

/** What the target could not honour: one info line per request, and the counter (bounded labels). */
function reportDropped(d: FinishDeps, r: RequestRecord, dropped: NonNullable<RequestRecord['dropped']>): void {
  for (const x of dropped) d.metrics.droppedFields.labels(x.dialect, droppedLabel(x.field)).inc()
  d.log.info('request fields dropped', { id: r.requestId, model: r.modelRequested, fields: dropped.map((x) => `${x.dialect}:${x.field}`) })
}

export function finishRequest(d: FinishDeps, r: RequestRecord): number {
  const u = r.usage
  const provider = r.provider ?? ''
  const model = r.modelUpstream ?? ''
  const cost = u && model ? costUsd(d.config.pricing, model, u).usd : 0
  const m = d.metrics
  // a bounded set of label values: configured or successfully answered names, else "other"
  const label = modelLabel(d.config, model, r.status < 400 || r.ttftMs !== undefined || (u !== undefined && u.inputTokens + u.outputTokens > 0))
  m.requests.labels(r.front, provider, label, String(r.status)).inc()
  m.requestDuration.labels(r.front, provider).observe(r.durationMs / 1000)
  if (r.ttftMs !== undefined) m.timeToFirstToken.labels(r.front, provider).observe(r.ttftMs / 1000)
  if (r.overheadMs !== undefined) m.overhead.labels(r.front).observe(r.overheadMs / 1000)
  if (u && provider) countUsage(m, provider, label, u, cost)
  if (r.attempts > 1) countMoves(m, r)
  if (r.dropped) reportDropped(d, r, r.dropped)
  if (r.rule) m.ruleMatches.labels(r.rule).inc()
  m.runningTotals.add({ provider, model: label, key: r.principal?.name ?? '', status: r.status, inputTokens: u?.inputTokens ?? 0, outputTokens: u?.outputTokens ?? 0, costUsd: cost })
  if (d.config.logging.requests && d.log.enabled('info')) {
    const own = {
      id: r.requestId,
      method: r.method,
      path: r.path,
      front: r.front,
      key: r.principal?.name,
      group: r.principal?.group,
      model: r.modelRequested,
      provider: r.provider,
      upstream_model: r.modelUpstream,
      rule: r.rule,
      cache: r.cache,
      status: r.status,
      stream: r.stream,
      attempts: r.attempts,
      tried: r.tried && r.tried.length > 1 ? r.tried : undefined,
      input_tokens: u?.inputTokens,
      output_tokens: u?.outputTokens,
      cache_read_tokens: u?.cacheReadTokens,
      reasoning_tokens: u?.reasoningTokens,
      cost_usd: cost || undefined,
      ttft_ms: r.ttftMs !== undefined ? Math.round(r.ttftMs) : undefined,
      duration_ms: Math.round(r.durationMs * 10) / 10,
      overhead_ms: r.overheadMs !== undefined ? Math.round(r.overheadMs * 100) / 100 : undefined,
      disconnected: r.clientDisconnected || undefined,
      usage_estimated: r.usageEstimated || undefined,
      error_class: r.errorClass,
      error: r.error,
      remote_addr: d.config.logging.remote_addr ? r.remoteAddr : undefined,
    }
    // plugin fields first: the proxy's own fields win a clash
    d.log.info('request', { ...d.extraLogFields?.(r, cost), ...mapFields(own, d.config.logging.fields) })
  }
  d.ledger.record({
    time: d.now() - r.durationMs,
    request_id: r.requestId,
    key_name: r.principal?.name ?? '',
    group_name: r.principal?.group ?? '',
    front: r.front as DialectName,
    model_requested: r.modelRequested ?? '',
    provider,
    model_upstream: model,
    attempts: r.attempts,
    status: r.status,
    input_tokens: u?.inputTokens ?? 0,
    output_tokens: u?.outputTokens ?? 0,
    cache_read_tokens: u?.cacheReadTokens ?? 0,
    cache_write_tokens: u?.cacheWriteTokens ?? 0,
    reasoning_tokens: u?.reasoningTokens ?? 0,
    cost_usd: cost,
    ttft_ms: r.ttftMs !== undefined ? Math.round(r.ttftMs) : null,
    duration_ms: Math.round(r.durationMs),
    client_disconnected: !!r.clientDisconnected,
    error: r.error ? redact(r.error.slice(0, 300)) : null,
    usage_estimated: !!r.usageEstimated,
    rule: r.rule ?? null,
  })
  return cost
}
