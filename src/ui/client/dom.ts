// A tiny DOM builder: every value reaches the page as text (textContent), never as HTML.
type Child = Node | string | number | null | undefined | false
export type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v)
    else if (k === 'class') el.className = String(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  append(el, children)
  return el
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)))
}

const SVG_NS = 'http://www.w3.org/2000/svg'
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Node[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  for (const c of children) el.appendChild(c)
  return el
}

export const clear = (el: Element): void => el.replaceChildren()

export const fmt = {
  int: (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(1)}k` : String(Math.round(n))),
  usd: (n: number) => (n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`),
  ms: (n: number | null | undefined) =>
    n === null || n === undefined ? '–' : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : n > 0 && n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`,
  pct: (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`,
  time: (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  clock: (t: number) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
  day: (t: number) => new Date(t).toLocaleDateString([], { weekday: 'short', day: 'numeric' }),
}
