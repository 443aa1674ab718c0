// Lanes 2 and 3, one round: streams of 20 and 2,000 chunks, pass-through (OpenAI and Anthropic)
// and translated (Anthropic client → OpenAI upstream, OpenAI client → Anthropic upstream,
// Responses client → Anthropic upstream). TTFB and time per chunk from sequential streams (20
// chunks paced 1 ms apart so each event crosses the proxy alone; 2,000 chunks written at once),
// streams/s and the proxy's CPU per stream at fixed concurrency.
import type { Plan } from '../plan'
import { readCpuMicros } from '../procs'
import type { Recorder } from '../recorder'
import { buildReq, modelName, type ClientDialect, type Target } from '../requests'
import { sequentialStreams, streamThroughput } from '../stream-client'

export interface Scenario {
  id: string
  label: string
  dialect: ClientDialect
  family: 'gpt' | 'claude'
  targets: Target['name'][]
  /** pass-through scenario whose direct/bare figures a translated one is compared with */
  baseline?: string
}

export const SCENARIOS: Scenario[] = [
  { id: 'oo', label: 'OpenAI Chat → OpenAI (pass-through)', dialect: 'chat', family: 'gpt', targets: ['direct', 'bare', 'llm', 'auth'] },
  { id: 'aa', label: 'Anthropic → Anthropic (pass-through)', dialect: 'anthropic', family: 'claude', targets: ['direct', 'bare', 'llm'] },
  { id: 'ao', label: 'Anthropic client → OpenAI upstream', dialect: 'anthropic', family: 'gpt', targets: ['llm'], baseline: 'oo' },
  { id: 'oa', label: 'OpenAI client → Anthropic upstream', dialect: 'chat', family: 'claude', targets: ['llm'], baseline: 'aa' },
  { id: 'ra', label: 'Responses client → Anthropic upstream', dialect: 'responses', family: 'claude', targets: ['llm'], baseline: 'aa' },
]

export const CHUNK_COUNTS = [20, 2000]

function pairs(targets: Target[]): Array<[Scenario, Target]> {
  const out: Array<[Scenario, Target]> = []
  for (const s of SCENARIOS) for (const t of targets) if (s.targets.includes(t.name)) out.push([s, t])
  return out
}

export async function streamingRound(rec: Recorder, targets: Target[], plan: Plan): Promise<void> {
  for (const n of CHUNK_COUNTS) {
    const delay = n <= 100 ? 1 : 0
    for (const [s, t] of pairs(targets)) {
      const req = buildReq(t, s.dialect, modelName(s.family, n, delay), n, true)
      const r = await sequentialStreams(req, plan.latStreams[n], plan.latStreamMs, 3)
      const m = `st${n}.${s.id}`
      rec.add(`${m}.ttfb50`, t.name, r.ttfbP50)
      rec.add(`${m}.ttfb99`, t.name, r.ttfbP99)
      rec.add(`${m}.gap`, t.name, r.gap)
      rec.addErrors(`${s.label}, ${n} chunks, sequential, via ${t.name}`, r.errors, r.firstError)
    }
    for (const [s, t] of pairs(targets)) {
      const req = buildReq(t, s.dialect, modelName(s.family, n, 0), n, true)
      const cpu0 = t.pid ? readCpuMicros(t.pid) : 0
      const r = await streamThroughput(req, plan.streamConcurrency, plan.thrSec * 1000)
      const m = `st${n}.${s.id}`
      if (t.pid && r.streams > 0) rec.add(`${m}.cpu`, t.name, (readCpuMicros(t.pid) - cpu0) / (r.streams + r.errors))
      rec.add(`${m}.sps`, t.name, r.perSec)
      rec.addErrors(`${s.label}, ${n} chunks, c=${plan.streamConcurrency}, via ${t.name}`, r.errors, r.firstError)
    }
  }
}
