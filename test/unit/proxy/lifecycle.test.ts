// A request is finished exactly once, whichever paths try to finish it.
import { expect, test } from 'bun:test'
import type { RequestRecord } from '../../../src/proxy/context'
import { RequestLifecycle } from '../../../src/proxy/lifecycle'

const record = (): RequestRecord => ({ requestId: 'req_1', method: 'POST', path: '/v1/messages', front: 'anthropic', attempts: 1, status: 0, stream: true, durationMs: 0 })

test('the first finish wins: one record, one release with what was used', () => {
  const finished: RequestRecord[] = []
  const released: Array<{ tokens: number; costUsd: number }> = []
  const life = new RequestLifecycle({ finish: (r) => (finished.push({ ...r }), 0.5) }, record(), performance.now())
  life.admission = { headers: {}, release: (u) => released.push(u) }
  expect(life.done).toBe(false)
  life.finish({ status: 200, usage: { inputTokens: 3, outputTokens: 4 }, upstreamMs: 0 })
  // a later error path (the stream's consumer gone, a late throw) changes nothing
  life.finish({ status: 502, error: 'late' })
  life.finish({ status: 200, clientDisconnected: true })
  expect(life.done).toBe(true)
  expect(finished).toHaveLength(1)
  expect(finished[0]).toMatchObject({ status: 200, usage: { inputTokens: 3, outputTokens: 4 } })
  expect(finished[0].error).toBeUndefined()
  expect(finished[0].overheadMs).toBeGreaterThanOrEqual(0)
  expect(released).toEqual([{ tokens: 7, costUsd: 0.5 }])
})

test('an error before any answer: the status and message are recorded, nothing is billed', () => {
  const finished: RequestRecord[] = []
  const released: Array<{ tokens: number; costUsd: number }> = []
  const life = new RequestLifecycle({ finish: (r) => (finished.push(r), 0) }, record(), performance.now())
  life.admission = { headers: {}, release: (u) => released.push(u) }
  life.finish({ status: 429, error: 'slow down' })
  expect(finished.map((r) => [r.status, r.error])).toEqual([[429, 'slow down']])
  expect(released).toEqual([{ tokens: 0, costUsd: 0 }])
})

test('streaming() tells the observers a stream went out', () => {
  const started: string[] = []
  const life = new RequestLifecycle({ finish: () => 0, streamStarted: (r) => started.push(r.requestId) }, record(), performance.now())
  life.streaming()
  expect(started).toEqual(['req_1'])
})
