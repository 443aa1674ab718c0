// What the dashboard's live view and providers page show: the streams going out now, the last N
// finished requests and the last N failed upstream attempts. Bounded rings in memory, fed from the
// request-finish path and the attempt report (O(1) each, no I/O); this replica's view only.
import type { RequestRecord } from './request-record'
import { redact } from './redact'

export interface LiveRequest {
  /** epoch ms of arrival */
  time: number
  id: string
  key: string
  group: string
  front: string
  model: string
  provider: string
  upstream_model: string
  status: number
  attempts: number
  stream: boolean
  duration_ms: number
  ttft_ms: number | null
  input_tokens: number
  output_tokens: number
  cost_usd: number
  error: string | null
}

export interface ActiveStream {
  id: string
  key: string
  front: string
  model: string
  provider: string
  upstream_model: string
  /** epoch ms when the stream started going out */
  since: number
  attempts: number
}

export interface UpstreamFailure {
  time: number
  provider: string
  target: string
  /** rate_limit, auth, timeout, 5xx, 4xx */
  class: string
  status: number
}

/** A fixed-size ring: push is O(1), list() gives the newest first. */
export class Ring<T> {
  private items: (T | undefined)[]
  private next = 0
  private size = 0
  constructor(readonly capacity: number) {
    this.items = new Array(capacity)
  }
  push(item: T): void {
    this.items[this.next] = item
    this.next = (this.next + 1) % this.capacity
    if (this.size < this.capacity) this.size++
  }
  list(limit = this.size): T[] {
    const out: T[] = []
    for (let i = 1; i <= Math.min(limit, this.size); i++) out.push(this.items[(this.next - i + this.capacity) % this.capacity]!)
    return out
  }
}

export interface LiveFeed {
  streamStarted(r: RequestRecord, now: number): void
  finished(r: RequestRecord, costUsd: number, now: number): void
  upstreamFailed(f: UpstreamFailure): void
  active(): ActiveStream[]
  recent(limit?: number): LiveRequest[]
  failures(limit?: number): UpstreamFailure[]
}

/** Bounds on what is kept: the newest requests and failures, and the open streams shown. */
export const LIVE_LIMITS = { recent: 200, failures: 100, active: 500 }

export function createLiveFeed(limits = LIVE_LIMITS): LiveFeed {
  const recent = new Ring<LiveRequest>(limits.recent)
  const failures = new Ring<UpstreamFailure>(limits.failures)
  // insertion-ordered: the oldest streams come first; bounded by the requests in flight
  const streams = new Map<RequestRecord, number>()
  return {
    streamStarted(r, now) {
      streams.set(r, now)
    },
    finished(r, costUsd, now) {
      streams.delete(r)
      const u = r.usage
      recent.push({
        time: Math.round(now - r.durationMs),
        id: r.requestId,
        key: r.principal?.name ?? '',
        group: r.principal?.group ?? '',
        front: r.front,
        model: r.modelRequested ?? '',
        provider: r.provider ?? '',
        upstream_model: r.modelUpstream ?? '',
        status: r.status,
        attempts: r.attempts,
        stream: r.stream,
        duration_ms: Math.round(r.durationMs),
        ttft_ms: r.ttftMs !== undefined ? Math.round(r.ttftMs) : null,
        input_tokens: u?.inputTokens ?? 0,
        output_tokens: u?.outputTokens ?? 0,
        cost_usd: costUsd,
        error: r.error ? redact(r.error.slice(0, 300)) : null,
      })
    },
    upstreamFailed: (f) => failures.push(f),
    active() {
      const out: ActiveStream[] = []
      for (const [r, since] of streams) {
        if (out.length >= limits.active) break
        out.push({
          id: r.requestId,
          key: r.principal?.name ?? '',
          front: r.front,
          model: r.modelRequested ?? '',
          provider: r.provider ?? '',
          upstream_model: r.modelUpstream ?? '',
          since,
          attempts: r.attempts,
        })
      }
      return out
    },
    recent: (limit) => recent.list(limit),
    failures: (limit) => failures.list(limit),
  }
}
