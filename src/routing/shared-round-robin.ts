// Round-robin positions shared by replicas (state.redis): for a round-robin alias, the pick comes
// from one counter in the shared store (one INCR per request to such an alias), so replicas behind
// a load balancer continue a single rotation instead of each running its own.
import type { ModelEntry } from '../config/types'
import { RoundRobinCounters } from './round-robin'

/** A counter source that always answers the position it was given. */
export class FixedPosition extends RoundRobinCounters {
  constructor(private readonly position: number) {
    super()
  }

  override next(_key: string, n: number, _entry?: ModelEntry): number {
    return this.position % Math.max(1, n)
  }
}

export const needsSharedPosition = (entry: ModelEntry | undefined): entry is ModelEntry =>
  !!entry && entry.strategy === 'round_robin' && entry.targets.length > 1
