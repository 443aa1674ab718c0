// The dashboard in a real headless Chromium (Debian's chromium driven by playwright-core) against
// a proxy on a loopback port: log in with the admin key, see the overview charts drawn from
// traffic sent through the proxy by this test, look at every page (screenshots saved to
// docs/screenshots/ for the README), create a key from the UI and see it once, disable it and see
// the next request with it refused. Skips, saying so, when chromium is not installed.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Gateway } from '../../src/gateway'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'

const CHROMIUM = process.env.LLM_PROXY_CHROMIUM ?? '/usr/bin/chromium'
const SHOTS = join(import.meta.dir, '../../docs/screenshots')
const ADMIN = 'dashboard-admin-key-0123456789'
const CLIENT = 'sk-dashboard-client-ops'

if (!existsSync(CHROMIUM)) {
  console.warn(`dashboard-browser: no chromium at ${CHROMIUM} (apt-get install chromium, or set LLM_PROXY_CHROMIUM); skipping the browser test`)
  describe('dashboard in headless Chromium', () => test.skip('needs chromium', () => {}))
} else {
  describe('dashboard in headless Chromium', () => {
    let gateway: Gateway
    let server: ReturnType<typeof Bun.serve>
    let url = ''
    let shift = 0
    let sent = 0
    let refused = 0
    let upstream: ReturnType<typeof Bun.serve>
    let steady: Mock
    let context: import('playwright-core').BrowserContext
    let page: import('playwright-core').Page
    const dir = mkdtempSync(join(tmpdir(), 'llm-proxy-ui-'))
    const cspViolations: string[] = []

    const chat = (key: string, model = 'gpt-4o-mini', stream = false) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Tell me something about dashboards, briefly.' }] }),
      }).then(async (r) => (await r.text(), r.status))

    beforeAll(async () => {
      // an upstream that is always rate limited: its keys get benched, the route falls back to echo
      upstream = Bun.serve({
        hostname: '127.0.0.1',
        port: 0,
        fetch: () => Response.json({ error: { message: 'slow down', type: 'rate_limit_error' } }, { status: 429, headers: { 'retry-after': '600' } }),
      })
      // an OpenAI-like upstream that takes 15-85 ms to its first token
      steady = startMock((r, n) => {
        const wait = 15 + ((n * 37) % 70)
        const words = ['Dashboards ', 'show ', 'what ', 'is ', 'spent ', 'where.']
        const usage = { prompt_tokens: 40 + (n % 7) * 10, completion_tokens: 20 + (n % 5) * 30, total_tokens: 0 }
        const chunk = (delta: object, extra: object = {}) => ({ id: `c${n}`, object: 'chat.completion.chunk', created: 1, model: r.body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })
        if (!r.body.stream)
          return Bun.sleep(wait).then(() => ({ kind: 'json' as const, body: { id: `c${n}`, object: 'chat.completion', created: 1, model: r.body.model, choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }], usage } }))
        return {
          kind: 'sse',
          firstDelayMs: wait,
          delayMs: 3,
          frames: [...words.map((w) => ({ data: chunk({ content: w }) })), { data: { ...chunk({}), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] } }, { data: { ...chunk({}), choices: [], usage } }, 'data: [DONE]\n\n'],
        }
      })
      // the proxy's clock runs behind while the traffic is sent, so the hour of charts has a shape
      const clock = { now: () => Date.now() - shift, sleep: (ms: number) => Bun.sleep(ms) }
      ;({ gateway } = await startGateway(
        {
          usage: { store: `sqlite:${join(dir, 'ledger.db')}` },
          logging: { level: 'error' },
          providers: {
            demo: { dialect: 'echo' },
            openai: { dialect: 'openai-chat', base_url: `${steady.url}/v1`, api_key: 'sk-upstream-steady', max_retries: 0 },
            busy: { dialect: 'openai-chat', base_url: `http://127.0.0.1:${upstream.port}/v1`, api_key: ['sk-upstream-one', 'sk-upstream-two'], max_retries: 0 },
          },
          models: { 'claude-fast': { targets: ['busy/gpt-4o-mini'], fallbacks: ['demo/echo'] }, 'gpt-*': 'openai/*', '*': 'demo/echo' },
          pricing: { 'gpt-4o-mini': { input: 0.15, output: 0.6 }, 'gpt-4.1': { input: 2, output: 8 }, echo: { input: 3, output: 15 } },
          auth: { keys: [{ key: CLIENT, name: 'ops' }, { key: 'sk-dashboard-client-ci', name: 'ci-bot', group: 'batch' }], groups: { batch: { models: ['*'] } } },
          admin: { keys: [{ key: ADMIN, name: 'root' }] },
        },
        { clock, logSink: () => {} },
      ))
      server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: (r) => gateway.fetch(r) })
      url = `http://127.0.0.1:${server.port}`
      // traffic through the proxy over the last hour (as its clock says; not 59 min ago, which a
      // minute boundary crossed before the page is read would push out of the hour): two keys, three models,
      // streams and not, a refused key now and then
      const models = ['gpt-4o-mini', 'gpt-4.1', 'claude-haiku']
      // warm-up (the echo tokenizer loads on first use), three hours back: outside the hour charted
      shift = 3 * 3_600_000
      await Promise.all([chat(CLIENT, 'gpt-4o-mini'), chat(CLIENT, 'claude-haiku', true)])
      for (let m = 58; m >= 0; m--) {
        shift = m * 60_000
        const n = 1 + ((m * 7) % 5)
        const wave = Array.from({ length: n }, (_, i) => chat(i % 3 ? CLIENT : 'sk-dashboard-client-ci', models[(m + i) % 3], (m + i) % 2 === 0))
        if (m % 9 === 4) wave.push(chat('sk-not-a-key-at-all'))
        const statuses = await Promise.all(wave)
        expect(statuses.filter((s) => s !== 200 && s !== 401)).toEqual([])
        sent += statuses.length
        refused += statuses.filter((s) => s === 401).length
      }
      shift = 0
      // now, a route whose first target is rate limited: both its keys get benched, echo answers
      expect([await chat(CLIENT, 'claude-fast'), await chat(CLIENT, 'claude-fast', true)]).toEqual([200, 200])
      sent += 2

      const { chromium } = await import('playwright-core')
      context = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1280, height: 860 },
        colorScheme: 'light',
      })
      page = context.pages()[0] ?? (await context.newPage())
      page.on('console', (m) => {
        if (/Content.Security.Policy|Refused to/i.test(m.text())) cspViolations.push(m.text())
      })
      mkdirSync(SHOTS, { recursive: true })
      // the ledger writes its batch within a second
      await Bun.sleep(1100)
    }, 45_000)

    afterAll(async () => {
      await context?.close()
      server?.stop(true)
      await gateway?.close()
      upstream?.stop(true)
      steady?.stop()
      rmSync(dir, { recursive: true, force: true })
    })

    const ready = (name: string) => page.waitForSelector(`main[data-ready="${name}"]`, { timeout: 10_000 })
    const go = async (hash: string) => {
      await page.evaluate((h) => (location.hash = h), hash)
      await ready(hash)
    }
    const shot = (name: string, fullPage = true) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })

    test('log in with the admin key (a password field), then the overview charts show the traffic', async () => {
      await page.goto(`${url}/ui`)
      const field = page.locator('#login input[type=password]')
      await field.waitFor()
      await shot('login')
      await field.fill('not-the-admin-key')
      await page.click('#login button[type=submit]')
      await page.waitForSelector('#login .error:has-text("not an admin key")')
      await field.fill(ADMIN)
      await page.click('#login button[type=submit]')
      await ready('overview')
      await page.selectOption('#range', 'hour')
      await ready('overview')
      // the cookie is HttpOnly: page scripts cannot read it
      expect(await page.evaluate(() => document.cookie)).toBe('')
      const cookie = (await context.cookies()).find((c) => c.name === 'llm_proxy_session')!
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' })

      const stats = await page.locator('.stat .value').allTextContents()
      expect(stats[0]).toBe(String(sent)) // every request sent, the refused ones included
      expect(stats[1]).toStartWith(`${refused} (`)
      // five charts, each with at least one drawn series
      expect(await page.locator('figure.chart-card').count()).toBe(5)
      const drawn = await page.$$eval('figure.chart-card svg', (svgs) => svgs.map((s) => s.querySelectorAll('path.line, circle.dot').length))
      expect(drawn.every((n) => n > 0)).toBe(true)
      await shot('overview')
    }, 20_000)

    test('usage tables by key, group, model and provider, with sparklines', async () => {
      for (const by of ['key', 'group', 'model', 'provider']) {
        await go(`usage/${by}`)
        const rows = await page.locator('table.usage tbody tr').count()
        expect(rows).toBeGreaterThan(0)
        expect(await page.locator('table.usage svg.spark polyline').count()).toBe(rows)
      }
      await go('usage/key')
      expect(await page.locator('table.usage tbody tr').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('ops'), expect.stringContaining('ci-bot')]))
      await shot('usage')
    }, 20_000)

    test('live view and providers: recent requests, benched upstream keys, upstream errors', async () => {
      await go('live')
      await page.waitForSelector('table.recent tbody tr')
      const recent = await page.locator('table.recent tbody tr').allTextContents()
      expect(recent.some((r) => r.includes('401'))).toBe(true)
      expect(recent.some((r) => r.includes('demo/echo'))).toBe(true)
      await shot('live', false)
      await go('providers')
      const busy = page.locator('section.provider', { hasText: 'busy' })
      expect(await busy.textContent()).toContain('0 of 2 healthy')
      expect(await busy.textContent()).toContain('rate limited (429)')
      expect(await busy.textContent()).toContain('rate_limit')
      // never an upstream key, only its position
      const html = await page.content()
      expect(html).not.toContain('sk-upstream-one')
      expect(html).not.toContain('sk-upstream-two')
      await shot('providers')
    }, 20_000)

    test('create a key from the UI, see it once, disable it: the next request with it is refused', async () => {
      await go('keys')
      await page.fill('#create-key input[name=name]', 'new-colleague')
      await page.fill('#create-key input[name=budget]', '20/month')
      await page.click('#create-key button[type=submit]')
      const shown = page.locator('#new-key-value')
      await shown.waitFor()
      const key = (await shown.textContent())!
      expect(key).toMatch(/^sk-llmp-[A-Za-z0-9]{40}$/)
      await page.waitForSelector('tr[data-key="new-colleague"]')
      await page.evaluate(() => window.scrollTo(0, 0))
      await shot('keys')
      expect(await chat(key)).toBe(200)

      await page.click('tr[data-key="new-colleague"] button[data-action=disable]')
      await page.waitForSelector('tr[data-key="new-colleague"] .status:has-text("disabled")')
      expect(await chat(key)).toBe(401)

      // shown once: a fresh page (same session) lists the key without it
      await page.reload()
      await ready('keys')
      expect(await page.locator('#new-key-value').count()).toBe(0)
      expect(await page.content()).not.toContain(key)
      expect(cspViolations).toEqual([])
    }, 20_000)
  })
}
