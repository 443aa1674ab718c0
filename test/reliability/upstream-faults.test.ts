// Every way an upstream can fail, for every client dialect, translated and pass-through: the client
// gets a valid answer (after failover when a fallback exists) or ONE clear error in its own dialect
// (an in-stream error event once the stream had started), within the configured timeouts.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'
import { ask, type Front } from './client-view'

const FIRST_BYTE_MS = 300
const IDLE_MS = 400
/** scheduling slack on top of a configured timeout (many cases run at once) */
const SLACK_MS = 1000
const GOOD = 'the quick brown fox jumps over the lazy dog'

type Up = 'an' | 'oc'
interface Lane {
  name: string
  front: Front
  up: Up
}
const LANES: Lane[] = [
  { name: 'chat → anthropic', front: 'chat', up: 'an' },
  { name: 'messages → openai-chat', front: 'messages', up: 'oc' },
  { name: 'responses → anthropic', front: 'responses', up: 'an' },
  { name: 'responses → openai-chat', front: 'responses', up: 'oc' },
  { name: 'chat pass-through', front: 'chat', up: 'oc' },
  { name: 'messages pass-through', front: 'messages', up: 'an' },
]
const passthrough = (l: Lane) => (l.front === 'chat' && l.up === 'oc') || (l.front === 'messages' && l.up === 'an')

type Outcome = 'valid' | 'http-error' | 'stream-error' | 'valid-or-error'
interface Fault {
  name: string
  stream: boolean
  outcome: Outcome
  /** elapsed bounds in ms */
  minMs?: number
  maxMs: number
  /** failing before any output: a fallback target must rescue it */
  failsOver: boolean
}

const FAULTS: Fault[] = [
  { name: 'refuse', stream: true, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'hang', stream: true, outcome: 'http-error', minMs: FIRST_BYTE_MS - 20, maxMs: FIRST_BYTE_MS + SLACK_MS, failsOver: true },
  { name: 'silent', stream: true, outcome: 'http-error', minMs: FIRST_BYTE_MS - 20, maxMs: FIRST_BYTE_MS + SLACK_MS, failsOver: true },
  { name: 'html', stream: true, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'errfirst', stream: true, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'midhang', stream: true, outcome: 'stream-error', minMs: IDLE_MS - 20, maxMs: IDLE_MS + SLACK_MS, failsOver: false },
  { name: 'drop', stream: true, outcome: 'stream-error', maxMs: SLACK_MS, failsOver: false },
  { name: 'errmid', stream: true, outcome: 'stream-error', maxMs: SLACK_MS, failsOver: false },
  { name: 'badsse', stream: true, outcome: 'valid-or-error', maxMs: SLACK_MS, failsOver: false },
  { name: 'badjson', stream: true, outcome: 'valid-or-error', maxMs: SLACK_MS, failsOver: false },
  { name: 'unknown', stream: true, outcome: 'valid', maxMs: SLACK_MS, failsOver: false },
  // 200 ms between frames, under the 400 ms idle timeout: slow but valid
  { name: 'slow', stream: true, outcome: 'valid', minMs: 1000, maxMs: 6000, failsOver: false },
  { name: 'good', stream: true, outcome: 'valid', maxMs: SLACK_MS, failsOver: false },
  { name: 'refuse', stream: false, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'hang', stream: false, outcome: 'http-error', minMs: FIRST_BYTE_MS - 20, maxMs: FIRST_BYTE_MS + SLACK_MS, failsOver: true },
  { name: 'html', stream: false, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'overloaded', stream: false, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'badbody', stream: false, outcome: 'http-error', maxMs: SLACK_MS, failsOver: true },
  { name: 'good', stream: false, outcome: 'valid', maxMs: SLACK_MS, failsOver: false },
]

const faultOf = (model: string) => model.slice(model.lastIndexOf('-') + 1)

function script(r: Received): Reply {
  const isAnthropic = r.path.endsWith('/messages')
  const model: string = r.body?.model ?? ''
  const fault = faultOf(model)
  const good = isAnthropic ? anthropic(r, { text: GOOD }) : openaiChat(r, { text: GOOD })
  const frames = good.kind === 'sse' ? good.frames : []
  const errorFrame = isAnthropic
    ? { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }
    : { data: { error: { message: 'The server had an error while processing your request.', type: 'server_error' } } }
  switch (fault) {
    case 'hang':
      return { kind: 'hang' }
    case 'silent':
      // headers at once, then nothing
      return { kind: 'sse', frames, firstDelayMs: 30_000 }
    case 'html':
      return { kind: 'text', body: '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html; charset=utf-8' } }
    case 'errfirst':
      return { kind: 'sse', frames: [errorFrame] }
    case 'overloaded':
      return isAnthropic
        ? { kind: 'json', status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }
        : { kind: 'json', status: 503, body: { error: { message: 'Service unavailable', type: 'server_error' } } }
    case 'badbody':
      return { kind: 'text', body: '{"id":"chatcmpl-1","choices":[{"message":{"content":"trunc', headers: { 'content-type': 'application/json' } }
    case 'midhang':
      return { kind: 'sse', frames: frames.slice(0, 3), hangAfter: true }
    case 'drop':
      // paced, so the first frames are on the wire before the connection dies
      return { kind: 'sse', frames, dropAfter: 3, delayMs: 30 }
    case 'errmid':
      return { kind: 'sse', frames: [...frames.slice(0, 3), errorFrame] }
    case 'badsse':
      return { kind: 'sse', frames: [...frames.slice(0, 2), 'this is not sse at all\n\n', 'data {"broken\n\n', 'event:\n\n', ': a comment\n\n', 'data:\n\n', ...frames.slice(2)] }
    case 'badjson':
      return { kind: 'sse', frames: [...frames.slice(0, 2), 'data: {"choices":[{"delta":{"content":\n\n', ...frames.slice(2)] }
    case 'unknown':
      return {
        kind: 'sse',
        frames: [
          ...frames.slice(0, 2),
          isAnthropic ? { event: 'mystery_event', data: { type: 'mystery_event', x: 1 } } : { data: { object: 'something.else', id: 'x', choices: [] } },
          ...frames.slice(2),
        ],
      }
    case 'slow':
      return { ...good, ...(good.kind === 'sse' ? { delayMs: 200 } : {}) }
    default:
      return good
  }
}

