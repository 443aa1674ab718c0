// Limits counted in this process. Holds no configuration (limits come with each admission), so
// one store can outlive config reloads and keep its counters.
import { limitError, limitHeaders, NO_HEADERS, periodStart, violates, violations, WINDOW_MS, windowStart, type Scope, type ScopeCounts, type Violation } from './limiter'
import { emptyTicket, scopesOf, type AdmitRequest, type AdmitResult, type LimitStore, type Ticket, type Usage } from './limit-store'

interface ScopeState extends ScopeCounts {
  window: number
  period: number
  reserved: number
}

export function createMemoryStore(): LimitStore {
  const states = new Map<string, ScopeState>()
  let seq = 0

  /** The scope's counters rolled forward to `now`. */
  const stateOf = (s: Scope, now: number): ScopeState => {
    let st = states.get(s.id)
    if (!st) {
      st = { window: windowStart(now), period: 0, rpmCur: 0, rpmPrev: 0, tpmCur: 0, tpmPrev: 0, active: 0, spent: 0, reserved: 0 }
      states.set(s.id, st)
    }
    const ws = windowStart(now)
    if (ws > st.window) {
      const adjacent = ws === st.window + WINDOW_MS
      st.rpmPrev = adjacent ? st.rpmCur : 0
      st.tpmPrev = adjacent ? st.tpmCur : 0
      st.rpmCur = 0
      st.tpmCur = 0
      st.window = ws
    }
    if (s.budget) {
      const p = periodStart(now, s.budget.per)
      if (p !== st.period) {
        st.period = p
        st.spent = 0
      }
    }
    return st
  }

  return {
    async admit(req: AdmitRequest, now: number): Promise<AdmitResult> {
      const scopes = scopesOf(req.principal)
      if (scopes.length === 0) return { ticket: emptyTicket(), headers: NO_HEADERS }
      const est = Math.max(0, Math.ceil(req.estimatedTokens))
      const costEst = Math.max(0, req.estimatedCostUsd ?? 0)
      const counts = scopes.map((s) => stateOf(s, now))
      let refused = false
      for (let i = 0; i < scopes.length; i++) if (violates(scopes[i], counts[i], est, now)) refused = true
      if (refused) {
        const vs: Violation[] = []
        for (let i = 0; i < scopes.length; i++) violations(scopes[i], counts[i], est, now, vs)
        throw limitError(vs, now, limitHeaders(scopes, counts, now))
      }
      for (let i = 0; i < scopes.length; i++) {
        const s = scopes[i], st = counts[i]
        if (s.rpm !== undefined) st.rpmCur += 1
        if (s.tpm !== undefined) st.tpmCur += est
        if (s.maxConcurrent !== undefined) st.active += 1
        if (s.budget !== undefined) st.reserved += costEst
      }
      const ticket: Ticket = { id: String(++seq), scopes, estimate: est, costEstimate: costEst, window: windowStart(now), released: false }
      return { ticket, headers: limitHeaders(scopes, counts, now) }
    },

    async release(ticket: Ticket, usage: Usage, now: number): Promise<void> {
      if (ticket.released) return
      ticket.released = true
      const tokens = Math.max(0, Math.round(usage.tokens))
      for (const s of ticket.scopes) {
        const st = stateOf(s, now)
        if (s.maxConcurrent !== undefined && st.active > 0) st.active -= 1
        if (s.tpm !== undefined) {
          // the estimate leaves the window it was reserved in (if still counted); the real
          // usage counts now, when the response ended
          if (ticket.window === st.window) st.tpmCur = Math.max(0, st.tpmCur - ticket.estimate)
          else if (ticket.window === st.window - WINDOW_MS) st.tpmPrev = Math.max(0, st.tpmPrev - ticket.estimate)
          st.tpmCur += tokens
        }
        if (s.budget) {
          st.reserved = Math.max(0, st.reserved - ticket.costEstimate)
          if (usage.costUsd > 0) st.spent += usage.costUsd
        }
      }
    },

    async close() {},
  }
}
