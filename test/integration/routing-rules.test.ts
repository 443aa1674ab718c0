// Routing rules through the whole gateway: the rule's target answers, the decision shows in
// x-llm-proxy-rule, the request log line and /metrics; `check --resolve --body` explains it.
import { Database } from 'bun:sqlite'
import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../src/cli/check'
import { startMock } from '../helpers/mock-upstream'
import { startGateway, testConfig } from '../helpers/proxy'
import { openaiChat, responses } from '../helpers/wire'
import { claudeCodeBody } from '../clients/claude-code-request'
import { CODEX_FIRST_INPUT, codexBody } from '../clients/codex-request'

const small = startMock((r) => openaiChat(r, { text: 'small here' }))
const big = startMock((r) => (r.path.endsWith('/responses') ? responses(r, { text: 'big here' }) : openaiChat(r, { text: 'big here' })))
afterAll(() => {
  small.stop()
  big.stop()
})

const raw = {
  providers: {
    small: { dialect: 'openai-chat', base_url: `${small.url}/v1`, api_key: 'k' },
    big: { dialect: 'openai-chat', base_url: `${big.url}/v1`, api_key: 'k' },
    bigr: { dialect: 'openai-responses', base_url: `${big.url}/v1`, api_key: 'k' },
  },
  models: {
    'claude-*': {
      targets: ['big/main-model'],
      rules: [
        { name: 'background', when: { model: 'claude-*haiku*' }, target: 'small/small-model' },
        { name: 'think', when: { thinking: true }, target: 'big/reasoner' },
      ],
    },
    'gpt-5*': {
      targets: ['bigr/gpt-5'],
      rules: [{ name: 'light', when: { header: { 'x-effort': 'low' } }, target: 'small/small-model' }],
    },
  },
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://proxy.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body: JSON.stringify(body) })

describe('routing rules in the gateway', () => {
  test('Claude Code shapes: background to the small model, thinking to the reasoner; header, log, ledger and metric say so', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'llmp-rules-ledger-')), 'ledger.db')
    const { gateway, logs } = await startGateway({ ...raw, logging: { level: 'info' }, usage: { store: `sqlite:${db}` } })
    try {
      const bg = await gateway.fetch(post('/v1/messages', claudeCodeBody('claude-haiku-4-5', false)))
      expect(bg.status).toBe(200)
      expect(bg.headers.get('x-llm-proxy-rule')).toBe('background')
      expect(bg.headers.get('x-llm-proxy-provider')).toBe('small')
      expect(JSON.stringify(await bg.json())).toContain('small here')
      expect(small.received.at(-1)!.body.model).toBe('small-model')

      const main = await gateway.fetch(post('/v1/messages', claudeCodeBody('claude-sonnet-4-5', true)))
      expect(main.headers.get('x-llm-proxy-rule')).toBe('think') // Claude Code asks for thinking
      expect(main.headers.get('x-llm-proxy-provider')).toBe('big')
      expect(await main.text()).toContain('message_stop')
      expect(big.received.at(-1)!.body.model).toBe('reasoner')

      const plain = await gateway.fetch(post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }))
      expect(plain.headers.get('x-llm-proxy-rule')).toBeNull()
      await plain.text()
      expect(big.received.at(-1)!.body.model).toBe('main-model')

      const lines = logs.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l))
      expect(lines.map((l) => l.rule)).toEqual(['background', 'think', undefined])
      const metrics = await (await gateway.fetch(new Request('http://proxy.test/metrics'))).text()
      expect(metrics).toContain('llm_proxy_rule_matches_total{rule="background"} 1')
      expect(metrics).toContain('llm_proxy_rule_matches_total{rule="think"} 1')
      await gateway.close() // flushes the ledger
      const rows = new Database(db, { readonly: true }).query('SELECT model_requested, rule FROM usage_ledger ORDER BY rowid').all()
      expect(rows).toEqual([
        { model_requested: 'claude-haiku-4-5', rule: 'background' },
        { model_requested: 'claude-sonnet-4-5', rule: 'think' },
        { model_requested: 'claude-sonnet-4-5', rule: null },
      ])
    } finally {
      await gateway.close()
    }
  })

  test('a Codex request routed by a header rule, pass-through otherwise', async () => {
    const { gateway } = await startGateway(raw)
    try {
      const body = codexBody('gpt-5-codex', CODEX_FIRST_INPUT, false)
      const light = await gateway.fetch(post('/v1/responses', body, { 'x-effort': 'low' }))
      expect(light.headers.get('x-llm-proxy-rule')).toBe('light')
      expect(JSON.stringify(await light.json())).toContain('small here')
      const normal = await gateway.fetch(post('/v1/responses', body))
      expect(normal.headers.get('x-llm-proxy-rule')).toBeNull()
      expect(JSON.stringify(await normal.json())).toContain('big here')
    } finally {
      await gateway.close()
    }
  })

  test('check --resolve --body explains which rule matched and why', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llmp-rules-'))
    const file = join(dir, 'request.json')
    writeFileSync(file, JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'hi' }] }))
    const out = runCheck(testConfig(raw), { resolve: 'claude-sonnet-4-5', body: file })
    expect(out).toContain('rule background → small/small-model: no (not model claude-sonnet-4-5 matches claude-*haiku*)')
    expect(out).toContain('rule think → big/reasoner: MATCHES (thinking present)')
    expect(out).toContain('routed by rule think')
    expect(out).toContain('1. big/reasoner')
    const chat = join(dir, 'chat.json')
    writeFileSync(chat, JSON.stringify({ model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] }))
    expect(runCheck(testConfig(raw), { resolve: 'gpt-5', body: chat })).toContain('no rule matched')
  })
})

test('a request decoded for a rule still reports what its translation dropped; pass-through reports nothing', async () => {
  const { gateway } = await startGateway({
    ...raw,
    models: { 'claude-*': { targets: ['big/main-model'], rules: [{ name: 'tooled', when: { tools: true }, target: 'big/reasoner' }] }, pass: { targets: ['bigr/gpt-5'], rules: [{ name: 'tooled', when: { tools: true }, target: 'bigr/gpt-5' }] } },
  })
  try {
    // an Anthropic server tool has no canonical form: translated to Chat, it is dropped
    const body = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'web_search_20250305', name: 'web_search' }] }
    await (await gateway.fetch(post('/v1/messages', body))).text()
    // a Responses request passed through to a Responses upstream drops nothing, even decoded for the rule
    await (await gateway.fetch(post('/v1/responses', { model: 'pass', input: 'hi', tools: [{ type: 'web_search' }] }))).text()
    const metrics = await (await gateway.fetch(new Request('http://proxy.test/metrics'))).text()
    expect(metrics).toContain('llm_proxy_dropped_fields_total{dialect="anthropic",field="tools.builtin"} 1')
    expect(metrics).not.toContain('llm_proxy_dropped_fields_total{dialect="openai-responses"')
  } finally {
    await gateway.close()
  }
})
