// Every metric the gateway exports, declared in one place. Label values are provider, model,
// dialect and state names, never keys (and the registry redacts registered secrets anyway).
import type { CanonUsage } from '../canonical/usage'
import type { BreakerState, CircuitBreakers } from '../upstream/circuit-breaker'
import type { KeyPools } from '../upstream/key-pool'
import { createRunningTotals, type RunningTotals } from './running-totals'
import { createRegistry, type Counter, type Gauge, type Histogram, type Registry } from './metrics'

export type TokenKind = 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning'

export interface GatewayMetrics {
  registry: Registry
  /** front, provider, model, status */
  requests: Counter
  /** provider, model, kind */
  tokens: Counter
  /** provider, model */
  costUsd: Counter
  /** front, provider (seconds) */
  requestDuration: Histogram
  /** front, provider (seconds) */
  timeToFirstToken: Histogram
  /** front: the proxy's own time, upstream excluded (seconds) */
  overhead: Histogram
  /** provider, class (timeout, connect, 429, 5xx, …) */
  upstreamErrors: Counter
  /** provider */
  retries: Counter
  /** from_provider */
  fallbacks: Counter
  activeStreams: Gauge
  /** rule: requests a routing rule sent to its target (rule names come from the config) */
  ruleMatches: Counter
  /** result: hit, miss, stored, error (the response cache) */
  responseCache: Counter
  /** result: restored, missed (replayed tool calls looked up in the carried-state cache) */
  carriedState: Counter
  /** scope (key, group), limit (rpm, tpm, concurrency, budget) */
  rateLimited: Counter
  droppedFields: Counter
  /** provider, state: number of keys in each state */
  keyBenchState: Gauge
  /** target, state: 1 for the current state, 0 for the others */
  circuitState: Gauge
  /** JSON totals since start (GET /metrics/running-totals) */
  runningTotals: RunningTotals
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300]
const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3, 5, 10, 30, 60]
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25]

export function createGatewayMetrics(registry: Registry = createRegistry(), startedAtMs = Date.now()): GatewayMetrics {
  const m: GatewayMetrics = {
    registry,
    requests: registry.counter('llm_proxy_requests_total', 'Requests handled, by outcome status.', [
      'front',
      'provider',
      'model',
      'status',
    ]),
    tokens: registry.counter('llm_proxy_tokens_total', 'Tokens reported by upstreams (input and output include their cached and reasoning subsets).', [
      'provider',
      'model',
      'kind',
    ]),
    costUsd: registry.counter('llm_proxy_cost_usd_total', 'Estimated cost in USD from the pricing table.', ['provider', 'model']),
    requestDuration: registry.histogram(
      'llm_proxy_request_duration_seconds',
      'Request duration from arrival to the last byte sent.',
      ['front', 'provider'],
      DURATION_BUCKETS,
    ),
    timeToFirstToken: registry.histogram(
      'llm_proxy_time_to_first_token_seconds',
      'Time from arrival to the first output token of a stream.',
      ['front', 'provider'],
      TTFT_BUCKETS,
    ),
    overhead: registry.histogram(
      'llm_proxy_overhead_seconds',
      "The proxy's own time per request, upstream time excluded.",
      ['front'],
      OVERHEAD_BUCKETS,
    ),
    upstreamErrors: registry.counter('llm_proxy_upstream_errors_total', 'Failed upstream attempts, by error class.', [
      'provider',
      'class',
    ]),
    ruleMatches: registry.counter('llm_proxy_rule_matches_total', 'Requests a routing rule sent to its target, by rule name.', ['rule']),
    responseCache: registry.counter('llm_proxy_response_cache_total', 'Response cache lookups (hit, miss), answers stored, and store errors.', ['result']),
    carriedState: registry.counter('llm_proxy_carried_state_total', 'Replayed tool calls whose signature or encrypted reasoning the proxy put back (restored) or did not have (missed).', ['result']),
    retries: registry.counter('llm_proxy_retries_total', 'Upstream attempts retried on the same provider.', ['provider']),
    fallbacks: registry.counter('llm_proxy_fallbacks_total', 'Requests that moved on to another target.', ['from_provider']),
    activeStreams: registry.gauge('llm_proxy_active_streams', 'Streaming responses in progress.'),
    rateLimited: registry.counter('llm_proxy_rate_limited_total', 'Requests refused by a rate limit or budget.', ['scope', 'limit']),
    droppedFields: registry.counter('llm_proxy_dropped_fields_total', 'Request fields a dialect could not carry (decoded at the front door or encoded for the target), per request.', [
      'dialect',
      'field',
    ]),
    keyBenchState: registry.gauge('llm_proxy_key_bench_state', 'Upstream keys per provider in each state.', ['provider', 'state']),
    circuitState: registry.gauge('llm_proxy_circuit_state', 'Circuit breaker state per target (1 = current).', ['target', 'state']),
    runningTotals: createRunningTotals(startedAtMs),
  }

  const rss = registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.')
  const heap = registry.gauge('process_heap_bytes', 'JavaScript heap in use, in bytes.')
  const start = registry.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds.')
  const uptime = registry.gauge('llm_proxy_uptime_seconds', 'Seconds since the proxy started.')
  start.set([], startedAtMs / 1000)
  registry.onCollect(() => {
    rss.set([], process.memoryUsage.rss())
    heap.set([], process.memoryUsage().heapUsed)
    uptime.set([], (Date.now() - startedAtMs) / 1000)
  })
  return m
}

