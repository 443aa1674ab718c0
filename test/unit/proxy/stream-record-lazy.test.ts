// streamRecord counts delivered output only when it can matter (deliveredIfUnbilled): the record
// is the same as counting it for every stream (the plain path, kept here as the reference), and a
// stream billed by the upstream's own figures never pays for the count.
import { expect, test } from 'bun:test'
import type { CanonUsage } from '../../../src/canonical/usage'
import { streamRecord, type StreamEnd } from '../../../src/proxy/stream-outcome'
import { DeliveredOutput } from '../../../src/tokens/delivered-output'

/** the record as computed before the lazy count: delivered tokens counted for every stream */
function eagerRecord(end: StreamEnd, inputTokens: () => number) {
  const { observed } = end
  const usage: CanonUsage = { ...observed.usage }
  const upstreamError = !end.failure && observed.error ? observed.error : undefined
  const status = end.failure?.status ?? upstreamError?.status ?? 200
  const cut = end.clientDisconnected || status !== 200
  let usageEstimated = false
  const delivered = observed.delivered?.tokens() ?? 0
  if ((cut || usage.inputTokens + usage.outputTokens === 0) && delivered > usage.outputTokens) {
    usage.outputTokens = delivered
    usageEstimated = true
  }
  if (usage.inputTokens === 0 && (usageEstimated || (cut && usage.outputTokens > 0))) {
    usage.inputTokens = inputTokens()
    usageEstimated = true
  }
  return { status, usage, usageEstimated, errorClass: end.failure?.errorClass ?? (upstreamError ? 'upstream_error_event' : undefined), error: end.failure?.message ?? upstreamError?.message }
}

function end(usage: Partial<CanonUsage>, text: string, more: Partial<StreamEnd> = {}, fills?: { n: number }): StreamEnd {
  const delivered = new DeliveredOutput()
  delivered.defer(() => {
    if (fills) fills.n++
    delivered.add(text)
  })
  const observed = { usage: { inputTokens: 0, outputTokens: 0, ...usage }, delivered } as unknown as StreamEnd['observed']
  return { observed, clientDisconnected: false, ...more }
}

const text = 'word '.repeat(400)
const cases: [string, () => StreamEnd][] = [
  ['finished with usage', () => end({ inputTokens: 12, outputTokens: 20 }, text)],
  ['finished, output only', () => end({ outputTokens: 3 }, text)],
  ['finished without usage', () => end({}, text)],
  ['client gone before usage', () => end({}, text, { clientDisconnected: true })],
  ['client gone, message_start count only', () => end({ inputTokens: 9, outputTokens: 1 }, text, { clientDisconnected: true })],
  ['upstream failed mid-stream', () => end({ inputTokens: 9, outputTokens: 1 }, text, { failure: { status: 502, errorClass: 'upstream_stream_failed', message: 'x' } })],
  ['cut before any output', () => end({}, '', { clientDisconnected: true })],
]

test('streamRecord: the same record as counting delivered output for every stream', () => {
  for (const [name, make] of cases) expect({ name, r: streamRecord(make(), () => 7) }).toEqual({ name, r: eagerRecord(make(), () => 7) })
})

test('a stream the upstream billed is not re-counted; a cut one is', () => {
  const fills = { n: 0 }
  streamRecord(end({ inputTokens: 12, outputTokens: 20 }, text, {}, fills), () => 7)
  expect(fills.n).toBe(0)
  streamRecord(end({ inputTokens: 12, outputTokens: 1 }, text, { clientDisconnected: true }, fills), () => 7)
  expect(fills.n).toBe(1)
})
