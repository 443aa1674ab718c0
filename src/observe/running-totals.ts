// GET /metrics/running-totals: JSON totals since start by provider, model and client key
// (vandamme's running totals). In memory, bounded: each dimension keeps at most `maxLabels`
// names, later ones are added up under "other".

export interface Totals {
  requests: number
  errors: number
  input_tokens: number
  output_tokens: number
  cost_usd: number
}

export interface FinishedRequest {
  provider: string
  model: string
  key: string
  status: number
  inputTokens: number
  outputTokens: number
  costUsd: number
}

export interface RunningTotals {
  add(r: FinishedRequest): void
  snapshot(): { since: string; totals: Totals; by_provider: Record<string, Totals>; by_model: Record<string, Totals>; by_key: Record<string, Totals> }
}

export const OTHER = 'other'
const DEFAULT_MAX_LABELS = 500

const zero = (): Totals => ({ requests: 0, errors: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0 })

function addTo(t: Totals, r: FinishedRequest): void {
  t.requests++
  if (r.status >= 400) t.errors++
  t.input_tokens += r.inputTokens
  t.output_tokens += r.outputTokens
  t.cost_usd += r.costUsd
}

export function createRunningTotals(startedAtMs = Date.now(), maxLabels = DEFAULT_MAX_LABELS): RunningTotals {
  const total = zero()
  const dims = { by_provider: new Map<string, Totals>(), by_model: new Map<string, Totals>(), by_key: new Map<string, Totals>() }
  const bucket = (m: Map<string, Totals>, name: string): Totals => {
    let t = m.get(name)
    if (t) return t
    // the cap counts named entries; "other" is always there to take the rest
    const key = m.size - (m.has(OTHER) ? 1 : 0) < maxLabels ? name : OTHER
    t = m.get(key) ?? zero()
    m.set(key, t)
    return t
  }
  const plain = (m: Map<string, Totals>) => Object.fromEntries([...m].map(([k, t]) => [k, { ...t, cost_usd: round(t.cost_usd) }]))
  return {
    add(r) {
      addTo(total, r)
      addTo(bucket(dims.by_provider, r.provider || 'none'), r)
      addTo(bucket(dims.by_model, r.model || 'none'), r)
      addTo(bucket(dims.by_key, r.key || 'anonymous'), r)
    },
    snapshot: () => ({
      since: new Date(startedAtMs).toISOString(),
      totals: { ...total, cost_usd: round(total.cost_usd) },
      by_provider: plain(dims.by_provider),
      by_model: plain(dims.by_model),
      by_key: plain(dims.by_key),
    }),
  }
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6
