// What /health says about the writers that work behind requests: the usage ledger (rows waiting,
// dropped, failing) and, with Redis, limit settles queued until Redis is back.
import type { LimitStore } from '../limits'
import type { UsageLedger } from './usage-ledger'

export function backgroundHealth(s: { ledger: Pick<UsageLedger, 'health'>; limits: Pick<LimitStore, 'pendingSettles'> }): Record<string, unknown> {
  const out: Record<string, unknown> = { usage_ledger: s.ledger.health() }
  const settles = s.limits.pendingSettles?.()
  if (settles !== undefined) out.rate_limit_state = { pending_settles: settles }
  return out
}