/** Adds one request's token counts (only the kinds it has) and its cost. */
export function countUsage(m: GatewayMetrics, provider: string, model: string, usage: CanonUsage, costUsd: number): void {
  if (usage.inputTokens) m.tokens.inc([provider, model, 'input'], usage.inputTokens)
  if (usage.outputTokens) m.tokens.inc([provider, model, 'output'], usage.outputTokens)
  if (usage.cacheReadTokens) m.tokens.inc([provider, model, 'cache_read'], usage.cacheReadTokens)
  if (usage.cacheWriteTokens) m.tokens.inc([provider, model, 'cache_write'], usage.cacheWriteTokens)
  if (usage.reasoningTokens) m.tokens.inc([provider, model, 'reasoning'], usage.reasoningTokens)
  if (costUsd > 0) m.costUsd.inc([provider, model], costUsd)
}

/** Sets a one-hot state gauge: 1 for `current`, 0 for every other state of `owner`. */
export function setState(g: Gauge, owner: string, states: readonly string[], current: string): void {
  for (const s of states) g.labels(owner, s).set(s === current ? 1 : 0)
}

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'open', 'half_open']

/** Samples key-pool and circuit-breaker state at every scrape (nothing to do per request).
 *  `read` is called each time: the pools and breakers may be swapped (tests do). Only targets
 *  whose circuit ever left `closed` are exported (an absent target is closed), so routes to
 *  invented model names cannot grow the scrape. */
export function watchUpstreamHealth(m: GatewayMetrics, read: () => { keyPools: KeyPools; breakers: CircuitBreakers }, now: () => number = Date.now): void {
  const seen = new Set<string>()
  m.registry.onCollect(() => {
    const t = now()
    const { keyPools, breakers } = read()
    for (const p of keyPools.states(t)) {
      m.keyBenchState.labels(p.provider, 'healthy').set(p.healthy)
      m.keyBenchState.labels(p.provider, 'benched_auth').set(p.auth)
      m.keyBenchState.labels(p.provider, 'benched_rate').set(p.rate)
    }
    for (const u of breakers.unhealthy(t)) seen.add(u.target)
    for (const target of seen) setState(m.circuitState, target, BREAKER_STATES, breakers.find(target)?.stateAt(t) ?? 'closed')
  })
}

/** The active-streams gauge: up when a stream starts, down when its request finishes (only for
 *  requests that did start one; finish runs exactly once per request). */
export function streamTracker(g: Gauge): { start(rec: object): void; end(rec: object): void } {
  const open = new Set<object>()
  return {
    start(rec) {
      if (open.has(rec)) return
      open.add(rec)
      g.inc()
    },
    end(rec) {
      if (open.delete(rec)) g.dec()
    },
  }
}
