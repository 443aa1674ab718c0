// The usage ledger's state at every scrape: rows waiting, rows dropped, whether writes fail.
import type { Registry } from './metrics'
import type { UsageLedger } from './usage-ledger'

export function watchLedger(registry: Registry, ledger: Pick<UsageLedger, 'health'>): void {
  const pending = registry.gauge('llm_proxy_usage_ledger_pending', 'Usage rows waiting to be written.')
  const dropped = registry.counter('llm_proxy_usage_ledger_dropped_total', 'Usage rows dropped: the backlog was full or the process stopped first.')
  const failing = registry.gauge('llm_proxy_usage_ledger_failing', '1 while writes to usage.store fail (retried with backoff).')
  let seen = 0
  registry.onCollect(() => {
    const h = ledger.health()
    pending.set([], h.pending)
    if (h.dropped > seen) dropped.inc([], h.dropped - seen)
    seen = h.dropped
    failing.set([], h.failing ? 1 : 0)
  })
}
