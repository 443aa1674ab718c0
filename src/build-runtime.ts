// The composition root: a Config and the long-lived services become a Runtime whose
// ProxyContext the pipeline uses. Services (ledger, metrics, limit store, shared counters,
// key pools, circuit breakers) outlive config reloads; everything derived from the config is
// rebuilt on each reload and swapped in atomically.
import { createAuthenticator } from './auth'
import { SessionProgress } from './sessions/session-progress'
import { UpstreamModels } from './upstream/upstream-models'
import { pluginAfterResponse, pluginAuthenticate, pluginLogFields, pluginRecord } from './plugins/run-hooks'
import { clientInfo } from './proxy/client-info'
import type { Principal } from './auth/principal'
import type { RequestRecord } from './observe/request-record'
import { resolveOtel } from './observe/otel/settings'
import { createTracer, type Tracer } from './observe/otel/tracer'
import { genAiSystem } from './observe/otel/gen-ai-system'
import { VERSION } from './version'
import { openKeyDirectory, type KeyDirectory } from './keys/key-directory'
import { openKeyStore, type KeyStore } from './keys/key-store'
import { openResponseStore } from './responses/response-store'
import { StoredResponsesService } from './responses/stored-responses'
import { CARRY_DEFAULTS, CarryCache } from './carry/carry-cache'
import { ResponseCacheService } from './cache/response-cache'
import { openRedisCacheStore, openSqliteCacheStore } from './cache/cache-store'
import { cacheBackend } from './config/response-cache-settings'
import { responsesSettings } from './config/responses-settings'
import { checkModelAllowed, checkProviderAllowed, isModelAllowed } from './auth/authorize'
import type { Config, ProviderConfig } from './config/types'
import { createState, type LimitStore, type SharedState } from './limits'
import { shareBench, syncBenches } from './upstream/shared-benches'
import { FixedPosition, needsSharedPosition } from './routing/shared-round-robin'
import { LimitError } from './limits/limiter'
import { createGatewayMetrics, streamTracker, watchUpstreamHealth, type GatewayMetrics } from './observe/gateway-metrics'
import { createLogger, type Logger } from './observe/logger'
import { clearSecrets, registerSecret } from './observe/redact'
import { createLiveFeed, type LiveFeed } from './observe/live-feed'
import { finishRequest } from './observe/request-finish'
import { createUsageLedger, type UsageLedger } from './observe/usage-ledger'
import { watchLedger } from './observe/ledger-metrics'
import { backgroundHealth } from './observe/background-health'
import { createUsageStore, parseUsageStoreSpec } from './observe/usage-store'
import type { Admission, ProxyContext } from './proxy/context'
import { resolveModel, RoundRobinCounters } from './routing/resolve-model'
import type { Runtime } from './runtime'
import { CircuitBreakers, orderByHealth, type BreakerOptions } from './upstream/circuit-breaker'
import { KeyPools } from './upstream/key-pool'
import { backoffMs } from './upstream/retry'
import type { FetchLike } from './upstream/send'

export interface Services {
  log: Logger
  metrics: GatewayMetrics
  ledger: UsageLedger
  limits: LimitStore
  counters: RoundRobinCounters
  keyPools: KeyPools
  breakers: CircuitBreakers
  fetch: FetchLike
  /** the active-streams gauge (streams outlive reloads) */
  streams: ReturnType<typeof streamTracker>
  /** state shared by replicas (benched keys); in memory without state.redis */
  shared: SharedState
  /** the running config's providers, for the shared-bench sync */
  providers: readonly ProviderConfig[]
  /** OpenTelemetry export (undefined: no collector configured); replaced when a reload changes otel */
  tracing?: { settings: string; tracer: Tracer }
  /** providers' model lists for `list_wildcards: expand` (cached) */
  upstreamModels: UpstreamModels
  /** agent sessions' progress records (inject_progress), kept across reloads */
  sessions: SessionProgress
  /** database keys (undefined with usage.store: none) */
  directory?: KeyDirectory
  /** reasoning state clients cannot keep (memory, and Redis with state.redis) */
  carry: CarryCache
  /** stored responses, in the usage database (undefined with usage.store: none) */
  responses?: StoredResponsesService
  /** the response cache's store: Redis or the SQLite usage file (undefined: nowhere to keep it) */
  cache?: ResponseCacheService
  /** where database keys are written (the admin API); undefined with usage.store: none */
  keyStore?: KeyStore
  /** recent requests, open streams and upstream failures for the dashboard (bounded, in memory) */
  live: LiveFeed
  /** called when a request's lifecycle begins and when it finishes (the gateway counts in-flight requests with them) */
  requestStarted: () => void
  requestDone: () => void
  clock: Clock
  random: () => number
  close(): Promise<void>
}

