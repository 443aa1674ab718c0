// Lanes 1 and 4, one round: OpenAI Chat → OpenAI mock without streaming. Latency at concurrency 1
// and at a fixed rate, throughput at 64 and 256 connections with the proxy's CPU per request.
// Targets are interleaved per measurement so drift hits them all alike.
import { fixedRateLatency, sequentialLatency } from '../http-client'
import { throughput } from '../load-tool'
import type { Plan } from '../plan'
import { readCpuMicros } from '../procs'
import type { Recorder } from '../recorder'
import { buildReq, modelName, type Target } from '../requests'

export async function nonStreamingRound(rec: Recorder, targets: Target[], plan: Plan, tmpDir: string): Promise<void> {
  const req = (t: Target) => buildReq(t, 'chat', modelName('gpt', 20, 0), 20, false)
  for (const t of targets) {
    const r = await sequentialLatency(req(t), plan.seqN, plan.seqMs, plan.warmup)
    rec.add('ns.c1.p50', t.name, r.p50)
    rec.add('ns.c1.p99', t.name, r.p99)
    rec.addErrors(`non-streaming c=1 via ${t.name}`, r.errors, r.firstError)
  }
  for (const t of targets) {
    const r = await fixedRateLatency(req(t), plan.rate, plan.rateMs)
    rec.add('ns.rate.p50', t.name, r.p50)
    rec.add('ns.rate.p99', t.name, r.p99)
    rec.addErrors(`non-streaming ${plan.rate} req/s via ${t.name}`, r.errors, r.firstError)
  }
  for (const c of [64, 256]) {
    for (const t of targets) {
      const cpu0 = t.pid ? readCpuMicros(t.pid) : 0
      const r = await throughput(req(t), c, plan.thrSec, tmpDir)
      if (t.pid && r.requests > 0) rec.add(`ns.c${c}.cpu`, t.name, (readCpuMicros(t.pid) - cpu0) / r.requests)
      rec.add(`ns.c${c}.rps`, t.name, r.rps)
      rec.add(`ns.c${c}.p99`, t.name, r.p99)
      rec.addErrors(`non-streaming c=${c} via ${t.name}`, r.errors, r.errors ? `${r.tool}: ${r.errors} non-2xx or socket errors of ${r.requests}` : undefined)
    }
  }
}
