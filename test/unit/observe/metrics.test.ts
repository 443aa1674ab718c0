import { afterEach, describe, expect, test } from 'bun:test'
import { countUsage, createGatewayMetrics, setState } from '../../../src/observe/gateway-metrics'
import { createRegistry, formatValue } from '../../../src/observe/metrics'
import { clearSecrets, registerSecret } from '../../../src/observe/redact'
import { parsePrometheus, type Family } from './prometheus-parser'

afterEach(clearSecrets)

const sample = (f: Family | undefined, name: string, labels: Record<string, string>) =>
  f?.samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value

describe('registry', () => {
  test('counters and gauges render with HELP, TYPE and labels', () => {
    const r = createRegistry()
    const c = r.counter('app_requests_total', 'Requests.', ['route', 'status'])
    const g = r.gauge('app_in_flight', 'In flight.')
    c.inc(['/a', '200'])
    c.inc(['/a', '200'], 2)
    const child = c.labels('/b', '500')
    child.inc()
    child.inc(0.5)
    g.inc()
    g.inc([], 4)
    g.dec([], 2)
    const fams = parsePrometheus(r.render())
    const reqs = fams.get('app_requests_total')
    expect(reqs?.type).toBe('counter')
    expect(reqs?.help).toBe('Requests.')
    expect(sample(reqs, 'app_requests_total', { route: '/a', status: '200' })).toBe(3)
    expect(sample(reqs, 'app_requests_total', { route: '/b', status: '500' })).toBe(1.5)
    expect(sample(fams.get('app_in_flight'), 'app_in_flight', {})).toBe(3)
  })

  test('a metric without labels renders 0 before any update; one with labels renders only its header', () => {
    const r = createRegistry()
    r.counter('a_total', 'A.')
    r.counter('b_total', 'B.', ['x'])
    expect(r.render()).toBe('# HELP a_total A.\n# TYPE a_total counter\na_total 0\n# HELP b_total B.\n# TYPE b_total counter\n')
  })

  test('label values and help are escaped', () => {
    const r = createRegistry()
    const c = r.counter('esc_total', 'Help with \\ backslash\nand newline.', ['v'])
    const nasty = 'a "quoted" \\ back\nslash'
    c.inc([nasty])
    const text = r.render()
    expect(text).toContain('# HELP esc_total Help with \\\\ backslash\\nand newline.')
    expect(parsePrometheus(text).get('esc_total')?.help).toBe('Help with \\ backslash\nand newline.')
    const f = parsePrometheus(text).get('esc_total')
    expect(f?.samples[0].labels.v).toBe(nasty)
  })

  test('histograms: buckets cumulative, boundary values counted in their bucket, +Inf = _count', () => {
    const r = createRegistry()
    const h = r.histogram('lat_seconds', 'Latency.', ['op'], [1, 0.1, 0.5, 0.5])
    expect(h.buckets).toEqual([0.1, 0.5, 1])
    for (const v of [0.05, 0.1, 0.3, 0.5, 0.7, 2, 9]) h.observe(['read'], v)
    h.labels('write').observe(0.2)
    const f = parsePrometheus(r.render()).get('lat_seconds')
    expect(f?.type).toBe('histogram')
    const b = (le: string) => sample(f, 'lat_seconds_bucket', { op: 'read', le })
    expect([b('0.1'), b('0.5'), b('1'), b('+Inf')]).toEqual([2, 4, 5, 7])
    expect(sample(f, 'lat_seconds_count', { op: 'read' })).toBe(7)
    expect(sample(f, 'lat_seconds_sum', { op: 'read' })).toBeCloseTo(12.65)
    expect(sample(f, 'lat_seconds_bucket', { op: 'write', le: '0.1' })).toBe(0)
    expect(sample(f, 'lat_seconds_bucket', { op: 'write', le: '0.5' })).toBe(1)
  })

  test('label-less histogram', () => {
    const r = createRegistry()
    r.histogram('h_seconds', 'H.', [], [1]).observe([], 3)
    expect(r.render()).toContain('h_seconds_bucket{le="1"} 0\nh_seconds_bucket{le="+Inf"} 1\nh_seconds_sum 3\nh_seconds_count 1\n')
  })

  test('misuse throws: bad names, reserved labels, duplicates, wrong arity, negative increments', () => {
    const r = createRegistry()
    expect(() => r.counter('bad-name', 'x')).toThrow()
    expect(() => r.counter('ok_total', 'x', ['bad-label'])).toThrow()
    expect(() => r.counter('ok2_total', 'x', ['__reserved'])).toThrow()
    expect(() => r.histogram('h', 'x', ['le'], [1])).toThrow()
    const c = r.counter('dup_total', 'x', ['a', 'b'])
    expect(() => r.counter('dup_total', 'x')).toThrow()
    expect(() => c.inc(['only-one'])).toThrow()
    expect(() => c.inc(['a', 'b'], -1)).toThrow()
  })

  test('values: integers, floats and infinities', () => {
    expect([formatValue(3), formatValue(0.25), formatValue(Infinity), formatValue(-Infinity), formatValue(NaN)]).toEqual([
      '3',
      '0.25',
      '+Inf',
      '-Inf',
      'NaN',
    ])
  })

  test('a registered secret used as a label value never reaches the output', () => {
    registerSecret('sk-label-SECRET-424242')
    const r = createRegistry()
    r.counter('leak_total', 'x', ['provider']).inc(['sk-label-SECRET-424242'])
    expect(r.render()).not.toContain('sk-label-SECRET-424242')
  })

  test('the test parser rejects malformed exposition (so the checks above can fail)', () => {
    const head = '# TYPE h histogram\n'
    expect(() => parsePrometheus('x 1\n')).toThrow(/TYPE/)
    expect(() => parsePrometheus('# TYPE x counter\nx{a="b} 1\n')).toThrow()
    expect(() => parsePrometheus('# TYPE x counter\nx{a="\\q"} 1\n')).toThrow(/escape/)
    expect(() => parsePrometheus('# TYPE x counter\nx one\n')).toThrow(/value/)
    expect(() => parsePrometheus(`${head}h_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n`)).toThrow(/cumulative/)
    expect(() => parsePrometheus(`${head}h_bucket{le="1"} 1\nh_sum 1\nh_count 1\n`)).toThrow(/\+Inf/)
    expect(() => parsePrometheus(`${head}h_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n`)).toThrow(/_count/)
  })
})