/** Time as the gateway sees it: injected so tests can record or skip waits. */
export interface Clock {
  /** epoch ms */
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = { now: Date.now, sleep: (ms) => Bun.sleep(ms) }

/** What the world provides: everything is optional and defaults to the real thing. */
export interface ServiceOverrides {
  /** the upstream fetch (tests replay recordings through it) */
  fetch?: FetchLike
  /** where log lines go (default: stdout) */
  logSink?: (line: string) => void
  clock?: Clock
  random?: () => number
  /** circuit-breaker tuning (e.g. a short cool-down) */
  breaker?: BreakerOptions
  /** called when a request's lifecycle begins, and once when it finishes */
  requestStarted?: () => void
  requestDone?: () => void
}

/** The password of a `scheme://user:password@host` URL (Redis, Postgres). */
function urlPassword(url: string): string | undefined {
  try {
    const p = new URL(url).password
    return p ? decodeURIComponent(p) : undefined
  } catch {
    return undefined
  }
}

/** Registers every secret in the config so no log line or metric can carry one: upstream keys,
 *  client keys, header values sent upstream or to the validator, passwords in state/usage URLs. */
function registerSecrets(cfg: Config): void {
  clearSecrets()
  for (const p of cfg.providers) {
    for (const k of p.api_keys) registerSecret(k)
    registerSecret(p.aws_secret_access_key)
    registerSecret(p.aws_session_token)
    registerSecret(p.vertex?.access_token)
    for (const v of Object.values(p.headers ?? {})) registerSecret(v)
  }
  for (const k of cfg.auth?.keys ?? []) registerSecret(k.key)
  for (const k of cfg.admin?.keys ?? []) registerSecret(k.key)
  // a `{api_key}` template is not itself a secret; a fixed service token is
  for (const v of Object.values(cfg.auth?.check?.headers ?? {})) if (!v.includes('{api_key}')) registerSecret(v)
  registerSecret(urlPassword(cfg.state.redis))
  registerSecret(urlPassword(cfg.usage.store))
}

export async function createServices(cfg: Config, o: ServiceOverrides = {}): Promise<Services> {
  registerSecrets(cfg)
  const log = createLogger(cfg.logging, o.logSink)
  const store = await createUsageStore(cfg.usage.store)
  const ledger = createUsageLedger(store, { logger: log })
  const state = createState(cfg, { warn: (m) => log.warn(m) })
  const metrics = createGatewayMetrics()
  const { directory, keyStore } = await openDirectory(cfg, log)
  watchLedger(metrics.registry, ledger)
  const clock = o.clock ?? systemClock
  const responseStore = await openResponseStore(cfg.usage.store)
  const services: Services = {
    directory,
    keyStore,
    live: createLiveFeed(),
    sessions: new SessionProgress(),
    upstreamModels: new UpstreamModels(o.fetch ?? fetch),
    responses: responseStore && new StoredResponsesService(responseStore, storedOptions(cfg, clock, log)),
    carry: new CarryCache({ ...CARRY_DEFAULTS, now: () => clock.now(), redisUrl: cfg.state.redis || undefined, count: (r, n) => metrics.carriedState.labels(r).inc(n) }),
    cache: openResponseCache(cfg, clock, log, metrics),
    log,
    metrics,
    ledger,
    limits: state.limits,
    counters: new RoundRobinCounters(),
    keyPools: new KeyPools(),
    breakers: new CircuitBreakers(o.breaker),
    fetch: o.fetch ?? fetch,
    streams: streamTracker(metrics.activeStreams),
    requestStarted: o.requestStarted ?? (() => {}),
    requestDone: o.requestDone ?? (() => {}),
    clock,
    random: o.random ?? Math.random,
    shared: state.shared,
    providers: cfg.providers,
    async close() {
      stopBenchSync()
      await services.tracing?.tracer.close()
      await directory?.close()
      await services.responses?.close()
      services.carry.close()
      services.cache?.close()
      await ledger.close()
      await state.limits.close()
      await state.close()
      await log.close()
    },
  }
  // read at scrape time from `services`: whoever swaps the pools or breakers is still seen
  watchUpstreamHealth(metrics, () => services)
  // with several replicas, a key benched on one is benched on all
  const stopBenchSync = cfg.state.redis ? syncBenches(state.shared, services.keyPools, () => services.providers) : () => {}
  return services
}

/** the response cache's store, opened whether or not the config uses it yet (a reload may turn it on) */
function openResponseCache(cfg: Config, clock: Clock, log: Logger, metrics: GatewayMetrics): ResponseCacheService | undefined {
  const backend = cacheBackend(cfg)
  if (!backend) return undefined
  const store = backend === 'redis' ? openRedisCacheStore(cfg.state.redis) : openSqliteCacheStore(parseSqlitePath(cfg.usage.store))
  return new ResponseCacheService(store, { now: () => clock.now(), count: (r) => metrics.responseCache.labels(r).inc(), warn: (m, f) => log.warn(m, f) })
}

const parseSqlitePath = (spec: string): string => {
  const p = parseUsageStoreSpec(spec)
  return p.kind === 'sqlite' ? p.path : ''
}

/** stored responses' limits from the config (reapplied on reload) */
const storedOptions = (cfg: Config, clock: Clock, log: Logger) => {
  const r = responsesSettings(cfg)
  return { ttlMs: r.ttl, maxBytes: r.max_bytes, maxChainBytes: cfg.server.max_body_size, now: () => clock.now(), warn: (m: string, f?: Record<string, unknown>) => log.warn(m, f) }
}

/** Database keys live beside the ledger; without a database there are only the config's keys. */
async function openDirectory(cfg: Config, log: Logger): Promise<{ directory?: KeyDirectory; keyStore?: KeyStore }> {
  if (cfg.usage.store === 'none') return {}
  const keyStore = await openKeyStore(cfg.usage.store)
  const directory = await openKeyDirectory(keyStore, { onError: (err) => log.warn('reading database keys failed; keeping the last ones read', { error: String(err) }) })
  return { directory, keyStore }
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
/** prefix + 24 random characters (ids need to be unique, not secret) */
export function newId(prefix: string): string {
  let s = prefix
  for (let i = 0; i < 24; i++) s += ID_CHARS[(Math.random() * 62) | 0]
  return s
}

/** The tracer for this config's otel settings (and the OTEL_* environment), kept across reloads
 *  that do not change them; a changed one flushes the old exporter in the background. */
function tracerFor(cfg: Config, s: Services): Tracer | undefined {
  const settings = resolveOtel(cfg.otel, process.env, VERSION)
  const id = JSON.stringify(settings ?? null)
  if (s.tracing?.settings === id) return s.tracing.tracer
  void s.tracing?.tracer.close()
  s.tracing = undefined
  if (!settings) return undefined
  for (const v of Object.values(settings.headers)) registerSecret(v)
  const tracer = createTracer(settings, {
    version: VERSION,
    systemOf: genAiSystem,
    fetch: s.fetch as typeof fetch,
    onFailure: (reason) => s.log.warn('trace export failed; spans dropped (at most one warning a minute)', { collector: settings.url, reason }),
  })
  s.tracing = { settings: id, tracer }
  return tracer
}

export function buildRuntime(cfg: Config, s: Services, prev?: Runtime): Runtime {
  if (prev) {
    registerSecrets(cfg)
    s.counters.retain(cfg.models)
    s.keyPools.retain(cfg.providers)
    s.providers = cfg.providers
    s.responses?.configure(storedOptions(cfg, s.clock, s.log))
  }
  const authenticate = createAuthenticator(cfg.auth, { fetch: s.fetch, directory: s.directory })
  const tracer = tracerFor(cfg, s)
  const plugins = cfg.plugins ?? []
  const pluginPrincipals = new Map<string, Principal>()
  const warn = (msg: string, fields: Record<string, unknown>) => s.log.warn(msg, fields)
  const afterHooks = plugins.some((p) => p.afterResponse)
  const extraLogFields = plugins.some((p) => p.log) ? (r: RequestRecord, cost: number) => pluginLogFields(plugins, pluginRecord(r, cost), warn) : undefined
  const { clock, random } = s
  const noAdmission: Admission = { headers: {}, release() {} }
  const ctx: ProxyContext = {
    config: cfg,
    log: s.log,
    fetch: s.fetch,
    newId,
    nowSeconds: () => Math.floor(clock.now() / 1000),
    random,
    sleep: (ms) => clock.sleep(ms),
    resolve: cfg.state.redis
      ? async (requested, basePath, facts) => {
          const plan = resolveModel(cfg, requested, { basePath, counters: s.counters, random, facts })
          if (!needsSharedPosition(plan.entry)) return plan
          // replicas share the rotation: the position comes from one counter in Redis
          const v = await s.shared.sharedCounter(`rr:${plan.entry.base_path ?? ''}:${plan.entry.pattern}`).catch(() => undefined)
          return v === undefined ? plan : resolveModel(cfg, requested, { basePath, counters: new FixedPosition(v - 1), random, facts })
        }
      : (requested, basePath, facts) => resolveModel(cfg, requested, { basePath, counters: s.counters, random, facts }),
    authenticate: plugins.some((p) => p.authenticate)
      ? async (request, url) =>
          (await pluginAuthenticate(plugins, { method: request.method, url: request.url, headers: request.headers, remoteAddr: clientInfo(request)?.remoteAddr }, cfg.auth, pluginPrincipals)) ??
          authenticate(request.headers, url)
      : (request, url) => authenticate(request.headers, url),
    plugins,
    authorize(principal, requested, provider) {
      if (requested !== undefined) checkModelAllowed(principal, requested)
      if (provider) checkProviderAllowed(principal, provider)
    },
    async admit(principal, estimatedTokens, estimatedCostUsd) {
      if (!cfg.auth) return noAdmission
      let admitted
      try {
        admitted = await s.limits.admit({ principal, estimatedTokens, estimatedCostUsd }, clock.now())
      } catch (err) {
        if (err instanceof LimitError) s.metrics.rateLimited.labels(err.scopeKind, err.limit).inc()
        throw err
      }
      const { ticket, headers } = admitted
      return {
        headers,
        release: (usage) => {
          s.limits.release(ticket, usage, clock.now()).catch((err) => s.log.warn('limit release failed', { error: String(err) }))
        },
      }
    },
    upstreamKey: (provider) => s.keyPools.pool(provider).next(clock.now()),
    // acts on the outcome policy's verdict (upstream/outcome.ts); decides nothing itself
    reportAttempt({ attempt, key, outcome, retryAfterMs }) {
      const now = clock.now()
      if (outcome.errorClass) {
        s.metrics.upstreamErrors.labels(attempt.provider.name, outcome.errorClass).inc()
        s.live.upstreamFailed({ time: now, provider: attempt.provider.name, target: attempt.target, class: outcome.errorClass, status: outcome.clientStatus })
      }
      if (outcome.breaker !== 'none') s.breakers.get(attempt.target).record(outcome.breaker === 'success', now)
      if (!key || !outcome.bench) return
      const until = outcome.bench === 'rate' ? now + (retryAfterMs ?? 30_000) : undefined
      s.keyPools.pool(attempt.provider).bench(key, outcome.bench, until)
      if (cfg.state.redis) shareBench(s.shared, { provider: attempt.provider.name, key, reason: outcome.bench, untilMs: until ?? now, now })
    },
    orderAttempts: (attempts) => orderByHealth(attempts, s.breakers, clock.now()),
    backoffMs: (retry) => backoffMs(retry, random),
    requestStarted: () => s.requestStarted(),
    streamStarted: (record) => {
      s.streams.start(record)
      s.live.streamStarted(record, clock.now())
    },
    finish: (record) => {
      s.streams.end(record)
      s.requestDone()
      const cost = finishRequest({ config: cfg, log: s.log, metrics: s.metrics, ledger: s.ledger, now: clock.now, extraLogFields }, record)
      tracer?.finish(record)
      if (record.sessionId) s.sessions.add(record.sessionId, clock.now(), record.usage, cost)
      if (afterHooks) pluginAfterResponse(plugins, pluginRecord(record, cost), warn)
      s.live.finished(record, cost, clock.now())
      return cost
    },
    tracer,
    sessions: s.sessions,
    upstreamModels: s.upstreamModels,
    responses: responsesSettings(cfg).store ? s.responses : undefined,
    carry: s.carry,
    cache: s.cache,
  }
  return {
    config: cfg,
    ctx,
    modelVisible: (principal, id) => isModelAllowed(principal, id),
    metricsText: () => s.metrics.registry.render(),
    healthDetails: () => backgroundHealth(s),
    runningTotals: () => s.metrics.runningTotals.snapshot(),
  }
}

/** What a reload changed, for its log line. */
export function describeChanges(a: Config, b: Config): Record<string, string[]> {
  const diff = <T>(xs: T[], ys: T[], key: (t: T) => string) => {
    const A = new Map(xs.map((x) => [key(x), JSON.stringify(x)]))
    const B = new Map(ys.map((y) => [key(y), JSON.stringify(y)]))
    return {
      added: [...B.keys()].filter((k) => !A.has(k)),
      removed: [...A.keys()].filter((k) => !B.has(k)),
      changed: [...B.keys()].filter((k) => A.has(k) && A.get(k) !== B.get(k)),
    }
  }
  const p = diff(a.providers, b.providers, (x) => x.name)
  const m = diff(a.models, b.models, (x) => (x.base_path ? `${x.pattern}@${x.base_path}` : x.pattern))
  return {
    providers_added: p.added,
    providers_removed: p.removed,
    providers_changed: p.changed,
    models_added: m.added,
    models_removed: m.removed,
    models_changed: m.changed,
  }
}
