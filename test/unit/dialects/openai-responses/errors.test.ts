import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { decodeError, encodeError, streamErrorFrames } from '../../../../src/dialects/openai-responses/encode-error'
import { GatewayError } from '../../../../src/errors'
import { payloads, readFixture, sdkReturning, sseText } from './helpers'

describe('encodeError', () => {
  test('OpenAI error body; overloaded 529 is sent as 503; retry-after header', () => {
    const reply = encodeError(new GatewayError(529, 'Overloaded', { retryAfter: 2.5 }))
    expect(reply.status).toBe(503)
    expect(reply.body).toEqual({ error: { message: 'Overloaded', type: 'server_error', param: null, code: null } })
    expect(reply.headers).toEqual({ 'retry-after': '3' })
  })

  test('code and param kept', () => {
    const reply = encodeError(new GatewayError(400, "Missing required parameter: 'model'.", { code: 'invalid_request', param: 'model' }))
    expect(reply).toEqual({ status: 400, body: { error: { message: "Missing required parameter: 'model'.", type: 'invalid_request_error', param: 'model', code: 'invalid_request' } }, headers: {} })
  })

  test('the openai SDK maps it to its error class with the message', async () => {
    const reply = encodeError(new GatewayError(429, 'Rate limit reached', { code: 'rate_limit_exceeded' }))
    const client = sdkReturning(JSON.stringify(reply.body), 'application/json', reply.status)
    const caught = await client.responses.create({ model: 'm', input: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(caught).toBeInstanceOf(OpenAI.RateLimitError)
    expect(caught).toMatchObject({ status: 429, code: 'rate_limit_exceeded', message: expect.stringContaining('Rate limit reached') })
  })
})

describe('decodeError', () => {
  test('recorded quota error (429)', () => {
    const err = decodeError(429, readFixture('error-insufficient-quota.json'), new Headers({ 'retry-after': '7' }))
    expect(err.status).toBe(429)
    expect(err.kind).toBe('rate_limit')
    expect(err.code).toBe('insufficient_quota')
    expect(err.message).toStartWith('You exceeded your current quota')
    expect(err.retryAfter).toBe(7)
  })

  test('recorded unsupported-parameter error keeps param', () => {
    const err = decodeError(400, readFixture('error-unsupported-temperature.json'), new Headers())
    expect(err).toMatchObject({ status: 400, kind: 'invalid_request', param: 'temperature' })
    expect(err.message).toContain("'temperature' is not supported")
  })

  test('HTML body: a trimmed snippet; retry-after-ms; x-should-retry', () => {
    const html = `  <html><body>${'x'.repeat(1000)}</body></html>\n`
    const err = decodeError(502, html, new Headers({ 'retry-after-ms': '1500', 'x-should-retry': 'false' }))
    expect(err.status).toBe(502)
    expect(err.message.length).toBe(500)
    expect(err.message).toStartWith('<html>')
    expect(err.retryAfter).toBe(1.5)
    expect(err.retryable).toBe(false)
    expect(decodeError(503, '', new Headers()).message).toBe('upstream returned HTTP 503')
  })
})

describe('streamErrorFrames', () => {
  test('error (nested, recorded shape) then response.failed with the code Codex reads', () => {
    const frames = streamErrorFrames({ status: 429, kind: 'rate_limit', message: 'Rate limit reached. Please try again in 2s.' })
    expect(frames.map((f) => f.event)).toEqual(['error', 'response.failed'])
    const [error, failed] = payloads(frames)
    expect(error).toEqual({ type: 'error', sequence_number: 0, error: { type: 'rate_limit_error', code: 'rate_limit_exceeded', message: 'Rate limit reached. Please try again in 2s.', param: null } })
    expect(failed).toMatchObject({ type: 'response.failed', sequence_number: 1, response: { status: 'failed', error: { code: 'rate_limit_exceeded' }, output: [] } })
  })

  test('the openai SDK stream rejects on them', async () => {
    const created = { event: 'response.created', data: JSON.stringify({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }) }
    const text = sseText([created, ...streamErrorFrames({ status: 500, kind: 'api_error', message: 'boom' })])
    await expect(sdkReturning(text).responses.stream({ model: 'm', input: 'x' }).finalResponse()).rejects.toThrow('boom')
  })
})
