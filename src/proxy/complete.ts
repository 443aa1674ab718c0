// The end of a request that got an upstream answer: fill in the record, hand it to the
// observers (log, ledger, metrics), release the limiter. Called exactly once per request.
import type { CanonUsage } from '../canonical/usage'
import type { ProxyContext } from './context'
import type { RequestState } from './attempt'

export interface Completion {
  usage?: CanonUsage
  ttftMs?: number
  clientDisconnected?: boolean
  error?: string
  /** time spent waiting on the upstream (excluded from the proxy's overhead) */
  upstreamMs?: number
}

const done = new WeakSet<RequestState>()

/** true once the request's record went out (its response is already on its way) */
export const isCompleted = (state: RequestState | undefined): boolean => !!state && done.has(state)

/** marks the request finished; false when it already was */
export function markCompleted(state: RequestState): boolean {
  if (done.has(state)) return false
  done.add(state)
  return true
}

export function completeRecord(state: RequestState, ctx: ProxyContext, status: number, c: Completion): void {
  if (!markCompleted(state)) return
  const rec = state.rec
  rec.status = status
  rec.usage = c.usage
  rec.ttftMs = c.ttftMs
  rec.clientDisconnected = c.clientDisconnected
  if (c.error) rec.error = c.error
  rec.durationMs = performance.now() - state.started
  if (c.upstreamMs !== undefined) rec.overheadMs = Math.max(0, rec.durationMs - c.upstreamMs)
  const costUsd = ctx.finish(rec)
  const tokens = c.usage ? c.usage.inputTokens + c.usage.outputTokens : 0
  state.admission?.release({ tokens, costUsd })
}
