import { afterAll, describe, expect, test } from 'bun:test'
import { createExporter } from '../../../src/observe/otel/exporter'
import { nanos } from '../../../src/observe/otel/otlp-json'
import { requestSpans, type TracedRequest } from '../../../src/observe/otel/request-spans'
import { parseHeaderList, resolveOtel } from '../../../src/observe/otel/settings'
import { formatTraceparent, parseTraceparent, randomHex, sampledByRatio, startTrace } from '../../../src/observe/otel/trace-context'

describe('trace context', () => {
  test('parses valid traceparents and refuses invalid ones', () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    expect(parseTraceparent(tp)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true })
    expect(parseTraceparent(tp.replace(/01$/, '00'))?.sampled).toBe(false)
    for (const bad of [
      '',
      'garbage',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01',
      'x'.repeat(10_000),
    ])
      expect(parseTraceparent(bad)).toBeUndefined()
    // a later version may carry more fields
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ab')?.sampled).toBe(true)
  })

  test('an incoming trace is continued; a new one gets fresh ids', () => {
    const t = startTrace('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 0)
    expect(t.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736')
    expect(t.parentSpanId).toBe('00f067aa0ba902b7')
    expect(t.sampled).toBe(true) // parent-based: the caller decided
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/)
    const n = startTrace(undefined, 1)
    expect(n.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(n.parentSpanId).toBeUndefined()
    expect(formatTraceparent(n.traceId, n.spanId, true)).toBe(`00-${n.traceId}-${n.spanId}-01`)
  })

  test('ratio sampling keeps about the ratio, and the same trace id always decides the same', () => {
    let kept = 0
    for (let i = 0; i < 20_000; i++) if (sampledByRatio(randomHex(16), 0.25)) kept++
    expect(kept / 20_000).toBeGreaterThan(0.23)
    expect(kept / 20_000).toBeLessThan(0.27)
    const id = randomHex(16)
    expect(sampledByRatio(id, 0.5)).toBe(sampledByRatio(id, 0.5))
    expect(sampledByRatio(id, 0)).toBe(false)
    expect(sampledByRatio(id, 1)).toBe(true)
  })
})

describe('settings', () => {
  test('config first, then the standard variables', () => {
    expect(resolveOtel(undefined, {}, '1')).toBeUndefined()
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-tenant=t1',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      OTEL_SERVICE_NAME: 'gw',
    }
    const s = resolveOtel(undefined, env, '1.2.3')!
    expect(s.url).toBe('http://collector:4318/v1/traces')
    expect(s.headers).toEqual({ authorization: 'Bearer abc', 'x-tenant': 't1' })
    expect(s.ratio).toBe(0.1)
    expect(s.resource['service.name']).toBe('gw')
    expect(s.resource['service.version']).toBe('1.2.3')
    const c = resolveOtel({ endpoint: 'https://otel.example', headers: { 'x-tenant': 't2' }, sampling_ratio: 0.5 }, env, '1')!
    expect(c.url).toBe('https://otel.example/v1/traces')
    expect(c.headers['x-tenant']).toBe('t2')
    expect(c.ratio).toBe(0.5)
    expect(resolveOtel(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/custom' }, '1')!.url).toBe('http://c/custom')
    expect(resolveOtel(undefined, { ...env, OTEL_SDK_DISABLED: 'true' }, '1')).toBeUndefined()
    expect(parseHeaderList('a=1,=x,b,c=%zz')).toEqual({ a: '1', c: '%zz' })
  })
})

test('nanosecond times keep their precision', () => {
  expect(nanos(1_764_748_800_123.25)).toBe('1764748800123250000')
  expect(nanos(1_764_748_800_000)).toBe('1764748800000000000')
  expect(nanos(0.5)).toBe('500000')
})

const traced = (over: Partial<TracedRequest> = {}): TracedRequest => ({
  trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: 'c'.repeat(16), sampled: true },
  requestId: 'req_1',
  startMs: 1_000,
  endMs: 1_250,
  method: 'POST',
  path: '/v1/messages',
  front: 'anthropic',
  status: 200,
  stream: true,
  modelRequested: 'sonnet',
  modelUpstream: 'gpt-5',
  provider: 'openai',
  system: 'openai',
  inputTokens: 12,
  outputTokens: 34,
  finishReasons: ['stop'],
  ttftMs: 80,
  attempts: [
    { spanId: 'd'.repeat(16), provider: 'openai', model: 'gpt-5', system: 'openai', origin: 'https://api.openai.com', startMs: 1_005, endMs: 1_060, status: 503, error: 'upstream 503' },
    { spanId: 'e'.repeat(16), provider: 'openai', model: 'gpt-5', system: 'openai', origin: 'http://127.0.0.1:8080', startMs: 1_070, endMs: 1_249, status: 200 },
  ],
  ...over,
})

