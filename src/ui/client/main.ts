// The dashboard: a login form (the admin key is sent once, to /admin/login, which answers with an
// HttpOnly session cookie and a CSRF token kept in memory), then pages chosen by the URL's #hash.
import { api, ApiError, setCsrf } from './api'
import { h } from './dom'
import { BREAKDOWNS, keys, live, overview, providers, usage, type PageCtx, type Range } from './pages'

const app = document.getElementById('app')!
let range: Range = (localStorage.getItem('llm-proxy-range') as Range) || 'day'
let stop: () => void = () => {}
let admin = ''

function loginForm(message = ''): void {
  stop()
  const error = h('p', { class: 'error', role: 'alert' }, message)
  const form = h(
    'form',
    { class: 'card login', id: 'login' },
    h('h1', {}, 'llm-proxy'),
    h('label', { for: 'admin-key' }, 'Admin key'),
    h('input', { id: 'admin-key', name: 'key', type: 'password', autocomplete: 'current-password', required: true, autofocus: true }),
    h('button', { type: 'submit' }, 'Log in'),
    error,
  )
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const key = String(new FormData(form).get('key') ?? '')
    try {
      const s = await api('POST', '/admin/login', { key })
      setCsrf(s.csrf)
      admin = s.admin
      form.reset()
      void show()
    } catch (err) {
      error.textContent = (err as Error).message
    }
  })
  app.replaceChildren(form)
}

const NAV: Array<[string, string]> = [
  ['overview', 'Overview'],
  ['usage/key', 'Usage'],
  ['live', 'Live'],
  ['providers', 'Providers'],
  ['keys', 'Keys'],
]

function frame(page: string): HTMLElement {
  const main = h('main', { id: 'page' })
  const rangeSel = h('select', { id: 'range', 'aria-label': 'time range' }, ...(['hour', 'day', 'week'] as const).map((r) => h('option', { value: r, selected: r === range }, `last ${r}`)))
  rangeSel.addEventListener('change', () => {
    range = rangeSel.value as Range
    localStorage.setItem('llm-proxy-range', range)
    void show()
  })
  const logout = h('button', { type: 'button', id: 'logout', class: 'link' }, 'Log out')
  logout.addEventListener('click', async () => {
    await api('POST', '/admin/logout').catch(() => {})
    setCsrf('')
    loginForm('Logged out.')
  })
  const section = page.split('/')[0]
  app.replaceChildren(
    h(
      'header',
      {},
      h('span', { class: 'brand' }, 'llm-proxy'),
      h('nav', {}, ...NAV.map(([href, label]) => h('a', { href: `#${href}`, class: href.split('/')[0] === section ? 'active' : '' }, label))),
      h('span', { class: 'spacer' }),
      rangeSel,
      h('span', { class: 'muted' }, admin),
      logout,
    ),
    main,
  )
  return main
}

async function show(): Promise<void> {
  stop()
  stop = () => {}
  const page = location.hash.slice(1) || 'overview'
  const root = frame(page)
  const ctx: PageCtx = { root, range }
  try {
    if (page === 'overview') stop = await overview(ctx)
    else if (page.startsWith('usage/') && (BREAKDOWNS as readonly string[]).includes(page.slice(6))) stop = await usage(ctx, page.slice(6))
    else if (page === 'live') stop = await live(ctx)
    else if (page === 'providers') stop = await providers(ctx)
    else if (page === 'keys') {
      const rerender = async () => {
        root.replaceChildren()
        await keys(ctx, rerender)
      }
      stop = await keys(ctx, rerender)
    } else location.hash = '#overview'
    root.setAttribute('data-ready', page)
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return loginForm('Your session ended; log in again.')
    root.append(h('p', { class: 'error' }, (err as Error).message))
  }
}

window.addEventListener('hashchange', () => void show())

// a session cookie from before a reload of the page: ask for its CSRF token
api('GET', '/admin/session')
  .then((s) => {
    setCsrf(s.csrf ?? '')
    admin = s.admin
    void show()
  })
  .catch(() => loginForm())
