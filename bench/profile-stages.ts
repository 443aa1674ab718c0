// Groups a Bun/V8 .cpuprofile by pipeline stage: each sample goes to the innermost frame of ours
// (src/) on its stack, native frames (JSON.parse, TextDecoder, stream internals) included with the
// caller that ran them, and that frame to a stage by file and function. Samples with no src/ frame
// (GC, module loading, the client's reads) are "outside", and so is the harness's own mock upstream
// (bench/ frames called from sendUpstream), which the bare proxy pays alike.
//
//   bun --cpu-prof --cpu-prof-dir=/tmp/p bench/cpu-breakdown.ts --lane stream --only proxy
//   bun bench/profile-stages.ts /tmp/p/*.cpuprofile [µs-per-request]
interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  samples: number[]
  timeDeltas: number[]
}

/** [stage, test on "file:function"], first match wins; order matters (specific before general) */
const STAGES: [string, RegExp][] = [
  ['finish: metrics', /observe\/(gateway-)?metrics|observe\/label-bounds|metrics-access/],
  ['finish: log', /observe\/(logger|attempt-log|request-record|body-log)/],
  ['finish: ledger', /observe\/(usage-|ledger|pricing|prices)/],
  ['finish: record (lifecycle, stream outcome)', /proxy\/lifecycle|proxy\/stream-outcome|tokens\/|observe\/request-finish|build-runtime/],
  ['usage tap / translator', /translate-stream|passthrough-tap|framing\/|dialects\/.*(decode-stream|encode-stream|read-delta|stream)|json-scan|usage-tail|redact-stream|json-array-stream/],
  ['stream pump', /stream-pump|bounded-stream|peek\.ts/],
  ['request parse', /read-body|validate-shape|dialects\/validate|json-depth|typebox/],
  ['auth', /\/auth\//],
  ['route', /server\.ts|request-url|routing\/|gateway\.ts|dialects\/index/],
  ['admission', /limits\//],
  ['upstream request build', /proxy\/prepare|dialects\/|upstream\/(headers|url|sign)/],
  ['fetch setup', /upstream\/send|upstream\/key-pool|upstream\/outcome|upstream\/breaker|attempt\.ts|upstream\//],
  ['response headers / respond', /respond\.ts|response-headers|request-state|errors-reply/],
  ['request orchestration', /proxy\/handle|proxy\/(cache|carry|stored|client-info|context)|plugins\//],
]

export function stageOf(where: string): string {
  for (const [stage, re] of STAGES) if (re.test(where)) return stage
  return 'other src'
}

if (import.meta.main) {
  const file = process.argv[2]
  const perReq = Number(process.argv[3] ?? 0)
  const prof = (await Bun.file(file).json()) as Profile
  const byId = new Map<number, Node>()
  const parent = new Map<number, number>()
  for (const n of prof.nodes) {
    byId.set(n.id, n)
    for (const c of n.children ?? []) parent.set(c, n.id)
  }
  const ours = (n: Node) => n.callFrame.url.includes('/src/')
  const memo = new Map<number, string>()
  const stageFor = (id: number): string => {
    const hit = memo.get(id)
    if (hit) return hit
    let s = 'outside (harness client, GC, idle)'
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!
      // the harness's mock upstream (injected fetch, its body stream) runs under sendUpstream
      if (n.callFrame.url.includes('/bench/')) {
        s = 'harness: mock upstream and client'
        break
      }
      if (ours(n)) {
        s = stageOf(`${n.callFrame.url.slice(n.callFrame.url.indexOf('/src/'))}:${n.callFrame.functionName}`)
        break
      }
    }
    memo.set(id, s)
    return s
  }
  const time = new Map<string, number>()
  let total = 0
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0
    const n = byId.get(prof.samples[i])!
    if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') continue
    const s = stageFor(prof.samples[i])
    time.set(s, (time.get(s) ?? 0) + dt)
    total += dt
  }
  const inside = total - (time.get('outside (harness client, GC, idle)') ?? 0) - (time.get('harness: mock upstream and client') ?? 0)
  // µs: the share of all samples × the harness's CPU per request measured without the profiler
  console.log(`| stage | share of proxy samples |${perReq ? ' µs per request |' : ''}\n| --- | --- |${perReq ? ' --- |' : ''}`)
  for (const [s, t] of [...time].sort((a, b) => b[1] - a[1])) {
    if (s.startsWith('outside') || s.startsWith('harness')) continue
    console.log(`| ${s} | ${((100 * t) / inside).toFixed(1)} % |${perReq ? ` ${((perReq * t) / total).toFixed(1)} |` : ''}`)
  }
  const share = (k: string) => ((100 * (time.get(k) ?? 0)) / total).toFixed(1)
  console.log(`(not the proxy: ${share('harness: mock upstream and client')} % harness mock/client frames, ${share('outside (harness client, GC, idle)')} % no src/ frame, of all samples)`)
}
