// What models a provider serves: asked of its own models list once (GET, bounded in time and
// size), cached for ten minutes, with the built-in catalog as the fallback when the provider
// cannot be asked or does not answer. Backs `policy.list_wildcards: expand`.
import type { ProviderConfig } from '../config/types'
import { dialectEntry } from '../dialects'
import { catalogIds } from '../routing/model-catalog'
import { applyAuth, upstreamUrl } from './build-request'
import type { FetchLike } from './send'
import { readBodyText } from './bounded-body'

const TTL_MS = 10 * 60_000
const TIMEOUT_MS = 3_000
const MAX_IDS = 5_000
const MAX_BYTES = 4 << 20

interface Cached {
  at: number
  ids: string[]
}

/** the ids in an OpenAI / Anthropic (`data[].id`) or Gemini (`models[].name`) models list */
export function idsOfModelList(body: unknown): string[] {
  const o = body as { data?: Array<{ id?: unknown }>; models?: Array<{ name?: unknown }> }
  const raw = Array.isArray(o?.data) ? o.data.map((m) => m?.id) : Array.isArray(o?.models) ? o.models.map((m) => m?.name) : []
  const out: string[] = []
  for (const id of raw) if (typeof id === 'string' && id.length > 0 && id.length <= 200 && out.length < MAX_IDS) out.push(id.replace(/^models\//, ''))
  return out
}

export class UpstreamModels {
  private readonly cache = new Map<string, Cached>()
  private readonly pending = new Map<string, Promise<string[]>>()
  constructor(
    private readonly fetch: FetchLike,
    private readonly now: () => number = Date.now,
  ) {}

  /** the provider's model ids (its own list, else the catalog's ids of its family) */
  async ids(p: ProviderConfig): Promise<string[]> {
    const hit = this.cache.get(p.name)
    if (hit && this.now() - hit.at < TTL_MS) return hit.ids
    let job = this.pending.get(p.name)
    if (!job) {
      job = this.ask(p)
        .catch(() => undefined)
        .then((ids) => {
          const got = ids?.length ? ids : catalogIds(p.name)
          this.cache.set(p.name, { at: this.now(), ids: got })
          return got
        })
        .finally(() => this.pending.delete(p.name))
      this.pending.set(p.name, job)
    }
    return job
  }

  private async ask(p: ProviderConfig): Promise<string[] | undefined> {
    const d = dialectEntry(p.dialect)
    if (!d?.modelsPath || p.passthrough || !p.base_url || p.base_url.includes('{model}')) return undefined
    const headers = new Headers(p.headers)
    applyAuth(headers, p, p.api_keys[0], d.auth)
    const stop = new AbortController()
    const signal = AbortSignal.any([stop.signal, AbortSignal.timeout(TIMEOUT_MS)])
    const res = await this.fetch(upstreamUrl(p, '', d.modelsPath), { method: 'GET', headers, redirect: 'manual', signal })
    if (!res.ok) {
      await res.body?.cancel().catch(() => {})
      return undefined
    }
    // bounded while it is read (size and time); a parse that fails falls back to the catalog
    const deadline = performance.now() + TIMEOUT_MS
    const text = await readBodyText(res, { providerName: p.name, idleMs: TIMEOUT_MS, deadline, abort: () => stop.abort(), maxBytes: MAX_BYTES })
    return idsOfModelList(JSON.parse(text))
  }
}
