// The dashboard's pages. Each renders into `root` from the admin API and returns a stop function
// (the live page polls every second while it is shown).
import { api } from './api'
import { lineChart, sparkline } from './charts'
import { h, fmt } from './dom'

export type Range = 'hour' | 'day' | 'week'
export interface PageCtx {
  root: HTMLElement
  range: Range
}
type Stop = () => void
const noop: Stop = () => {}

const xFmt = (range: Range) => (range === 'week' ? fmt.day : fmt.clock)
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const stat = (label: string, value: string, cls = '') => h('div', { class: `card stat ${cls}` }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value))
const empty = (text: string) => h('p', { class: 'empty' }, text)

function table(head: string[], rows: Array<Array<Node | string>>, cls = ''): HTMLElement {
  return h(
    'table',
    { class: cls },
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  )
}

export async function overview({ root, range }: PageCtx): Promise<Stop> {
  const o = await api('GET', `/admin/overview?range=${range}`)
  const pts: any[] = o.points
  const times = pts.map((p) => p.t)
  const requests = sum(pts.map((p) => p.requests))
  const errors = sum(pts.map((p) => p.errors))
  const col = (k: string) => pts.map((p) => p[k] as number | null)
  // whole-range percentiles are not a mean of buckets: the cards show the worst bucket's p95
  const worst = (k: string) => Math.max(0, ...pts.map((p) => p[k] ?? 0))
  root.append(
    h('h1', {}, 'Overview'),
    o.store ? '' : empty('usage.store is none: no usage ledger, so no history to chart.'),
    h(
      'div',
      { class: 'stats' },
      stat('Requests', fmt.int(requests)),
      stat('Errors', `${fmt.int(errors)}${requests ? ` (${fmt.pct(errors / requests)})` : ''}`, errors ? 'bad' : ''),
      stat('Tokens in / out', `${fmt.int(sum(col('input_tokens') as number[]))} / ${fmt.int(sum(col('output_tokens') as number[]))}`),
      stat('Cost', fmt.usd(sum(col('cost_usd') as number[]))),
      stat('Latency p95 (worst bucket)', fmt.ms(worst('p95_ms'))),
      stat('TTFT p95 (worst bucket)', fmt.ms(worst('ttft_p95_ms'))),
    ),
    h(
      'div',
      { class: 'charts' },
      lineChart('Requests and errors', times, [{ name: 'requests', values: col('requests'), cls: 's1' }, { name: 'errors', values: col('errors'), cls: 's3' }], fmt.int, xFmt(range)),
      lineChart('Tokens', times, [{ name: 'input', values: col('input_tokens'), cls: 's1' }, { name: 'output', values: col('output_tokens'), cls: 's2' }], fmt.int, xFmt(range)),
      lineChart('Cost (USD)', times, [{ name: 'cost', values: col('cost_usd'), cls: 's2' }], fmt.usd, xFmt(range)),
      lineChart('Latency', times, [{ name: 'p50', values: col('p50_ms'), cls: 's1' }, { name: 'p95', values: col('p95_ms'), cls: 's4' }], fmt.ms, xFmt(range)),
      lineChart('Time to first token', times, [{ name: 'p50', values: col('ttft_p50_ms'), cls: 's1' }, { name: 'p95', values: col('ttft_p95_ms'), cls: 's4' }], fmt.ms, xFmt(range)),
    ),
  )
  return noop
}

export const BREAKDOWNS = ['key', 'group', 'model', 'provider'] as const

export async function usage(ctx: PageCtx, by: string): Promise<Stop> {
  const u = await api('GET', `/admin/usage/${encodeURIComponent(by)}?range=${ctx.range}`)
  const tabs = h('nav', { class: 'tabs' }, ...BREAKDOWNS.map((b) => h('a', { href: `#usage/${b}`, class: b === by ? 'active' : '' }, `by ${b}`)))
  const rows = (u.rows as any[]).map((r) => [
    h('strong', {}, r.name || '(none)'),
    fmt.int(r.requests),
    r.errors ? h('span', { class: 'bad' }, fmt.int(r.errors)) : '0',
    fmt.int(r.input_tokens),
    fmt.int(r.output_tokens),
    fmt.usd(r.cost_usd),
    fmt.ms(r.p50_ms),
    fmt.ms(r.p95_ms),
    sparkline(r.spark) as unknown as Node,
  ])
  ctx.root.append(
    h('h1', {}, 'Usage'),
    tabs,
    rows.length
      ? table([by, 'requests', 'errors', 'tokens in', 'tokens out', 'cost', 'p50', 'p95', `requests over the ${ctx.range}`], rows, 'usage')
      : empty(u.store ? 'No requests in this range.' : 'usage.store is none: no usage ledger.'),
  )
  return noop
}