let mock: Mock
let proxy: TestProxy

beforeAll(async () => {
  mock = startMock(script)
  // a port nobody listens on
  const tmp = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
  const closed = `http://127.0.0.1:${tmp.port}`
  tmp.stop(true)
  const common = { api_key: 'k', max_retries: 0, first_byte_timeout: `${FIRST_BYTE_MS}ms`, idle_timeout: `${IDLE_MS}ms` }
  const models: Record<string, unknown> = {}
  for (const up of ['an', 'oc'] as const) {
    models[`${up}-refuse`] = `${up}_closed/*`
    models[`fb-${up}-refuse`] = { targets: [`${up}_closed/*`], fallbacks: [`${up}/x-good`] }
    models[`fb-${up}-*`] = { targets: [`${up}/*`], fallbacks: [`${up}/x-good`] }
    models[`${up}-*`] = `${up}/*`
  }
  proxy = await startProxy(
    {
      logging: { level: 'error' },
      providers: {
        an: { dialect: 'anthropic', base_url: mock.url, ...common },
        oc: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, ...common },
        an_closed: { dialect: 'anthropic', base_url: closed, ...common },
        oc_closed: { dialect: 'openai-chat', base_url: `${closed}/v1`, ...common },
      },
      models,
    },
    {},
    // breakers would reorder a failing target behind its fallback: keep the order fixed
    { breaker: { minAttempts: 1_000_000 } },
  )
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

for (const lane of LANES) {
  describe.concurrent(lane.name, () => {
    for (const f of FAULTS) {
      // a pass-through client gets the upstream's own bytes: a garbled 200 body is forwarded as is
      if (passthrough(lane) && f.name === 'badbody') continue
      const mode = f.stream ? 'stream' : 'json'
      test(`${f.name} (${mode}): ${f.outcome}`, async () => {
        const v = await ask(proxy.url, lane.front, `${lane.up}-${f.name}`, f.stream)
        const label = `${lane.name} ${f.name} ${mode}: ${v.status} ${v.raw.slice(0, 300)}`
        // pass-through forwards the upstream's frames verbatim, garbage included
        if (!(passthrough(lane) && (f.name === 'badsse' || f.name === 'badjson'))) expect(v.problems, label).toEqual([])
        expect(v.ms, label).toBeLessThan(f.maxMs)
        if (f.minMs !== undefined) expect(v.ms, label).toBeGreaterThanOrEqual(f.minMs)
        if (f.outcome === 'valid') {
          expect(v.status, label).toBe(200)
          expect(v.errors, label).toEqual([])
          expect(v.complete, label).toBe(true)
          expect(v.text, label).toBe(GOOD)
        } else if (f.outcome === 'http-error') {
          expect(v.status, label).toBeGreaterThanOrEqual(400)
          expect(v.errors.length, label).toBe(1)
          if (f.name === 'hang' || f.name === 'silent') expect(v.errors[0], label).toContain('first_byte_timeout')
        } else if (f.outcome === 'stream-error') {
          expect(v.status, label).toBe(200)
          expect(v.errors.length, label).toBe(1)
          expect(v.complete, label).toBe(false)
          // what came before the failure was delivered, and nothing invented
          expect(GOOD.startsWith(v.text), label).toBe(true)
          if (f.name === 'midhang') expect(v.errors[0], label).toContain('idle_timeout')
        } else {
          expect(v.status, label).toBe(200)
          // either the damage was skipped and the answer is whole, or exactly one error ended it
          if (v.errors.length === 0) {
            expect(v.complete, label).toBe(true)
            expect(v.text, label).toBe(GOOD)
          } else {
            expect(v.errors.length, label).toBe(1)
            expect(GOOD.startsWith(v.text), label).toBe(true)
          }
        }
      })
      if (f.failsOver)
        test(`${f.name} (${mode}) with a fallback: the fallback answers`, async () => {
          const v = await ask(proxy.url, lane.front, `fb-${lane.up}-${f.name}`, f.stream)
          const label = `${lane.name} fb ${f.name} ${mode}: ${v.status} ${v.raw.slice(0, 300)}`
          expect(v.problems, label).toEqual([])
          expect(v.status, label).toBe(200)
          expect(v.errors, label).toEqual([])
          expect(v.complete, label).toBe(true)
          expect(v.text, label).toBe(GOOD)
          expect(v.ms, label).toBeLessThan(f.maxMs)
        })
    }
  })
}