describe('request spans', () => {
  test('a server span with GenAI attributes and a client span per attempt', () => {
    const [root, a1, a2] = requestSpans(traced())
    expect(root.kind).toBe('server')
    expect(root.parentSpanId).toBe('c'.repeat(16))
    expect(root.attributes['gen_ai.request.model']).toBe('sonnet')
    expect(root.attributes['gen_ai.response.model']).toBe('gpt-5')
    expect(root.attributes['gen_ai.usage.input_tokens']).toBe(12)
    expect(root.attributes['gen_ai.response.finish_reasons']).toEqual(['stop'])
    expect(root.events?.[0]).toMatchObject({ name: 'gen_ai.first_token', atMs: 1_080 })
    expect(root.error).toBeUndefined()
    expect(a1.parentSpanId).toBe(root.spanId)
    expect(a1.error).toBe('upstream 503')
    expect(a1.attributes['server.address']).toBe('api.openai.com')
    expect(a1.attributes['server.port']).toBe(443)
    expect(a2.attributes['server.port']).toBe(8080)
    expect(a2.error).toBeUndefined()
    expect(requestSpans(traced({ status: 502, error: 'all targets failed', attempts: [] }))[0].error).toBe('all targets failed')
  })
})

describe('exporter', () => {
  const received: any[] = []
  const collector = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      if (new URL(req.url).pathname === '/slow/v1/traces') {
        await Bun.sleep(5_000)
        return new Response('late')
      }
      received.push({ headers: Object.fromEntries(req.headers), body: await req.json() })
      return new Response('{}')
    },
  })
  afterAll(() => collector.stop(true))
  const base = `http://127.0.0.1:${collector.port}`

  test('batches reach the collector as OTLP/JSON with the headers', async () => {
    received.length = 0
    const ex = createExporter({
      url: `${base}/v1/traces`,
      headers: { authorization: 'Bearer t' },
      resource: { 'service.name': 'llm-proxy' },
      scope: { name: 'llm-proxy', version: '1' },
      delayMs: 20,
    })
    ex.add(requestSpans(traced()))
    await Bun.sleep(120)
    expect(received).toHaveLength(1)
    expect(received[0].headers.authorization).toBe('Bearer t')
    const rs = received[0].body.resourceSpans[0]
    expect(rs.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'llm-proxy' } }])
    const spans = rs.scopeSpans[0].spans
    expect(spans).toHaveLength(3)
    expect(spans[0]).toMatchObject({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), parentSpanId: 'c'.repeat(16), kind: 2, status: { code: 1 } })
    expect(spans[0].startTimeUnixNano).toBe('1000000000')
    expect(spans[1]).toMatchObject({ kind: 3, parentSpanId: 'b'.repeat(16), status: { code: 2, message: 'upstream 503' } })
    const attr = (s: any, k: string) => s.attributes.find((a: any) => a.key === k)?.value
    expect(attr(spans[0], 'gen_ai.usage.output_tokens')).toEqual({ intValue: '34' })
    expect(attr(spans[0], 'gen_ai.response.finish_reasons')).toEqual({ arrayValue: { values: [{ stringValue: 'stop' }] } })
    expect(ex.stats()).toEqual({ exported: 3, dropped: 0, failedBatches: 0 })
    await ex.close()
  })

  test('a collector that is down or silent costs dropped spans, never the caller time', async () => {
    const warnings: string[] = []
    const down = createExporter({ url: 'http://127.0.0.1:1/v1/traces', headers: {}, resource: {}, scope: { name: 'x', version: '1' }, onFailure: (r) => warnings.push(r) })
    const slow = createExporter({ url: `${base}/slow/v1/traces`, headers: {}, resource: {}, scope: { name: 'x', version: '1' }, timeoutMs: 150 })
    const t0 = performance.now()
    for (let i = 0; i < 1000; i++) {
      down.add(requestSpans(traced()))
      slow.add(requestSpans(traced()))
    }
    expect(performance.now() - t0).toBeLessThan(200)
    await down.flush()
    const t1 = performance.now()
    await slow.flush()
    expect(performance.now() - t1).toBeLessThan(2_000)
    // 3,000 spans offered, 2,048 held at most: the rest dropped on arrival, the held ones on failure
    expect(down.stats()).toMatchObject({ exported: 0, dropped: 3000 })
    expect(slow.stats()).toMatchObject({ exported: 0, dropped: 3000 })
    expect(warnings).toHaveLength(1) // at most one warning a minute
  })
})
