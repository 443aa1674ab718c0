import Anthropic from '@anthropic-ai/sdk'
import { describe, expect, test } from 'bun:test'
import { decodeError, encodeError, streamErrorFrames } from '../../../../src/dialects/anthropic/encode-error'
import { GatewayError } from '../../../../src/errors'
import { sdkReturning } from './helpers'

describe('encodeError', () => {
  test('Anthropic error body per status/kind; retry-after header', () => {
    expect(encodeError(new GatewayError(400, 'messages: Field required'))).toEqual({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: Field required' } },
      headers: {},
    })
    const r = encodeError(new GatewayError(429, 'slow down', { retryAfter: 2.2 }))
    expect(r).toEqual({ status: 429, body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } }, headers: { 'retry-after': '3' } })
    const types = [401, 402, 403, 404, 413, 500, 504, 529].map((s) => (encodeError(new GatewayError(s, 'x')).body as { error: { type: string } }).error.type)
    expect(types).toEqual(['authentication_error', 'billing_error', 'permission_error', 'not_found_error', 'request_too_large', 'api_error', 'timeout_error', 'overloaded_error'])
  })

  test('overloaded 503 becomes 529; other 5xx keep their status', () => {
    expect(encodeError(new GatewayError(503, 'busy')).status).toBe(529)
    expect(encodeError(new GatewayError(502, 'bad gateway')).status).toBe(502)
  })

  test('the SDK maps our body to the right error class and message', async () => {
    const r = encodeError(new GatewayError(404, 'model not found'))
    const client = sdkReturning(JSON.stringify(r.body), 'application/json', r.status)
    const err = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(Anthropic.NotFoundError)
    expect(err).toMatchObject({ status: 404, error: r.body })
  })
})

describe('streamErrorFrames', () => {
  test('one event: error frame with the typed error', () => {
    expect(streamErrorFrames({ status: 529, kind: 'overloaded', message: 'Overloaded' })).toEqual([
      { event: 'error', data: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' },
    ])
    expect(JSON.parse(streamErrorFrames({ status: 500, kind: 'weird', message: 'm' })[0].data).error.type).toBe('api_error')
  })
})

describe('decodeError', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o)

  test('Anthropic JSON body: status kept, message and kind extracted', () => {
    const e = decodeError(529, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}', h())
    expect(e.status).toBe(529)
    expect(e.kind).toBe('overloaded')
    expect(e.message).toBe('Overloaded')
    expect(e.retryable).toBe(true)
    const bad = decodeError(400, '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}', h())
    expect(bad.kind).toBe('invalid_request')
    expect(bad.retryable).toBe(false)
  })

  test('retry-after / retry-after-ms and x-should-retry', () => {
    expect(decodeError(429, '{}', h({ 'retry-after': '7' })).retryAfter).toBe(7)
    expect(decodeError(429, '{}', h({ 'retry-after-ms': '1500', 'retry-after': '7' })).retryAfter).toBe(1.5)
    expect(decodeError(500, '{}', h({ 'x-should-retry': 'false' })).retryable).toBe(false)
  })

  test('HTML or plain bodies: trimmed snippet of at most 500 chars', () => {
    const html = `  <html><body>${'x'.repeat(1000)}</body></html>`
    const e = decodeError(502, html, h())
    expect(e.status).toBe(502)
    expect(e.message.startsWith('<html>')).toBe(true)
    expect(e.message.length).toBe(500)
    expect(decodeError(503, '', h()).message).toBe('upstream returned HTTP 503')
  })

  test('other JSON error shapes (proxies, Bedrock-like)', () => {
    expect(decodeError(403, '{"message":"Forbidden"}', h()).message).toBe('Forbidden')
    expect(decodeError(401, '{"error":"bad key"}', h()).message).toBe('bad key')
  })
})