export async function live({ root }: PageCtx): Promise<Stop> {
  const body = h('div', {})
  root.append(h('h1', {}, 'Live ', h('span', { class: 'pulse', title: 'updated every second' })), body)
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const draw = async () => {
    const l = await api('GET', '/admin/live?limit=50')
    if (stopped) return
    const active = (l.active as any[]).map((a) => [a.id, a.key || '–', a.model, `${a.provider}/${a.upstream_model}`, String(a.attempts), fmt.ms(l.now - a.since)])
    const recent = (l.recent as any[]).map((r) => [
      fmt.time(r.time),
      h('span', { class: r.status >= 400 ? 'status bad' : 'status ok' }, String(r.status)),
      r.key || '–',
      r.model || '–',
      r.provider ? `${r.provider}/${r.upstream_model}` : '–',
      String(r.attempts),
      r.stream ? 'stream' : '',
      fmt.ms(r.duration_ms),
      fmt.ms(r.ttft_ms),
      `${fmt.int(r.input_tokens)} / ${fmt.int(r.output_tokens)}`,
      r.error ?? '',
    ])
    body.replaceChildren(
      h('h2', {}, `Active streams (${active.length})`),
      active.length ? table(['request', 'key', 'model', 'target', 'attempts', 'streaming for'], active) : empty('No stream in progress.'),
      h('h2', {}, 'Recent requests'),
      recent.length ? table(['time', 'status', 'key', 'model', 'target', 'attempts', '', 'duration', 'TTFT', 'tokens in / out', 'error'], recent, 'recent') : empty('No request yet.'),
    )
  }
  const loop = async () => {
    await draw().catch(() => {})
    if (!stopped) timer = setTimeout(loop, 1000)
  }
  await loop()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

export async function providers({ root }: PageCtx): Promise<Stop> {
  const v = await api('GET', '/admin/providers')
  root.append(
    h('h1', {}, 'Providers'),
    h(
      'div',
      { class: 'providers' },
      ...(v.providers as any[]).map((p) =>
        h(
          'section',
          { class: 'card provider' },
          h('h2', {}, p.name, ' ', h('span', { class: 'tag' }, p.dialect)),
          p.base_url ? h('div', { class: 'muted' }, p.base_url) : '',
          h('p', {}, p.keys === 'passthrough' ? 'keys: the client’s own (passthrough)' : p.keys === 0 ? 'no upstream key' : `keys: ${p.healthy_keys} of ${p.keys} healthy`),
          p.benched.length ? table(['key', 'benched for', 'until'], p.benched.map((b: any) => [b.key, b.reason === 'auth' ? 'refused (401/403)' : 'rate limited (429)', b.until])) : '',
          p.circuits.length
            ? table(['target', 'circuit'], p.circuits.map((c: any) => [c.target, h('span', { class: 'bad' }, c.state.replace('_', '-'))]))
            : h('p', { class: 'ok' }, 'all circuits closed'),
          p.recent_failures.length
            ? table(['time', 'target', 'error', 'status'], p.recent_failures.map((f: any) => [fmt.time(f.time), f.target, f.class, String(f.status)]))
            : h('p', { class: 'muted' }, 'no recent upstream error'),
        ),
      ),
    ),
  )
  return noop
}

export async function keys(ctx: PageCtx, rerender: () => void): Promise<Stop> {
  const { root } = ctx
  const list = await api('GET', '/admin/keys')
  const shown = h('div', { id: 'new-key' })
  const error = h('p', { class: 'error', role: 'alert' })
  const input = (name: string, placeholder: string) => h('input', { name, placeholder, autocomplete: 'off' })
  const form = h(
    'form',
    { class: 'card create', id: 'create-key' },
    h('h2', {}, 'New key'),
    h('div', { class: 'row' }, input('name', 'name (alice)'), input('group', 'group (default)'), input('models', 'models (glob,glob)'), input('rpm', 'rpm'), input('budget', 'budget (50/month)'), input('expires', 'expires (30d)')),
    h('button', { type: 'submit' }, 'Create key'),
    error,
  )
  const showOnce = (title: string, key: string) => {
    const code = h('code', { id: 'new-key-value' }, key)
    shown.replaceChildren(
      h(
        'div',
        { class: 'card once' },
        h('strong', {}, title),
        h('p', {}, 'Copy it now: this is the only time it is shown (only its hash is stored).'),
        code,
        h('button', { type: 'button', onclick: () => void navigator.clipboard?.writeText(key) }, 'Copy'),
      ),
    )
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const f = new FormData(form)
    const v = (k: string) => String(f.get(k) ?? '').trim()
    const spec: Record<string, unknown> = { name: v('name') }
    if (v('group')) spec.group = v('group')
    if (v('models')) spec.models = v('models').split(',').map((s) => s.trim()).filter(Boolean)
    if (v('rpm')) spec.rpm = Number(v('rpm'))
    if (v('budget')) spec.budget = v('budget')
    if (v('expires')) spec.expires = v('expires')
    try {
      const k = await api('POST', '/admin/keys', spec)
      await rerender()
      document.getElementById('new-key')?.replaceWith(shown)
      showOnce(`Key ${k.name} created`, k.key)
    } catch (err) {
      error.textContent = (err as Error).message
    }
  })
  const act = (label: string, run: () => Promise<unknown>, cls = '') =>
    h('button', { type: 'button', class: cls, 'data-action': label.toLowerCase(), onclick: () => void run().then(rerender).catch((err) => (error.textContent = err.message)) }, label)
  const rows = (list.keys as any[]).map((k) => {
    const name = encodeURIComponent(k.name)
    const del = h('button', { type: 'button', class: 'danger', 'data-action': 'delete' }, 'Delete')
    del.addEventListener('click', () => {
      // two clicks: a confirm() dialog would be one more thing the CSP and tests must allow
      if (del.dataset.armed) void api('DELETE', `/admin/keys/${name}`).then(rerender).catch((err) => (error.textContent = err.message))
      else {
        del.dataset.armed = '1'
        del.textContent = 'Really delete?'
      }
    })
    const rotate = h('button', { type: 'button', 'data-action': 'rotate' }, 'Rotate')
    rotate.addEventListener('click', async () => {
      try {
        const r = await api('POST', `/admin/keys/${name}/rotate`)
        await rerender()
        document.getElementById('new-key')?.replaceWith(shown)
        showOnce(`Key ${k.name} rotated: the old key no longer works`, r.key)
      } catch (err) {
        error.textContent = (err as Error).message
      }
    })
    return {
      name: k.name,
      cells: [
        h('strong', {}, k.name),
        h('code', {}, k.prefix),
        k.group,
        h('span', { class: `status ${k.status === 'active' ? 'ok' : 'bad'}` }, k.status),
        k.models ? k.models.join(', ') : 'group’s',
        k.rpm === null ? '–' : String(k.rpm),
        k.budget ?? '–',
        k.expires_at ? k.expires_at.slice(0, 10) : 'never',
        h(
          'span',
          { class: 'actions' },
          k.status === 'disabled' ? act('Enable', () => api('PATCH', `/admin/keys/${name}`, { disabled: false })) : act('Disable', () => api('PATCH', `/admin/keys/${name}`, { disabled: true })),
          rotate,
          del,
        ),
      ],
    }
  })
  const t = table(['name', 'prefix', 'group', 'status', 'models', 'rpm', 'budget', 'expires', ''], rows.map((r) => r.cells), 'keys')
  rows.forEach((r, i) => t.querySelectorAll('tbody tr')[i]?.setAttribute('data-key', r.name))
  root.append(h('h1', {}, 'Keys'), form, shown, rows.length ? t : empty('No database key yet. Keys in the config file are not listed here.'))
  return noop
}
