// Charts drawn as SVG by hand: a line chart with a y-axis scale, time labels and a legend, and a
// sparkline. A few dozen lines do what the dashboard needs, with no dependency to embed, no
// inline style (the CSP forbids it) and crisp output at any size.
import { h, svg } from './dom'

export interface Line {
  name: string
  values: Array<number | null>
  /** CSS class giving the stroke colour (style.css) */
  cls: string
}

const W = 560
const H = 180
const PAD = { l: 52, r: 12, t: 12, b: 24 }

/** 1, 2, 5 × 10^n at or above v */
function niceMax(v: number): number {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

export function lineChart(title: string, times: number[], lines: Line[], yFmt: (n: number) => string, xFmt: (t: number) => string): HTMLElement {
  const max = niceMax(Math.max(0, ...lines.flatMap((l) => l.values.filter((v): v is number => v !== null))))
  const n = times.length
  const x = (i: number) => PAD.l + (n <= 1 ? 0 : (i / (n - 1)) * (W - PAD.l - PAD.r))
  const y = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b)
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title })
  for (const f of [0, 0.5, 1]) {
    root.appendChild(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(max * f), y2: y(max * f), class: 'grid' }))
    const label = svg('text', { x: PAD.l - 6, y: y(max * f) + 4, class: 'axis', 'text-anchor': 'end' })
    label.textContent = yFmt(max * f)
    root.appendChild(label)
  }
  for (const i of n > 1 ? [0, Math.floor((n - 1) / 2), n - 1] : []) {
    const label = svg('text', { x: x(i), y: H - 6, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle' })
    label.textContent = xFmt(times[i])
    root.appendChild(label)
  }
  for (const l of lines) {
    // a gap where there is no value (a bucket without requests has no latency)
    let d = ''
    let pen = false
    l.values.forEach((v, i) => {
      if (v === null) return void (pen = false)
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`
      pen = true
    })
    // a value with no neighbour draws no segment: a dot instead
    l.values.forEach((v, i) => {
      if (v !== null && (l.values[i - 1] ?? null) === null && (l.values[i + 1] ?? null) === null)
        root.appendChild(svg('circle', { cx: x(i), cy: y(v), r: 2.5, class: `dot ${l.cls}` }))
    })
    if (d) root.appendChild(svg('path', { d, class: `line ${l.cls}` }))
  }
  const legend = h('div', { class: 'legend' }, ...lines.map((l) => h('span', { class: `key ${l.cls}` }, l.name)))
  return h('figure', { class: 'card chart-card' }, h('figcaption', {}, title), root, legend)
}

export function sparkline(values: number[]): SVGElement {
  const w = 120
  const ht = 28
  const max = Math.max(1, ...values)
  const step = values.length > 1 ? w / (values.length - 1) : 0
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(ht - 2 - (v / max) * (ht - 4)).toFixed(1)}`).join(' ')
  return svg('svg', { viewBox: `0 0 ${w} ${ht}`, class: 'spark', width: w, height: ht }, svg('polyline', { points: pts, class: 'line s1' }))
}
