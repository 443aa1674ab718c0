import { describe, expect, test } from 'bun:test'
import { decodeError, encodeError, streamErrorFrames } from '../../../../src/dialects/openai-chat/encode-error'
import { finishFromChat, finishToChat } from '../../../../src/dialects/openai-chat/map-finish-reason'
import { GatewayError } from '../../../../src/errors'
import { readFixture, sdkReturning } from './helpers'

describe('encodeError', () => {
  test('OpenAI error body, status kept, retry-after header', () => {
    const reply = encodeError(new GatewayError(429, 'slow down', { retryAfter: 2.2 }))
    expect(reply).toEqual({
      status: 429,
      body: { error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } },
      headers: { 'retry-after': '3' },
    })
  })

  test('529 overloaded → 503; code and param kept; 400 shape', () => {
    expect(encodeError(new GatewayError(529, 'busy')).status).toBe(503)
    expect(encodeError(new GatewayError(400, "Missing 'model'", { code: 'invalid_request', param: 'model' })).body).toEqual({
      error: { message: "Missing 'model'", type: 'invalid_request_error', param: 'model', code: 'invalid_request' },
    })
    expect(encodeError(new GatewayError(401, 'bad key', { code: 'invalid_api_key' })).headers).toEqual({})
  })

  test('the openai SDK maps the encoded error to its error classes', async () => {
    const reply = encodeError(new GatewayError(404, 'model x not found', { code: 'model_not_found' }))
    const client = sdkReturning(JSON.stringify(reply.body), 'application/json', reply.status)
    let err: unknown
    try {
      await client.chat.completions.create({ model: 'x', messages: [{ role: 'user', content: 'x' }] })
    } catch (e) {
      err = e
    }
    expect((err as { status: number }).status).toBe(404)
    expect((err as { code: string }).code).toBe('model_not_found')
    expect((err as Error).constructor.name).toBe('NotFoundError')
  })

  test('streamErrorFrames: one data-only error chunk', () => {
    expect(streamErrorFrames({ status: 503, kind: 'overloaded', message: 'Upstream overloaded' })).toEqual([
      { data: '{"error":{"message":"Upstream overloaded","type":"server_error","param":null,"code":"overloaded"}}' },
    ])
    const [f] = streamErrorFrames({ status: 418, kind: 'weird', message: 'x' })
    expect(JSON.parse(f.data).error.type).toBe('invalid_request_error')
  })
})

describe('decodeError', () => {
  test('recorded 400 body: message, code, param, kind', () => {
    const err = decodeError(400, readFixture('error-unsupported-parameter.json'), new Headers())
    expect(err.status).toBe(400)
    expect(err.kind).toBe('invalid_request')
    expect(err.message).toStartWith("Unsupported parameter: 'max_tokens'")
    expect(err.code).toBe('unsupported_parameter')
    expect(err.param).toBe('max_tokens')
    expect(err.retryable).toBe(false)
  })

  test('retry-after-ms wins over retry-after; x-should-retry respected', () => {
    const body = '{"error":{"message":"Rate limit","type":"requests","code":"rate_limit_exceeded"}}'
    const a = decodeError(429, body, new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))
    expect(a.retryAfter).toBe(1.5)
    expect(a.kind).toBe('rate_limit')
    expect(a.retryable).toBe(true)
    expect(decodeError(429, body, new Headers({ 'retry-after': '7' })).retryAfter).toBe(7)
    expect(decodeError(429, body, new Headers({ 'x-should-retry': 'false' })).retryable).toBe(false)
    expect(decodeError(400, body, new Headers({ 'x-should-retry': 'true' })).retryable).toBe(true)
  })

  test('HTML and empty bodies: trimmed snippet, at most 500 chars', () => {
    const html = `  <html><body>${'x'.repeat(1000)}</body></html>\n`
    const err = decodeError(502, html, new Headers())
    expect(err.status).toBe(502)
    expect(err.message).toStartWith('<html><body>xxx')
    expect(err.message.length).toBe(500)
    expect(decodeError(503, '', new Headers()).message).toBe('upstream returned HTTP 503')
    expect(decodeError(503, '', new Headers()).kind).toBe('overloaded')
  })

  test('non-standard JSON shapes: error string, message field', () => {
    expect(decodeError(500, '{"error":"boom"}', new Headers()).message).toBe('boom')
    expect(decodeError(500, '{"message":"down"}', new Headers()).message).toBe('down')
    expect(decodeError(500, '{"foo":1}', new Headers()).message).toBe('{"foo":1}')
  })
})

describe('finish reason mapping', () => {
  test('both directions', () => {
    expect(finishFromChat('stop', false)).toBe('stop')
    expect(finishFromChat('stop', true)).toBe('tool_calls')
    expect(finishFromChat('function_call', false)).toBe('tool_calls')
    expect(finishFromChat('content_filter', true)).toBe('content_filter')
    expect(finishFromChat('length', true)).toBe('length')
    expect(finishFromChat('weird', false)).toBe('stop')
    expect(finishToChat('stop_sequence', false)).toBe('stop')
    expect(finishToChat('pause', false)).toBe('stop')
    expect(finishToChat('context_overflow', true)).toBe('length')
    expect(finishToChat('refusal', false)).toBe('content_filter')
    expect(finishToChat('tool_calls', false)).toBe('stop')
    expect(finishToChat('error', false)).toBe('stop')
  })
})
