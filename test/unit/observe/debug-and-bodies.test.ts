import { describe, expect, test } from 'bun:test'
import { logAttemptDecision, logUpstreamCall, safeUrl } from '../../../src/observe/attempt-log'
import { redactBody, withBodyLog } from '../../../src/observe/body-log'

describe('attempt debug lines', () => {
  test('safeUrl drops userinfo and credential-like query values', () => {
    expect(safeUrl('https://u:p@gen.example/v1beta/models/x:streamGenerateContent?alt=sse&key=AIzaSECRET')).toBe(
      'https://gen.example/v1beta/models/x:streamGenerateContent?alt=sse&key=REDACTED',
    )
    expect(safeUrl('https://a.example/x?api-version=2024&sig=abc&X-Amz-Signature=zz&access_token=t')).toBe(
      'https://a.example/x?api-version=2024&sig=REDACTED&X-Amz-Signature=REDACTED&access_token=REDACTED',
    )
    expect(safeUrl('not a url')).toBe('(unparsable url)')
    expect(safeUrl(`https://a.example/${'p'.repeat(2000)}`).length).toBeLessThan(600)
  })
  test('nothing is built when debug is off', () => {
    const lines: unknown[] = []
    const off = { debug: (m: string, f?: unknown) => lines.push([m, f]), enabled: () => false }
    logUpstreamCall(off, { provider: 'p', url: 'http://x', status: 200, headersMs: 1 })
    logAttemptDecision(off, { requestId: 'r', attempt: 1, target: 't', status: 500, error: 'e', decision: 'd', elapsedMs: 1 })
    expect(lines).toEqual([])
    const on = { debug: (m: string, f?: unknown) => lines.push([m, f]), enabled: () => true }
    logUpstreamCall(on, { provider: 'p', url: 'http://x/?key=k', status: 200, headersMs: 1.4 })
    expect(lines).toEqual([['upstream call', { provider: 'p', url: 'http://x/?key=REDACTED', status: 200, headers_ms: 1, error: undefined }]])
  })
})

describe('body log', () => {
  test('credential-like JSON fields are replaced, other fields kept', () => {
    expect(redactBody('{"api_key":"sk-1","x-api-key": "k2","Authorization":"Bearer z","max_tokens":5,"client_secret":"s","text":"api_key"}')).toBe(
      '{"api_key":"[REDACTED]","x-api-key": "[REDACTED]","Authorization":"[REDACTED]","max_tokens":5,"client_secret":"[REDACTED]","text":"api_key"}',
    )
  })
  test('request and response captured up to the cap; the response still flows whole; off costs nothing', async () => {
    const lines: Array<[string, any]> = []
    let enabled = true
    const log = { info: (m: string, f?: any) => lines.push([m, f]) }
    const handler = withBodyLog(
      async (req) => new Response(`echo:${await req.text()}`, { status: 201, headers: { 'x-request-id': 'req_1' } }),
      () => ({ enabled, log }),
      10,
    )
    const res = await handler(new Request('http://h/v1/x', { method: 'POST', body: '0123456789abcdef' }))
    expect(await res.text()).toBe('echo:0123456789abcdef')
    expect(res.status).toBe(201)
    expect(lines[0]).toEqual(['client request body', { method: 'POST', path: '/v1/x', bytes: '>10', truncated: true, body: '0123456789' }])
    expect(lines[1][0]).toBe('client response body')
    expect(lines[1][1]).toMatchObject({ request_id: 'req_1', status: 201, truncated: true, body: 'echo:01234' })
    enabled = false
    await (await handler(new Request('http://h/v1/x', { method: 'POST', body: 'z' }))).text()
    expect(lines).toHaveLength(2)
  })
})
