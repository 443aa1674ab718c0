// HTTP probes for `llm-proxy doctor`: the auth check (the dialect's models-list call with the
// provider's first key) and, with --live, a 1-token completion for one model, encoded by the
// dialect's own codec. Upstream error bodies are not shown: some echo part of the key.
import type { CanonRequest } from '../../canonical/request'
import type { ProviderConfig } from '../../config/types'
import { dialectEntry } from '../../dialects'
import { applyAuth, upstreamUrl } from '../../upstream/build-request'
import { signContext } from '../../upstream/sign-context'
import { timed, type CheckResult } from './probe-net'

/** whether the provider's dialect is spoken on the wire (not answered locally) */
export const hasHttpChecks = (p: ProviderConfig): boolean => dialectEntry(p.dialect) !== undefined

function headersFor(p: ProviderConfig, extra: Record<string, string> = {}): Headers {
  const h = new Headers({ ...extra, ...p.headers })
  const auth = dialectEntry(p.dialect)?.auth ?? { header: 'authorization', scheme: 'Bearer' }
  applyAuth(h, p, p.passthrough ? undefined : p.api_keys[0], auth)
  return h
}

async function call(name: string, url: string, init: RequestInit, timeoutMs: number): Promise<CheckResult> {
  try {
    const { value: res, ms } = await timed(timeoutMs, async (signal) => {
      const r = await fetch(url, { ...init, signal, redirect: 'manual' })
      await r.body?.cancel().catch(() => {})
      return r
    })
    if (res.ok) return { name, ok: true, ms, detail: `HTTP ${res.status}` }
    const why = res.status === 401 || res.status === 403 ? 'the key was rejected' : res.status === 429 ? 'rate limited' : 'upstream error'
    return { name, ok: false, ms, detail: `HTTP ${res.status}: ${why}` }
  } catch (err) {
    return { name, ok: false, detail: err instanceof Error ? err.message : String(err) }
  }
}

export async function probeAuth(p: ProviderConfig, timeoutMs: number): Promise<CheckResult> {
  const path = dialectEntry(p.dialect)?.modelsPath
  if (!path) return { name: 'auth', ok: true, skipped: `no models-list call for ${p.dialect}` }
  if (p.passthrough) return { name: 'auth', ok: true, skipped: 'passthrough: clients bring their own keys' }
  if (p.base_url?.includes('{model}')) return { name: 'auth', ok: true, skipped: 'base_url is per model; see --live' }
  const h = headersFor(p, dialectEntry(p.dialect)?.encodeRequest(ping('m'), { model: 'm', defaultMaxTokens: 1 }).headers)
  return call('auth', upstreamUrl(p, '', path), { method: 'GET', headers: h }, timeoutMs)
}

const ping = (model: string): CanonRequest => ({
  model,
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'ping' }] }],
  maxOutputTokens: 1, // codecs raise it where an API has a higher minimum
  stream: false,
})

export async function probeCompletion(p: ProviderConfig, model: string, timeoutMs: number): Promise<CheckResult> {
  const name = `complete ${model}`
  const entry = dialectEntry(p.dialect)
  if (!entry) return { name, ok: true, skipped: `${p.dialect} runs in the proxy` }
  const wire = entry.encodeRequest(ping(model), { model, defaultMaxTokens: 1, provider: p })
  const h = headersFor(p, wire.headers)
  h.set('content-type', 'application/json')
  const req = { url: upstreamUrl(p, model, wire.path), headers: h, body: JSON.stringify(wire.body) }
  try {
    // a dialect that signs its requests (Bedrock SigV4) signs the ping too
    entry.sign?.(req, p, p.passthrough ? undefined : p.api_keys[0], signContext())
  } catch (err) {
    return { name, ok: false, detail: err instanceof Error ? err.message : String(err) }
  }
  return call(name, req.url, { method: 'POST', headers: req.headers, body: req.body }, timeoutMs)
}
