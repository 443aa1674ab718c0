// The Markdown report: conditions, the targets with met/missed, then each lane's figures.
// Ratios and "added" figures compare medians taken in the same run.
import type { MemoryResult } from './lanes/memory'
import { CHUNK_COUNTS, SCENARIOS } from './lanes/streaming'
import type { Recorder } from './recorder'
import { median } from './stats'

export interface ReportInput {
  rec: Recorder
  conditions: string[]
  memory?: { llm?: MemoryResult; bare?: MemoryResult }
  startupMs?: number[]
  startupCmd: string
}

const f = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a')
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : 'n/a')
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? '**met**' : '**MISSED**')
const row = (cells: string[]) => `| ${cells.join(' | ')} |`
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n')

function check(measured: number, limit: number, atMost: boolean): boolean | undefined {
  if (!Number.isFinite(measured)) return undefined
  return atMost ? measured <= limit : measured >= limit
}

const MEM_GROWTH_MB = 5

function targetRows(input: ReportInput): string[][] {
  const { rec, memory } = input
  const rows: string[][] = []
  const add = (name: string, measured: number, show: string, limit: number, atMost: boolean, target: string) =>
    rows.push([name, show, target, verdict(check(measured, limit, atMost))])
  for (const c of [64, 256]) {
    const r = rec.med(`ns.c${c}.rps`, 'llm') / rec.med(`ns.c${c}.rps`, 'bare')
    add(`Pass-through throughput, c=${c}`, r, pct(r), 0.85, false, '≥ 85 % of bare')
  }
  for (const c of [64, 256]) {
    const r = rec.med(`ns.c${c}.rps`, 'auth') / rec.med(`ns.c${c}.rps`, 'bare')
    add(`Auth + rate limit + metrics + ledger throughput, c=${c}`, r, pct(r), 0.7, false, '≥ 70 % of bare')
  }
  for (const n of CHUNK_COUNTS)
    for (const s of SCENARIOS.filter((x) => x.id === 'oo' || x.id === 'aa')) {
      const r = rec.med(`st${n}.${s.id}.sps`, 'llm') / rec.med(`st${n}.${s.id}.sps`, 'bare')
      add(`Pass-through streaming ${s.label.replace(' (pass-through)', '')}, ${n} chunks, streams/s`, r, pct(r), 0.85, false, '≥ 85 % of bare streaming')
    }
  for (const n of CHUNK_COUNTS)
    for (const s of SCENARIOS.filter((x) => x.id === 'ao' || x.id === 'oa' || x.id === 'ra')) {
      const r = rec.med(`st${n}.${s.id}.sps`, 'llm') / rec.med(`st${n}.${s.baseline}.sps`, 'bare')
      add(`Translated streaming ${s.label}, ${n} chunks, streams/s`, r, pct(r), 0.7, false, '≥ 70 % of bare streaming')
    }
  for (const s of SCENARIOS.filter((x) => x.id === 'ao' || x.id === 'oa')) {
    const v = perChunkCpu(rec, s.id, 'llm')
    add(`CPU per translated chunk, ${s.label}`, v, `${f(v, 2)} µs`, 1, true, '≈ 1 µs (checked as ≤ 1 µs)')
  }
  for (const s of SCENARIOS.filter((x) => x.id !== 'aa' && x.id !== 'ra')) {
    const base = s.baseline ?? s.id
    const v = rec.med(`st20.${s.id}.ttfb50`, 'llm') - rec.med(`st20.${base}.ttfb50`, 'direct')
    add(`Added TTFB p50 over direct, ${s.label}, 20 chunks`, v, `${f(v)} µs`, 500, true, '≤ 500 µs')
  }
  const lat = rec.med('ns.c1.p50', 'llm') - rec.med('ns.c1.p50', 'bare')
  add('Added p50 latency at c=1 over bare (non-streaming)', lat, `${f(lat)} µs`, 100, true, '≤ 100 µs')
  const m = memory?.llm
  add('Idle RSS', m?.idleMB ?? NaN, `${f(m?.idleMB ?? NaN, 1)} MB`, 60, true, '≤ 60 MB')
  const peak = m ? Math.max(m.peakMB, m.hwmMB) : NaN
  add('Peak RSS, 1,000 concurrent streams', peak, `${f(peak, 1)} MB (VmHWM)`, 250, true, '≤ 250 MB')
  const growth = m ? m.after2MB - m.after1MB : NaN
  add('RSS growth between two identical load rounds', growth, `${f(growth, 1)} MB`, MEM_GROWTH_MB, true, `no growth (≤ ${MEM_GROWTH_MB} MB noise)`)
  const st = median(input.startupMs ?? [])
  add('Compiled binary: exec → first /healthz 200 (median)', st, `${f(st, 1)} ms`, 100, true, '≤ 100 ms')
  return rows
}

/** Marginal CPU per chunk: (CPU per 2,000-chunk stream − CPU per 20-chunk stream) / 1,980. */
function perChunkCpu(rec: Recorder, scenario: string, target: string): number {
  const [a, b] = CHUNK_COUNTS
  return (rec.med(`st${b}.${scenario}.cpu`, target) - rec.med(`st${a}.${scenario}.cpu`, target)) / (b - a)
}

