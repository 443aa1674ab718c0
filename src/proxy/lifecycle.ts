// One request from its first byte to its record: the only place that finishes a request, exactly
// once, whichever way it ends (an answer streamed out, a client gone mid-stream, an error before
// any answer). The record goes to the observers (log, ledger, metrics) and the limiter slot is
// released with what the request really used.
import type { CanonUsage } from '../canonical/usage'
import type { Admission, ProxyContext, RequestRecord } from './context'

export interface Completion {
  status: number
  usage?: CanonUsage
  ttftMs?: number
  clientDisconnected?: boolean
  error?: string
  /** time spent waiting on the upstream (excluded from the proxy's overhead) */
  upstreamMs?: number
  /** the canonical finish reason seen in the answer */
  finishReason?: string
  /** some usage figure was estimated locally (see proxy/stream-outcome.ts) */
  usageEstimated?: boolean
  /** why a request that had started answering failed */
  errorClass?: string
}

type Observers = Pick<ProxyContext, 'finish' | 'streamStarted' | 'requestStarted'>

export class RequestLifecycle {
  readonly rec: RequestRecord
  /** performance.now() when the request arrived */
  readonly started: number
  /** the limiter's slot, once admitted */
  admission: Admission | undefined
  private finished = false

  constructor(
    private readonly observers: Observers,
    rec: RequestRecord,
    started: number,
  ) {
    this.rec = rec
    this.started = started
    // counted from here until finish(): the one pair the drain waits on
    observers.requestStarted?.()
  }

  /** true once the record went out (its response is already on its way) */
  get done(): boolean {
    return this.finished
  }

  /** a streamed response is going out: the active-streams gauge counts it until finish */
  streaming(): void {
    this.observers.streamStarted?.(this.rec)
  }

  /** The request ended: fill in the record and hand it on. Later calls change nothing. */
  finish(c: Completion): void {
    if (this.finished) return
    this.finished = true
    const rec = this.rec
    rec.status = c.status
    rec.usage = c.usage
    rec.ttftMs = c.ttftMs
    rec.clientDisconnected = c.clientDisconnected
    if (c.error) rec.error = c.error
    if (c.finishReason) rec.finishReason = c.finishReason
    if (c.usageEstimated) rec.usageEstimated = true
    if (c.errorClass) rec.errorClass = c.errorClass
    rec.durationMs = performance.now() - this.started
    if (c.upstreamMs !== undefined) rec.overheadMs = Math.max(0, rec.durationMs - c.upstreamMs)
    const costUsd = this.observers.finish(rec)
    const tokens = c.usage ? c.usage.inputTokens + c.usage.outputTokens : 0
    this.admission?.release({ tokens, costUsd: c.usage ? costUsd : 0 })
  }
}