describe('gateway metrics', () => {
  test('every declared metric renders as valid exposition with the right type and labels', () => {
    const m = createGatewayMetrics(undefined, Date.now() - 5000)
    m.requests.inc(['anthropic', 'openai', 'gpt-4o', '200'])
    countUsage(m, 'openai', 'gpt-4o', { inputTokens: 100, outputTokens: 20, cacheReadTokens: 40, reasoningTokens: 5 }, 0.0012)
    m.requestDuration.observe(['anthropic', 'openai'], 1.2)
    m.timeToFirstToken.observe(['anthropic', 'openai'], 0.3)
    m.overhead.observe(['anthropic'], 0.0007)
    m.upstreamErrors.inc(['openai', '429'])
    m.retries.inc(['openai'])
    m.fallbacks.inc(['openai'])
    m.activeStreams.inc()
    m.rateLimited.inc(['key', 'rpm'])
    m.keyBenchState.set(['openai', 'active'], 2)
    setState(m.circuitState, 'openai/gpt-4o', ['closed', 'open', 'half_open'], 'open')

    const fams = parsePrometheus(m.registry.render())
    const expected: Record<string, string> = {
      llm_proxy_requests_total: 'counter',
      llm_proxy_tokens_total: 'counter',
      llm_proxy_cost_usd_total: 'counter',
      llm_proxy_request_duration_seconds: 'histogram',
      llm_proxy_time_to_first_token_seconds: 'histogram',
      llm_proxy_overhead_seconds: 'histogram',
      llm_proxy_upstream_errors_total: 'counter',
      llm_proxy_retries_total: 'counter',
      llm_proxy_fallbacks_total: 'counter',
      llm_proxy_active_streams: 'gauge',
      llm_proxy_rate_limited_total: 'counter',
      llm_proxy_key_bench_state: 'gauge',
      llm_proxy_circuit_state: 'gauge',
      process_resident_memory_bytes: 'gauge',
      process_start_time_seconds: 'gauge',
      llm_proxy_uptime_seconds: 'gauge',
    }
    for (const [name, type] of Object.entries(expected)) expect(fams.get(name)?.type).toBe(type)

    expect(sample(fams.get('llm_proxy_requests_total'), 'llm_proxy_requests_total', {
      front: 'anthropic',
      provider: 'openai',
      model: 'gpt-4o',
      status: '200',
    })).toBe(1)
    const tokens = fams.get('llm_proxy_tokens_total')
    const tok = (kind: string) => sample(tokens, 'llm_proxy_tokens_total', { provider: 'openai', model: 'gpt-4o', kind })
    expect([tok('input'), tok('output'), tok('cache_read'), tok('cache_write'), tok('reasoning')]).toEqual([100, 20, 40, undefined, 5])
    expect(sample(fams.get('llm_proxy_cost_usd_total'), 'llm_proxy_cost_usd_total', { provider: 'openai', model: 'gpt-4o' })).toBe(0.0012)
    const circuit = fams.get('llm_proxy_circuit_state')
    expect(sample(circuit, 'llm_proxy_circuit_state', { target: 'openai/gpt-4o', state: 'open' })).toBe(1)
    expect(sample(circuit, 'llm_proxy_circuit_state', { target: 'openai/gpt-4o', state: 'closed' })).toBe(0)
    expect(sample(fams.get('llm_proxy_active_streams'), 'llm_proxy_active_streams', {})).toBe(1)
    expect(sample(fams.get('process_resident_memory_bytes'), 'process_resident_memory_bytes', {})).toBeGreaterThan(1_000_000)
    expect(sample(fams.get('llm_proxy_uptime_seconds'), 'llm_proxy_uptime_seconds', {})).toBeGreaterThanOrEqual(5)
  })
})
