// OpenTelemetry through the gateway: a local OTLP/HTTP receiver decodes what arrives. One SERVER
// span per request with a CLIENT span per upstream attempt, GenAI attributes, TTFT as an event,
// errors recorded, an incoming traceparent continued and sent upstream; a collector that is down
// never slows or fails a request.
import { afterAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { startMock, type Received } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const spans: any[] = []
const collector = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(req) {
    const body = await req.json()
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) for (const s of ss.spans) spans.push({ ...s, resource: rs.resource, auth: req.headers.get('authorization') })
    return new Response('{}')
  },
})
let failed = false
const upstream = startMock((r: Received) => {
  if (r.body?.messages?.at(-1)?.content === 'fail first' && !failed) {
    failed = true
    return { kind: 'json', status: 503, body: { error: { message: 'overloaded' } } }
  }
  return openaiChat(r, { text: 'hello there', usage: { input: 11, output: 7 } })
})
afterAll(() => {
  collector.stop(true)
  upstream.stop()
})

const attr = (s: any, k: string) => {
  const v = s.attributes.find((a: any) => a.key === k)?.value
  return v?.stringValue ?? (v?.intValue !== undefined ? Number(v.intValue) : v?.boolValue ?? v?.doubleValue ?? v?.arrayValue?.values.map((x: any) => x.stringValue))
}

async function waitForSpans(n: number, traceId: string): Promise<any[]> {
  const t0 = performance.now()
  for (;;) {
    const got = spans.filter((s) => s.traceId === traceId)
    if (got.length >= n) return got
    if (performance.now() - t0 > 5000) throw new Error(`only ${got.length} spans of trace ${traceId} arrived`)
    await Bun.sleep(20)
  }
}

const config = (endpoint: string, extra: Record<string, unknown> = {}) => ({
  otel: { endpoint, headers: { authorization: 'Bearer otel-token-SECRET' }, sampling_ratio: 1, ...extra },
  providers: { up: { dialect: 'openai-chat', base_url: `${upstream.url}/v1`, api_key: 'sk-up', max_retries: 1 } },
  models: { 'claude-*': 'up/gpt-5' },
})

describe('traces', () => {
  test('an Anthropic SDK stream on a Chat upstream: span tree, GenAI attributes, TTFT, continued traceparent', async () => {
    const { gateway, logs } = await startGateway(config(`http://127.0.0.1:${collector.port}`))
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => gateway.fetch(r) })
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
      const client = new Anthropic({ baseURL: `http://127.0.0.1:${server.port}`, apiKey: 'x', defaultHeaders: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } })
      const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      expect((await stream.finalMessage()).content[0]).toMatchObject({ type: 'text', text: 'hello there' })
      const got = await waitForSpans(2, traceId)
      const root = got.find((s) => s.kind === 2)
      const child = got.find((s) => s.kind === 3)
      expect(root.parentSpanId).toBe('00f067aa0ba902b7')
      expect(child.parentSpanId).toBe(root.spanId)
      expect(attr(root, 'gen_ai.operation.name')).toBe('chat')
      expect(attr(root, 'gen_ai.system')).toBe('openai')
      expect(attr(root, 'gen_ai.request.model')).toBe('claude-sonnet-4-5')
      expect(attr(root, 'gen_ai.response.model')).toBe('gpt-5')
      expect(attr(root, 'gen_ai.usage.input_tokens')).toBe(11)
      expect(attr(root, 'gen_ai.usage.output_tokens')).toBe(7)
      expect(attr(root, 'gen_ai.response.finish_reasons')).toEqual(['stop'])
      expect(attr(root, 'llm_proxy.front')).toBe('anthropic')
      expect(root.events.map((e: any) => e.name)).toEqual(['gen_ai.first_token'])
      expect(BigInt(root.events[0].timeUnixNano)).toBeGreaterThanOrEqual(BigInt(root.startTimeUnixNano))
      expect(BigInt(child.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(root.endTimeUnixNano))
      expect(root.status.code).toBe(1)
      expect(attr(child, 'server.address')).toBe('127.0.0.1')
      expect(child.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'llm-proxy' } })
      expect(child.auth).toBe('Bearer otel-token-SECRET')
      // the upstream was called as the attempt span's child, in the same trace
      expect(upstream.received.at(-1)!.headers.get('traceparent')).toBe(`00-${traceId}-${child.spanId}-01`)
      expect(logs.join('\n')).not.toContain('otel-token-SECRET')
    } finally {
      server.stop(true)
      await gateway.close()
    }
  })

  test('a failed attempt is an error span; the retry that answered is another child', async () => {
    const { gateway } = await startGateway(config(`http://127.0.0.1:${collector.port}`))
    try {
      const traceId = 'aaaabbbbccccddddeeeeffff00001111'
      const res = await gateway.fetch(
        new Request('http://proxy.test/v1/messages', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', traceparent: `00-${traceId}-1111222233334444-01` },
          body: JSON.stringify({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'fail first' }] }),
        }),
      )
      expect(res.status).toBe(200)
      await res.text()
      const got = await waitForSpans(3, traceId)
      const kids = got.filter((s) => s.kind === 3).sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1))
      expect(kids.map((k) => k.status.code)).toEqual([2, 1])
      expect(attr(kids[0], 'http.response.status_code')).toBe(503)
      expect(got.find((s) => s.kind === 2).status.code).toBe(1)
      expect(attr(got.find((s) => s.kind === 2), 'llm_proxy.attempts')).toBe(2)
    } finally {
      await gateway.close()
    }
  })

  test('an unsampled caller is followed: no spans, the flag goes upstream', async () => {
    const { gateway } = await startGateway(config(`http://127.0.0.1:${collector.port}`))
    try {
      const traceId = '0123456789abcdef0123456789abcdef'
      const res = await gateway.fetch(
        new Request('http://proxy.test/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-1111222233334444-00` },
          body: JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      )
      expect(res.status).toBe(200)
      expect(upstream.received.at(-1)!.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`))
      await Bun.sleep(1300)
      expect(spans.filter((s) => s.traceId === traceId)).toEqual([])
    } finally {
      await gateway.close()
    }
  })

  test('with the collector down, requests are neither slower nor failed', async () => {
    const dead = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
    const deadPort = dead.port
    dead.stop(true)
    const on = await startGateway(config(`http://127.0.0.1:${deadPort}`))
    const off = await startGateway({ ...config(''), otel: undefined })
    const req = () => new Request('http://proxy.test/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-x', messages: [{ role: 'user', content: 'hi' }] }) })
    const time = async (g: typeof on.gateway) => {
      const t0 = performance.now()
      for (let i = 0; i < 100; i++) {
        const r = await g.fetch(req())
        expect(r.status).toBe(200)
        await r.text()
      }
      return (performance.now() - t0) / 100
    }
    try {
      await time(off.gateway)
      await time(on.gateway)
      const tOff = await time(off.gateway)
      const tOn = await time(on.gateway)
      await on.gateway.close() // flushes into the dead collector: one warning, no throw
      console.log(`collector down: ${tOn.toFixed(2)} ms per request vs ${tOff.toFixed(2)} ms without tracing`)
      expect(tOn).toBeLessThan(tOff * 1.5 + 1)
      expect(on.logs.filter((l) => l.includes('trace export failed')).length).toBe(1)
    } finally {
      await off.gateway.close()
    }
  })
})
