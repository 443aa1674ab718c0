// A tiny Prometheus registry: counters, gauges and histograms with labels, rendered in the text
// exposition format 0.0.4. Each metric keeps a Map from a label-values key to a child; callers on
// hot paths keep the child from `labels(...)` and pay one addition per update.
import { redact } from './redact'

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

export interface CounterChild {
  inc(n?: number): void
  readonly value: number
}
export interface GaugeChild {
  set(v: number): void
  inc(n?: number): void
  dec(n?: number): void
  readonly value: number
}
export interface HistogramChild {
  observe(v: number): void
  readonly count: number
  readonly sum: number
}

interface Metric<C> {
  readonly name: string
  readonly labelNames: readonly string[]
  /** The child for these label values (in `labelNames` order), created on first use. */
  labels(...values: string[]): C
}
export interface Counter extends Metric<CounterChild> {
  inc(values?: readonly string[], n?: number): void
}
export interface Gauge extends Metric<GaugeChild> {
  set(values: readonly string[], v: number): void
  inc(values?: readonly string[], n?: number): void
  dec(values?: readonly string[], n?: number): void
}
export interface Histogram extends Metric<HistogramChild> {
  readonly buckets: readonly number[]
  observe(values: readonly string[], v: number): void
}

export interface Registry {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram
  /** Runs before every render: for values sampled on demand (memory, uptime). */
  onCollect(fn: () => void): void
  render(): string
}

export const formatValue = (n: number): string =>
  Number.isFinite(n) ? String(n) : Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')

/** `a="x",b="y"` (no braces). Values pass through redaction: a label never carries a key. */
function labelPairs(names: readonly string[], values: readonly string[]): string {
  let s = ''
  for (let i = 0; i < names.length; i++) {
    if (i > 0) s += ','
    s += `${names[i]}="${escapeLabel(redact(String(values[i])))}"`
  }
  return s
}

interface Entry<C> {
  /** rendered label pairs, without braces */
  pairs: string
  child: C
}

interface Family<C> {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
  labelNames: readonly string[]
  children: Map<string, Entry<C>>
  render(out: string[]): void
}

function family<C>(
  name: string,
  labelNames: readonly string[],
  make: () => C,
): { children: Map<string, Entry<C>>; get: (values: readonly string[]) => C } {
  const children = new Map<string, Entry<C>>()
  const get = (values: readonly string[]): C => {
    // Single-label metrics (most of ours) skip the join.
    const key = values.length === 1 ? values[0] : values.join('\u0001')
    const hit = children.get(key)
    if (hit) return hit.child
    if (values.length !== labelNames.length)
      throw new Error(`${name}: expected ${labelNames.length} label values, got ${values.length}`)
    const entry = { pairs: labelPairs(labelNames, values), child: make() }
    children.set(key, entry)
    return entry.child
  }
  if (labelNames.length === 0) get([])
  return { children, get }
}

const NO_LABELS: readonly string[] = []

function checkNames(name: string, labelNames: readonly string[], reserved: string[] = []): void {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name: ${name}`)
  for (const l of labelNames)
    if (!LABEL_NAME.test(l) || l.startsWith('__') || reserved.includes(l))
      throw new Error(`${name}: invalid label name: ${l}`)
}

export function createRegistry(): Registry {
  const families = new Map<string, Family<unknown>>()
  const collectors: Array<() => void> = []

  const add = <C>(f: Family<C>) => {
    if (families.has(f.name)) throw new Error(`metric already registered: ${f.name}`)
    families.set(f.name, f as Family<unknown>)
  }

  const renderSimple = (name: string, children: Map<string, Entry<{ value: number }>>) => (out: string[]) => {
    for (const { pairs, child } of children.values())
      out.push(pairs ? `${name}{${pairs}} ${formatValue(child.value)}` : `${name} ${formatValue(child.value)}`)
  }

  return {
    counter(name, help, labelNames = NO_LABELS) {
      checkNames(name, labelNames)
      const { children, get } = family<CounterChild>(name, labelNames, () => {
        const c = {
          value: 0,
          inc(n = 1) {
            if (n < 0) throw new Error(`${name}: counters only go up`)
            c.value += n
          },
        }
        return c
      })
      add({ name, help, type: 'counter', labelNames, children, render: renderSimple(name, children) })
      return {
        name,
        labelNames,
        labels: (...values) => get(values),
        inc: (values = NO_LABELS, n = 1) => get(values).inc(n),
      }
    },

    gauge(name, help, labelNames = NO_LABELS) {
      checkNames(name, labelNames)
      const { children, get } = family<GaugeChild>(name, labelNames, () => {
        const g = {
          value: 0,
          set(v: number) {
            g.value = v
          },
          inc(n = 1) {
            g.value += n
          },
          dec(n = 1) {
            g.value -= n
          },
        }
        return g
      })
      add({ name, help, type: 'gauge', labelNames, children, render: renderSimple(name, children) })
      return {
        name,
        labelNames,
        labels: (...values) => get(values),
        set: (values, v) => get(values).set(v),
        inc: (values = NO_LABELS, n = 1) => get(values).inc(n),
        dec: (values = NO_LABELS, n = 1) => get(values).dec(n),
      }
    },

    histogram(name, help, labelNames, buckets) {
      checkNames(name, labelNames, ['le'])
      const bounds = [...new Set(buckets)].filter(Number.isFinite).sort((a, b) => a - b)
      if (bounds.length === 0) throw new Error(`${name}: no buckets`)
      const les = bounds.map((b) => `le="${formatValue(b)}"`)
      // counts[i] is per bucket (not cumulative); counts[bounds.length] is the +Inf overflow.
      const { children, get } = family(name, labelNames, () => {
        const h = {
          counts: new Array<number>(bounds.length + 1).fill(0),
          count: 0,
          sum: 0,
          observe(v: number) {
            let i = 0
            while (i < bounds.length && v > bounds[i]) i++
            h.counts[i]++
            h.count++
            h.sum += v
          },
        }
        return h
      })
      const render = (out: string[]) => {
        for (const { pairs, child } of children.values()) {
          const pre = pairs ? `${pairs},` : ''
          let cum = 0
          for (let i = 0; i < bounds.length; i++) {
            cum += child.counts[i]
            out.push(`${name}_bucket{${pre}${les[i]}} ${cum}`)
          }
          out.push(`${name}_bucket{${pre}le="+Inf"} ${child.count}`)
          const braces = pairs ? `{${pairs}}` : ''
          out.push(`${name}_sum${braces} ${formatValue(child.sum)}`)
          out.push(`${name}_count${braces} ${child.count}`)
        }
      }
      add({ name, help, type: 'histogram', labelNames, children, render })
      return {
        name,
        labelNames,
        buckets: bounds,
        labels: (...values) => get(values),
        observe: (values, v) => get(values).observe(v),
      }
    },

    onCollect(fn) {
      collectors.push(fn)
    },

    render() {
      for (const fn of collectors) fn()
      const out: string[] = []
      for (const f of families.values()) {
        out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`)
        f.render(out)
      }
      return out.join('\n') + '\n'
    },
  }
}
