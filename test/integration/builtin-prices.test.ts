// With no pricing: section, the built-in table prices the ledger rows and the cost metric.
import { afterAll, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock } from '../helpers/mock-upstream'
import { startProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const mock = startMock((r) => openaiChat(r, { text: 'priced', usage: { input: 1000, output: 500 } }))
afterAll(() => mock.stop())

test('built-in prices reach the ledger: cost > 0 with no pricing: section', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'llm-proxy-prices-')), 'u.db')
  const proxy = await startProxy({
    providers: { up: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-up-123456789' } },
    models: { mini: 'up/gpt-4o-mini' },
    usage: { store: `sqlite:${db}` },
  })
  try {
    const res = await fetch(`${proxy.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }) })
    expect((await res.json()).choices[0].message.content).toBe('priced')
    // gpt-4o-mini: 0.15 in, 0.6 out per million
    const expected = (1000 * 0.15 + 500 * 0.6) / 1e6
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text()
    expect(metrics).toMatch(/llm_proxy_cost_usd_total\{provider="up",model="gpt-4o-mini"\} 0\.000450*\d*/)
    let row: Record<string, any> | undefined
    for (let i = 0; i < 100 && !row; i++) {
      await Bun.sleep(30)
      const d = new Database(db, { readonly: true })
      try {
        row = d.query('SELECT * FROM usage_ledger').get() as Record<string, any> | undefined
      } catch {
        row = undefined
      } finally {
        d.close()
      }
    }
    expect(row).toMatchObject({ model_upstream: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 500 })
    expect(row!.cost_usd).toBeGreaterThan(0)
    expect(row!.cost_usd).toBeCloseTo(expected, 10)
  } finally {
    proxy.stop()
  }}, 30_000)
