// Runs plugin hooks at their points in a request's life. A hook that throws fails only its
// request, with a message naming the plugin; a PluginRejection refuses it with its own status.
// Hooks that run after the answer (afterResponse, log) can fail nothing but their own output.
import type { AuthConfig } from '../config/types'
import { GatewayError } from '../errors'
import { groupConfigOf, type Principal } from '../auth/principal'
import type { RequestRecord } from '../observe/request-record'
import type { LoadedPlugin } from './load-plugins'
import { PluginRejection, type PluginGenerateRequest, type PluginHttpRequest, type PluginRecord } from './plugin-api'

const MAX_MESSAGE = 300

function failure(p: LoadedPlugin, hook: string, err: unknown): GatewayError {
  if (err instanceof PluginRejection || (err instanceof Error && (err as { name?: string }).name === 'PluginRejection')) {
    const status = Number((err as PluginRejection).status)
    const ok = Number.isInteger(status) && status >= 400 && status <= 599
    return new GatewayError(ok ? status : 403, String((err as Error).message).slice(0, MAX_MESSAGE), { code: 'plugin_rejected', retryable: false })
  }
  const why = err instanceof Error ? err.message : String(err)
  return new GatewayError(500, `plugin ${p.name} failed in ${hook}: ${why.slice(0, MAX_MESSAGE)}`, { code: 'plugin_error', retryable: false })
}

/** The first plugin's principal, or undefined to let the config's keys decide. */
export async function pluginAuthenticate(plugins: readonly LoadedPlugin[], req: PluginHttpRequest, auth: AuthConfig | undefined, cache: Map<string, Principal>): Promise<Principal | undefined> {
  for (const p of plugins) {
    if (!p.authenticate) continue
    let who
    try {
      who = await p.authenticate(req)
    } catch (err) {
      throw failure(p, 'authenticate', err)
    }
    if (!who) continue
    if (typeof who.name !== 'string' || !who.name) throw failure(p, 'authenticate', new Error('the principal needs a name'))
    const group = who.group ?? 'default'
    const key = `${group}\u0000${who.name}`
    let principal = cache.get(key)
    if (!principal) {
      const groupConfig = groupConfigOf(auth, group)
      if (!groupConfig) throw failure(p, 'authenticate', new Error(`group ${group} is not defined in auth.groups`))
      // one object per caller, as for config keys: limit scopes are cached on it
      principal = { name: who.name.slice(0, 200), group, groupConfig }
      if (cache.size >= 10_000) cache.delete(cache.keys().next().value!)
      cache.set(key, principal)
    }
    return principal
  }
  return undefined
}

export async function pluginBeforeRequest(plugins: readonly LoadedPlugin[], req: PluginGenerateRequest): Promise<void> {
  for (const p of plugins) {
    if (!p.beforeRequest) continue
    try {
      await p.beforeRequest(req)
    } catch (err) {
      throw failure(p, 'beforeRequest', err)
    }
  }
}

export function pluginRecord(r: RequestRecord, costUsd: number): PluginRecord {
  return {
    requestId: r.requestId,
    method: r.method,
    path: r.path,
    front: r.front,
    status: r.status,
    stream: r.stream,
    modelRequested: r.modelRequested,
    provider: r.provider,
    modelUpstream: r.modelUpstream,
    key: r.principal?.name,
    group: r.principal?.group,
    attempts: r.attempts,
    inputTokens: r.usage?.inputTokens,
    outputTokens: r.usage?.outputTokens,
    costUsd,
    durationMs: r.durationMs,
    ttftMs: r.ttftMs,
    error: r.error,
    remoteAddr: r.remoteAddr,
    requestBytes: r.requestBytes,
  }
}

type Warn = (msg: string, fields: Record<string, unknown>) => void

/** Extra log-line fields from every plugin's log hook (at most 20, each value at most 1 KB of JSON). */
export function pluginLogFields(plugins: readonly LoadedPlugin[], rec: PluginRecord, warn: Warn): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined
  for (const p of plugins) {
    if (!p.log) continue
    try {
      const extra = p.log(rec)
      if (!extra || typeof extra !== 'object') continue
      for (const [k, v] of Object.entries(extra).slice(0, 20)) {
        const text = JSON.stringify(v)
        if (text !== undefined && text.length <= 1024) (out ??= {})[k] = v
      }
    } catch (err) {
      warn('plugin log hook failed', { plugin: p.name, error: String(err instanceof Error ? err.message : err).slice(0, MAX_MESSAGE) })
    }
  }
  return out
}

export function pluginAfterResponse(plugins: readonly LoadedPlugin[], rec: PluginRecord, warn: Warn): void {
  for (const p of plugins) {
    if (!p.afterResponse) continue
    const fail = (err: unknown) => warn('plugin afterResponse hook failed', { plugin: p.name, error: String(err instanceof Error ? err.message : err).slice(0, MAX_MESSAGE) })
    try {
      const r = p.afterResponse(rec)
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch(fail)
    } catch (err) {
      fail(err)
    }
  }
}
