// A strict parser for the Prometheus text exposition format 0.0.4, for tests: every line is
// validated, and histogram families are checked for cumulative buckets ending at +Inf = _count.

export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}
export interface Family {
  name: string
  type: string
  help?: string
  samples: Sample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue(s: string, line: string): number {
  if (!FLOAT.test(s)) throw new Error(`bad value ${JSON.stringify(s)} in: ${line}`)
  return s === '+Inf' ? Infinity : s === '-Inf' ? -Infinity : Number(s)
}

function parseLabels(src: string, line: string): Record<string, string> {
  const out: Record<string, string> = {}
  let i = 0
  while (i < src.length) {
    const eq = src.indexOf('=', i)
    if (eq < 0) throw new Error(`bad labels in: ${line}`)
    const name = src.slice(i, eq)
    if (!LABEL.test(name)) throw new Error(`bad label name ${name} in: ${line}`)
    if (name in out) throw new Error(`duplicate label ${name} in: ${line}`)
    if (src[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`)
    let v = ''
    let j = eq + 2
    for (; ; j++) {
      if (j >= src.length) throw new Error(`unterminated label value in: ${line}`)
      const c = src[j]
      if (c === '"') break
      if (c === '\n') throw new Error(`raw newline in label value: ${line}`)
      if (c === '\\') {
        const n = src[++j]
        if (n === '\\') v += '\\'
        else if (n === '"') v += '"'
        else if (n === 'n') v += '\n'
        else throw new Error(`bad escape \\${n} in: ${line}`)
      } else v += c
    }
    out[name] = v
    i = j + 1
    if (i < src.length) {
      if (src[i] !== ',') throw new Error(`expected , in labels: ${line}`)
      i++
    }
  }
  return out
}

function unescapeHelp(src: string, line: string): string {
  let v = ''
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== '\\') {
      v += src[i]
      continue
    }
    const n = src[++i]
    if (n === '\\') v += '\\'
    else if (n === 'n') v += '\n'
    else throw new Error(`bad escape in HELP: ${line}`)
  }
  return v
}

function familyOf(sample: string, families: Map<string, Family>): Family | undefined {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!sample.endsWith(suffix)) continue
    const f = families.get(sample.slice(0, -suffix.length))
    if (f?.type === 'histogram') return f
  }
  const f = families.get(sample)
  return f && f.type !== 'histogram' ? f : undefined
}

export function parsePrometheus(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline')
  const families = new Map<string, Family>()
  const seenSamples = new Set<string>()
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line)
      if (!m) throw new Error(`bad comment line: ${line}`)
      const [, kind, name, rest] = m
      if (!NAME.test(name)) throw new Error(`bad metric name: ${line}`)
      const f = families.get(name) ?? { name, type: 'untyped', samples: [] }
      if (f.samples.length) throw new Error(`${kind} after samples: ${line}`)
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`bad type: ${line}`)
        if (families.has(name) && f.type !== 'untyped') throw new Error(`second TYPE: ${line}`)
        f.type = rest
      } else {
        if (f.help !== undefined) throw new Error(`second HELP: ${line}`)
        f.help = unescapeHelp(rest, line)
      }
      families.set(name, f)
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line)
    if (!m) throw new Error(`bad sample line: ${JSON.stringify(line)}`)
    const [, name, labelSrc, value] = m
    const f = familyOf(name, families)
    if (!f) throw new Error(`sample without a TYPE declared before it: ${line}`)
    const labels = labelSrc ? parseLabels(labelSrc, line) : {}
    const id = name + JSON.stringify(Object.entries(labels).sort())
    if (seenSamples.has(id)) throw new Error(`duplicate sample: ${line}`)
    seenSamples.add(id)
    f.samples.push({ name, labels, value: parseValue(value, line) })
  }
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f)
  return families
}

function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: Array<[number, number]>; sum?: number; count?: number }>()
  for (const s of f.samples) {
    const { le, ...rest } = s.labels
    const key = JSON.stringify(Object.entries(rest).sort())
    const e = series.get(key) ?? { buckets: [] }
    series.set(key, e)
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name}: bucket without le`)
      e.buckets.push([parseValue(le, s.name), s.value])
    } else if (le !== undefined) throw new Error(`${f.name}: le on ${s.name}`)
    else if (s.name.endsWith('_sum')) e.sum = s.value
    else e.count = s.value
  }
  for (const [key, e] of series) {
    if (e.sum === undefined || e.count === undefined) throw new Error(`${f.name}${key}: missing _sum or _count`)
    const last = e.buckets[e.buckets.length - 1]
    if (!last || last[0] !== Infinity) throw new Error(`${f.name}${key}: buckets must end with +Inf`)
    if (last[1] !== e.count) throw new Error(`${f.name}${key}: +Inf bucket ${last[1]} != _count ${e.count}`)
    for (let i = 1; i < e.buckets.length; i++) {
      if (!(e.buckets[i][0] > e.buckets[i - 1][0])) throw new Error(`${f.name}${key}: le not increasing`)
      if (e.buckets[i][1] < e.buckets[i - 1][1]) throw new Error(`${f.name}${key}: buckets not cumulative`)
    }
  }
}
