// The outcome policy as a table: one row per kind of result an attempt can have.
import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors'
import { classifyOutcome, type Outcome, type OutcomeInput } from '../../../src/upstream/outcome'

const err = (status: number, code?: string, retryable?: boolean) => new GatewayError(status, 'x', { code, retryable })

type Row = [name: string, input: OutcomeInput, expected: Outcome]
const ok = (s: number): Outcome => ({ retryable: false, keyBound: false, breaker: 'success', clientStatus: s })
const fail = (s: number, o: Partial<Outcome>): Outcome => ({ retryable: false, keyBound: false, breaker: 'success', clientStatus: s, ...o })

const ROWS: Row[] = [
  ['200', { answered: 200 }, ok(200)],
  ['201', { answered: 201 }, ok(201)],
  ['400 invalid request: never retried', { answered: 400 }, fail(400, { errorClass: '4xx' })],
  ['400 even when the upstream says retry', { answered: 400, retryHint: true }, fail(400, { errorClass: '4xx' })],
  ['404 not found: never retried', { answered: 404 }, fail(404, { errorClass: '4xx' })],
  ['413 too large: not retried', { answered: 413 }, fail(413, { errorClass: '4xx' })],
  ['422 validation: never retried', { answered: 422 }, fail(422, { errorClass: '4xx' })],
  ['501 not implemented: never retried', { answered: 501, retryHint: true }, fail(501, { breaker: 'failure', errorClass: '5xx' })],
  ['401: another key, bench this one', { answered: 401 }, fail(401, { retryable: true, keyBound: true, bench: 'auth', errorClass: 'auth' })],
  ['403: another key, bench this one', { answered: 403 }, fail(403, { retryable: true, keyBound: true, bench: 'auth', errorClass: 'auth' })],
  ['401 even with x-should-retry: false (our key, not the request)', { answered: 401, retryHint: false }, fail(401, { retryable: true, keyBound: true, bench: 'auth', errorClass: 'auth' })],
  ['429: another key, rate-bench this one', { answered: 429 }, fail(429, { retryable: true, keyBound: true, bench: 'rate', errorClass: 'rate_limit' })],
  ['401 on a pass-through key: the client\'s own, nothing to bench', { answered: 401, passthrough: true }, fail(401, { errorClass: 'auth' })],
  ['429 on a pass-through key: retried, nothing benched', { answered: 429, passthrough: true }, fail(429, { retryable: true, errorClass: 'rate_limit' })],
  ['408: retried, the target is slow', { answered: 408 }, fail(408, { retryable: true, breaker: 'failure', errorClass: 'timeout' })],
  ['409: retried', { answered: 409 }, fail(409, { retryable: true, errorClass: '4xx' })],
  ['500', { answered: 500 }, fail(500, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['500 with x-should-retry: false', { answered: 500, retryHint: false }, fail(500, { breaker: 'failure', errorClass: '5xx' })],
  ['502', { answered: 502 }, fail(502, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['503', { answered: 503 }, fail(503, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['504', { answered: 504 }, fail(504, { retryable: true, breaker: 'failure', errorClass: 'timeout' })],
  ['529 overloaded', { answered: 529 }, fail(529, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['first event overloaded (529)', { firstEvent: 529 }, fail(529, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['first event rate limit: the key was accepted', { firstEvent: 429 }, fail(429, { retryable: true, errorClass: 'rate_limit' })],
  ['first event invalid request', { firstEvent: 400 }, fail(400, { errorClass: '4xx' })],
  ['unreachable', { failed: err(502, 'upstream_unreachable', true) }, fail(502, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['first byte timeout', { failed: err(504, 'upstream_timeout', true) }, fail(504, { retryable: true, breaker: 'failure', errorClass: 'timeout' })],
  ['HTML or non-JSON 200', { failed: err(502, 'bad_upstream_response', true) }, fail(502, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['dialect the build cannot send to: never retried, the target is not down', { failed: err(501, 'dialect_unsupported', true) }, fail(501, { breaker: 'none' })],
  ['client went away', { failed: err(499, 'client_closed', false) }, fail(499, { breaker: 'none' })],
  ['a bad request found while encoding', { failed: err(400, 'invalid_request') }, fail(400, { breaker: 'none' })],
  ['a body no decoder can read (a decoder\'s 502)', { failed: err(502) }, fail(502, { retryable: true, breaker: 'failure', errorClass: '5xx' })],
  ['a retry-hinted 501 thrown: still never retried', { failed: err(501, undefined, true) }, fail(501, { breaker: 'none' })],
  ['our own bug', { failed: new TypeError('x is undefined') }, fail(500, { breaker: 'none' })],
]

describe('classifyOutcome', () => {
  for (const [name, input, expected] of ROWS) test(name, () => expect(classifyOutcome(input)).toEqual(expected))

  test('no key is benched unless the failure is key-bound', () => {
    for (const [, input] of ROWS) {
      const o = classifyOutcome(input)
      if (o.bench) expect(o.keyBound).toBe(true)
    }
  })
})
