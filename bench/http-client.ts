// Non-streaming latency clients on fetch with keep-alive: one request at a time (added latency at
// concurrency 1), and an open loop at a fixed rate: it keeps sending on schedule whatever the
// server does (1 ms timer ticks), and times each request from its actual send.
import { percentile } from './stats'

export interface Req {
  url: string
  headers: Record<string, string>
  body: string
}

export interface Latency {
  n: number
  errors: number
  firstError?: string
  /** µs */
  p50: number
  p99: number
}

async function send(req: Req): Promise<string | undefined> {
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body })
  const text = await res.text()
  return res.status === 200 ? undefined : `${res.status} ${text.slice(0, 200)}`
}

export async function sequentialLatency(req: Req, maxN: number, maxMs: number, warmup: number): Promise<Latency> {
  for (let i = 0; i < warmup; i++) await send(req).catch(() => undefined)
  const xs: number[] = []
  let errors = 0
  let firstError: string | undefined
  const end = performance.now() + maxMs
  for (let i = 0; i < maxN && performance.now() < end; i++) {
    const t0 = performance.now()
    const err = await send(req).catch((e: unknown) => String(e))
    const dt = performance.now() - t0
    if (err) (errors++, (firstError ??= err))
    else xs.push(dt * 1000)
  }
  return { n: xs.length, errors, firstError, p50: percentile(xs, 50), p99: percentile(xs, 99) }
}

/** Sends `rate` req/s for `durationMs` (at most `maxInFlight` outstanding), then waits ≤ 10 s. */
export async function fixedRateLatency(req: Req, rate: number, durationMs: number, maxInFlight = 512): Promise<Latency> {
  const xs: number[] = []
  let errors = 0
  let firstError: string | undefined
  let inFlight = 0
  const pending: Promise<void>[] = []
  const t0 = performance.now()
  const total = Math.floor((rate * durationMs) / 1000)
  let launched = 0
  while (launched < total && performance.now() - t0 < durationMs + 1000) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1)
    while (launched < due && inFlight < maxInFlight) {
      const sent = performance.now()
      launched++
      inFlight++
      pending.push(
        send(req)
          .catch((e: unknown) => String(e))
          .then((err) => {
            inFlight--
            if (err) (errors++, (firstError ??= err))
            else xs.push((performance.now() - sent) * 1000)
          }),
      )
    }
    await Bun.sleep(1)
  }
  errors += total - launched // could not even be sent in time
  await Promise.race([Promise.all(pending), Bun.sleep(10_000)])
  return { n: xs.length, errors, firstError, p50: percentile(xs, 50), p99: percentile(xs, 99) }
}
