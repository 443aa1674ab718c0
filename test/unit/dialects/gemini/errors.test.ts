import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../../src/errors'
import { decodeError, encodeError, streamErrorFrames } from '../../../../src/dialects/gemini/encode-error'
import { readFixture } from './helpers'

describe('decodeError', () => {
  test('recorded 429: status, message, kind, RetryInfo → retryAfter', () => {
    const e = decodeError(429, readFixture('error-429-retry-info.json'), new Headers())
    expect(e).toBeInstanceOf(GatewayError)
    expect(e.status).toBe(429)
    expect(e.kind).toBe('rate_limit')
    expect(e.message).toBe('You exceeded your current quota, please check your plan.')
    expect(e.retryAfter).toBe(34.4)
    expect(e.retryable).toBe(true)
  })

  test('retry-after headers win over RetryInfo', () => {
    expect(decodeError(429, readFixture('error-429-retry-info.json'), new Headers({ 'retry-after': '5' })).retryAfter).toBe(5)
    expect(decodeError(503, '{"error":{"code":503,"message":"x","status":"UNAVAILABLE"}}', new Headers({ 'retry-after-ms': '1500' })).retryAfter).toBe(1.5)
  })

  test('status names → kinds; an invalid key is authentication', () => {
    const body = (code: number, status: string, extra = '') => `{"error":{"code":${code},"message":"m","status":"${status}"${extra}}}`
    expect(decodeError(503, body(503, 'UNAVAILABLE'), new Headers()).kind).toBe('overloaded')
    expect(decodeError(404, body(404, 'NOT_FOUND'), new Headers()).kind).toBe('not_found')
    expect(decodeError(403, body(403, 'PERMISSION_DENIED'), new Headers()).kind).toBe('permission')
    expect(decodeError(400, body(400, 'FAILED_PRECONDITION'), new Headers()).kind).toBe('invalid_request')
    const key = decodeError(400, body(400, 'INVALID_ARGUMENT', ',"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID"}]'), new Headers())
    expect(key.status).toBe(400)
    expect(key.kind).toBe('authentication')
  })

  test('a JSON array body (non-SSE stream errors) and non-JSON bodies', () => {
    expect(decodeError(500, '[{"error":{"code":500,"message":"internal","status":"INTERNAL"}}]', new Headers()).message).toBe('internal')
    const html = decodeError(502, `  <html><body>${'x'.repeat(1000)}</body></html>`, new Headers())
    expect(html.status).toBe(502)
    expect(html.message).toStartWith('<html>')
    expect(html.message.length).toBe(500)
    expect(decodeError(500, '', new Headers()).message).toBe('upstream returned HTTP 500')
  })
})

describe('encodeError / streamErrorFrames (front door)', () => {
  test('Google error body; 529 becomes 503; retry-after header and RetryInfo', () => {
    const r = encodeError(new GatewayError(529, 'busy', { kind: 'overloaded', retryAfter: 2.2 }))
    expect(r.status).toBe(503)
    expect(r.headers).toEqual({ 'retry-after': '3' })
    expect(r.body).toEqual({ error: { code: 503, message: 'busy', status: 'UNAVAILABLE', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } })
    expect(encodeError(new GatewayError(401, 'no key')).body).toEqual({ error: { code: 401, message: 'no key', status: 'UNAUTHENTICATED' } })
  })

  test('in-stream error: one bare data frame with a 4xx/5xx code', () => {
    expect(streamErrorFrames({ status: 429, kind: 'rate_limit', message: 'slow' })).toEqual([{ data: '{"error":{"code":429,"message":"slow","status":"RESOURCE_EXHAUSTED"}}' }])
    // a status the SDK would not throw on is raised to 500
    expect(JSON.parse(streamErrorFrames({ status: 200, kind: 'api_error', message: 'x' })[0].data).error.code).toBe(500)
  })
})
