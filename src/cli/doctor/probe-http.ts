// HTTP probes for `llm-proxy doctor`: the auth check (the dialect's models-list call with the
// provider's first key) and, with --live, a 1-token completion for one model. Upstream error
// bodies are not shown: some echo part of the key.
import type { ProviderConfig } from '../../config/types'
import { applyAuth, upstreamUrl } from '../../upstream/build-request'
import { timed, type CheckResult } from './probe-net'

interface DialectCalls {
  auth: { header: string; scheme: string }
  headers?: Record<string, string>
  /** path of the models-list call, absent when the dialect has none */
  models?: string
  complete: (model: string) => { path: string; body: unknown }
}

const OPENAI_AUTH = { header: 'authorization', scheme: 'Bearer' }
const PING = 'ping'

const CALLS: Partial<Record<ProviderConfig['dialect'], DialectCalls>> = {
  'openai-chat': {
    auth: OPENAI_AUTH,
    models: '/models',
    complete: (model) => ({ path: '/chat/completions', body: { model, messages: [{ role: 'user', content: PING }], max_tokens: 1 } }),
  },
  'openai-responses': {
    auth: OPENAI_AUTH,
    models: '/models',
    // the Responses API's smallest allowed max_output_tokens is 16
    complete: (model) => ({ path: '/responses', body: { model, input: PING, max_output_tokens: 16 } }),
  },
  anthropic: {
    auth: { header: 'x-api-key', scheme: '' },
    headers: { 'anthropic-version': '2023-06-01' },
    models: '/v1/models',
    complete: (model) => ({ path: '/v1/messages', body: { model, max_tokens: 1, messages: [{ role: 'user', content: PING }] } }),
  },
  gemini: {
    auth: { header: 'x-goog-api-key', scheme: '' },
    models: '/v1beta/models',
    complete: (model) => ({
      path: `/v1beta/models/${encodeURIComponent(model)}:generateContent`,
      body: { contents: [{ role: 'user', parts: [{ text: PING }] }], generationConfig: { maxOutputTokens: 1 } },
    }),
  },
}

export const hasHttpChecks = (p: ProviderConfig): boolean => CALLS[p.dialect] !== undefined

function headersFor(p: ProviderConfig, calls: DialectCalls): Headers {
  const h = new Headers({ ...calls.headers, ...p.headers })
  applyAuth(h, p, p.passthrough ? undefined : p.api_keys[0], calls.auth)
  return h
}

async function call(name: string, p: ProviderConfig, url: string, init: RequestInit, timeoutMs: number): Promise<CheckResult> {
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
  const calls = CALLS[p.dialect]
  if (!calls?.models) return { name: 'auth', ok: true, skipped: `no models-list call for ${p.dialect}` }
  if (p.passthrough) return { name: 'auth', ok: true, skipped: 'passthrough: clients bring their own keys' }
  if (p.base_url?.includes('{model}')) return { name: 'auth', ok: true, skipped: 'base_url is per model; see --live' }
  return call('auth', p, upstreamUrl(p, '', calls.models), { method: 'GET', headers: headersFor(p, calls) }, timeoutMs)
}

export async function probeCompletion(p: ProviderConfig, model: string, timeoutMs: number): Promise<CheckResult> {
  const calls = CALLS[p.dialect]!
  const { path, body } = calls.complete(model)
  const h = headersFor(p, calls)
  h.set('content-type', 'application/json')
  return call(`complete ${model}`, p, upstreamUrl(p, model, path), { method: 'POST', headers: h, body: JSON.stringify(body) }, timeoutMs)
}
