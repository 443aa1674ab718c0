// Lane 5: a fresh proxy's RSS idle, its peak while `memStreams` slow streams are open at once, and
// after two identical load rounds (growth between them means memory kept per request). The mock's
// peak of open streams shows how many of them really reached the upstream at once.
import type { Plan } from '../plan'
import { readMem } from '../procs'
import { buildReq, modelName, type Target } from '../requests'
import { concurrentStreams } from '../stream-client'
import type { Recorder } from '../recorder'

export interface MemoryResult {
  idleMB: number
  peakMB: number
  hwmMB: number
  after1MB: number
  after2MB: number
  upstreamPeakOpen: number
  okStreams: number
  wallMs: number
}

async function mockPeak(mockBase: string, reset: boolean): Promise<number> {
  const res = await fetch(`${mockBase}/stats${reset ? '?reset=1' : ''}`)
  return ((await res.json()) as { peakOpen: number }).peakOpen
}

export async function memoryLane(rec: Recorder, t: Target & { pid: number }, mockBase: string, plan: Plan): Promise<MemoryResult> {
  await Bun.sleep(1000)
  const idleMB = readMem(t.pid).rssMB
  const req = buildReq(t, 'chat', modelName('gpt', plan.memChunks, plan.memDelayMs), plan.memChunks, true)
  const timeoutMs = plan.memChunks * plan.memDelayMs * 4 + 10_000
  let peakMB = 0
  const after: number[] = []
  let upstreamPeakOpen = 0
  let okStreams = 0
  let wallMs = 0
  for (let round = 0; round < 2; round++) {
    await mockPeak(mockBase, true)
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        peakMB = Math.max(peakMB, readMem(t.pid).rssMB)
        await Bun.sleep(50)
      }
    })()
    const r = await concurrentStreams(req, plan.memStreams, timeoutMs)
    sampling = false
    await sampler
    rec.addErrors(`${plan.memStreams} concurrent slow streams via ${t.name}`, r.errors, r.firstError)
    upstreamPeakOpen = Math.max(upstreamPeakOpen, await mockPeak(mockBase, false))
    okStreams = r.n
    wallMs = r.wallMs
    await Bun.sleep(2000)
    after.push(readMem(t.pid).rssMB)
  }
  return { idleMB, peakMB, hwmMB: readMem(t.pid).hwmMB, after1MB: after[0], after2MB: after[1], upstreamPeakOpen, okStreams, wallMs }
}