function nonStreamingTable(rec: Recorder): string {
  const ts = ['direct', 'bare', 'llm', 'auth']
  const metrics: Array<[string, string, number]> = [
    ['ns.c1.p50', 'latency p50 at c=1 (µs)', 0],
    ['ns.c1.p99', 'latency p99 at c=1 (µs)', 0],
    ['ns.rate.p50', 'latency p50 at fixed rate (µs)', 0],
    ['ns.rate.p99', 'latency p99 at fixed rate (µs)', 0],
    ['ns.c64.rps', 'throughput c=64 (req/s)', 0],
    ['ns.c64.p99', 'latency p99 c=64 (ms)', 2],
    ['ns.c256.rps', 'throughput c=256 (req/s)', 0],
    ['ns.c256.p99', 'latency p99 c=256 (ms)', 2],
    ['ns.c64.cpu', 'proxy CPU per request, c=64 (µs)', 1],
    ['ns.c256.cpu', 'proxy CPU per request, c=256 (µs)', 1],
  ]
  const rows = metrics.map(([key, label, d]) => {
    const v = ts.map((t) => rec.med(key, t))
    // throughput as a ratio to bare, everything else as a difference
    const rel = key.endsWith('.rps') ? [pct(v[2] / v[1]), pct(v[3] / v[1])] : [f(v[2] - v[1], d), f(v[3] - v[1], d)]
    return [label, ...v.map((x) => f(x, d)), ...rel]
  })
  return table(['metric', 'direct', 'bare', 'llm-proxy', 'llm-proxy + auth/ledger', 'llm-proxy vs bare', 'auth/ledger vs bare'], rows)
}

function streamingTable(rec: Recorder, n: number): string {
  const rows: string[][] = []
  for (const s of SCENARIOS)
    for (const t of s.targets) {
      const m = `st${n}.${s.id}`
      const base = s.baseline ?? s.id
      const sps = rec.med(`${m}.sps`, t)
      const cpu = rec.med(`${m}.cpu`, t)
      rows.push([
        s.label,
        t === 'auth' ? 'llm-proxy + auth/ledger' : t === 'llm' ? 'llm-proxy' : t,
        f(rec.med(`${m}.ttfb50`, t)),
        f(rec.med(`${m}.ttfb99`, t)),
        f(rec.med(`${m}.ttfb50`, t) - rec.med(`st${n}.${base}.ttfb50`, 'direct')),
        f(rec.med(`${m}.gap`, t), 2),
        f(rec.med(`${m}.gap`, t) - rec.med(`st${n}.${base}.gap`, 'direct'), 2),
        f(sps, 1),
        t === 'direct' ? '' : pct(sps / rec.med(`st${n}.${base}.sps`, 'bare')),
        f(cpu, 0),
        f(cpu / n, 2),
      ])
    }
  return table(
    ['scenario', 'via', 'TTFB p50 (µs)', 'TTFB p99 (µs)', 'added TTFB p50 vs direct (µs)', 'time per chunk (µs)', 'added per chunk vs direct (µs)', 'streams/s', 'vs bare streams/s', 'proxy CPU per stream (µs)', 'CPU per chunk (µs)'],
    rows,
  )
}

function memoryTable(memory: ReportInput['memory']): string {
  const rows: string[][] = []
  for (const [name, m] of [['bare', memory?.bare], ['llm-proxy', memory?.llm]] as const)
    if (m)
      rows.push([name, f(m.idleMB, 1), f(m.peakMB, 1), f(m.hwmMB, 1), f(m.after1MB, 1), f(m.after2MB, 1), String(m.okStreams), String(m.upstreamPeakOpen), f(m.wallMs)])
  return table(['proxy', 'idle RSS (MB)', 'peak RSS sampled (MB)', 'VmHWM (MB)', 'RSS after round 1 (MB)', 'after round 2 (MB)', 'good streams (last round)', 'peak streams open at the mock', 'round wall time (ms)'], rows)
}

export function renderReport(input: ReportInput): string {
  const { rec } = input
  const out = [
    `# llm-proxy benchmark, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '## Conditions',
    '',
    ...input.conditions.map((c) => `- ${c}`),
    '',
    '## Targets',
    '',
    table(['target', 'measured', 'target value', 'verdict'], targetRows(input)),
    '',
    '## Lane 1 and 4: non-streaming OpenAI Chat → OpenAI (medians over rounds)',
    '',
    nonStreamingTable(rec),
    '',
  ]
  for (const n of CHUNK_COUNTS) {
    out.push(`## Lanes 2 and 3: streaming, ${n} chunks`, '')
    out.push(
      n <= 100
        ? 'TTFB and time per chunk: sequential streams paced 1 ms per frame (each event crosses the proxy alone). Streams/s and CPU: unpaced, concurrency 64.'
        : 'TTFB and time per chunk: sequential streams, the mock writes all frames at once. Streams/s and CPU: concurrency 64.',
      'Translated scenarios are compared with the direct/bare figures of the upstream dialect they reach.',
      '',
      streamingTable(rec, n),
      '',
    )
  }
  out.push('## Lane 5: memory (pass-through streams, fresh processes)', '', memoryTable(input.memory), '')
  out.push('## Lane 6: start-up', '', `\`${input.startupCmd}\`: exec → first 200 on /healthz, runs (ms): ${(input.startupMs ?? []).map((x) => f(x, 1)).join(', ') || 'n/a'}; median ${f(median(input.startupMs ?? []), 1)} ms`, '')
  out.push('## Errors', '')
  if (rec.errors.size === 0) out.push('None: every request and stream answered 200 with a complete body.')
  else out.push(table(['where', 'count', 'first error'], [...rec.errors].map(([w, e]) => [w, String(e.count), (e.first ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')])))
  return out.join('\n') + '\n'
}
