// How long and how often each lane measures: the full run (≤ ~10 min) and `--quick` (~1 min).

export interface Plan {
  quick: boolean
  rounds: number
  /** non-streaming, concurrency 1: warm-up requests, then at most `seqN` requests or `seqMs` */
  warmup: number
  seqN: number
  seqMs: number
  /** open-loop latency: req/s for `rateMs` */
  rate: number
  rateMs: number
  /** closed-loop throughput (wrk/autocannon and streams/s), seconds per measurement */
  thrSec: number
  streamConcurrency: number
  /** sequential streams for TTFB and gaps, per chunk count */
  latStreams: Record<number, number>
  latStreamMs: number
  /** memory lane: concurrent slow streams of `memChunks` frames `memDelayMs` apart */
  memStreams: number
  memChunks: number
  memDelayMs: number
  startupRuns: number
}

export const FULL: Plan = {
  quick: false,
  rounds: 3,
  warmup: 300,
  seqN: 2000,
  seqMs: 3000,
  rate: 1000,
  rateMs: 2000,
  thrSec: 2,
  streamConcurrency: 64,
  latStreams: { 20: 60, 2000: 20 },
  latStreamMs: 3000,
  memStreams: 1000,
  memChunks: 50,
  memDelayMs: 100,
  startupRuns: 5,
}

export const QUICK: Plan = {
  quick: true,
  rounds: 1,
  warmup: 100,
  seqN: 300,
  seqMs: 1000,
  rate: 1000,
  rateMs: 500,
  thrSec: 1,
  streamConcurrency: 64,
  latStreams: { 20: 15, 2000: 5 },
  latStreamMs: 1000,
  memStreams: 1000,
  memChunks: 20,
  memDelayMs: 100,
  startupRuns: 5,
}
