// What a stream that did not end normally is billed and recorded as: a client that hangs up
// before the upstream's usage event is billed what it was delivered (output counted locally,
// input from the request), the row marked `usage_estimated`, never 0 tokens; an upstream that
// fails mid-stream is recorded as a failure with its class, not as a 200.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'

const TEXT =
  'The quick brown fox jumps over the lazy dog while the cat watches from the window, ' +
  'counting every leap and wondering why anyone would run so fast on a quiet Sunday morning ' +
  'when the sun is warm, the grass is soft and nothing at all needs to be done before noon.'

/** the content frames only: the stream then hangs, before any usage frame */
function contentOnly(reply: Reply, anth: boolean): Reply {
  if (reply.kind !== 'sse') return reply
  const frames = reply.frames.filter((f) => {
    const s = typeof f === 'string' ? f : JSON.stringify(f)
    return anth ? !s.includes('message_delta') && !s.includes('message_stop') && !s.includes('content_block_stop') : !s.includes('finish_reason":"stop') && !s.includes('[DONE]') && !s.includes('"usage":{')
  })
  return { ...reply, frames, hangAfter: true }
}

function script(r: Received): Reply {
  const anth = r.path.endsWith('/messages')
  const model: string = r.body?.model ?? ''
  const reply = anth ? anthropic(r, { text: TEXT, usage: { input: 30, output: 40 } }) : openaiChat(r, { text: TEXT, usage: { input: 30, output: 40 } })
  if (model.endsWith('-cut')) return contentOnly(reply, anth)
  // the upstream connection breaks after two frames
  if (model.endsWith('-drop') && reply.kind === 'sse') return { ...reply, dropAfter: 3, delayMs: 50 }
  return reply
}

let up: Mock
let proxy: TestProxy
let db: string

beforeAll(async () => {
  up = startMock(script)
  db = join(mkdtempSync(join(tmpdir(), 'llm-proxy-billing-')), 'usage.db')
  proxy = await startProxy({
    providers: {
      oc: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-billing-oc-123456', max_retries: 0 },
      an: { dialect: 'anthropic', base_url: `${up.url}/v1`, api_key: 'sk-billing-an-123456', max_retries: 0 },
    },
    models: { 'gpt-*': 'oc/*', 'claude-*': 'an/*' },
    pricing: { '*': { input: 1, output: 2 } },
    usage: { store: `sqlite:${db}` },
  })
})
afterAll(() => {
  proxy.stop()
  up.stop()
})

async function streamUntil(model: string, enough: (text: string) => boolean): Promise<void> {
  const ac = new AbortController()
  const res = await fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Tell me about the fox, please, in one paragraph.' }] }),
    signal: ac.signal,
  })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const dec = new TextDecoder()
  let text = ''
  for (;;) {
    const r = await reader.read()
    if (r.done) return
    text += dec.decode(r.value, { stream: true })
    if (enough(text)) break
  }
  ac.abort()
  await reader.cancel().catch(() => {})
}

async function rowOf(model: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 5000
  for (;;) {
    const d = new Database(db, { readonly: true })
    try {
      const row = d.query('SELECT * FROM usage_ledger WHERE model_requested = ?').get(model) as Record<string, any> | null
      if (row) return row
    } catch {
      // the table is created by the proxy; not there yet
    } finally {
      d.close()
    }
    if (Date.now() > deadline) throw new Error(`no ledger row for ${model}`)
    await Bun.sleep(100)
  }
}

const deliveredAll = (t: string) => t.includes('noon')

describe('a client that hangs up before the usage event', () => {
  for (const [lane, model] of [
    ['pass-through (chat → openai-chat)', 'gpt-4o-cut'],
    ['translated (chat → anthropic)', 'claude-x-cut'],
  ] as const) {
    test(`${lane}: billed what it was delivered, marked estimated, never 0`, async () => {
      await streamUntil(model, deliveredAll)
      const row = await rowOf(model)
      console.log(`${model}: billed input ${row.input_tokens}, output ${row.output_tokens}, $${row.cost_usd}`)
      expect(row.client_disconnected).toBe(1)
      expect(row.usage_estimated).toBe(1)
      // ~45 tokens of text were delivered; the request itself is ~15 tokens
      expect(row.output_tokens).toBeGreaterThanOrEqual(30)
      expect(row.output_tokens).toBeLessThanOrEqual(80)
      expect(row.input_tokens).toBeGreaterThan(0)
      expect(row.cost_usd).toBeGreaterThan(0)
    })
  }

  test('a stream that ends normally keeps the upstream figures, not estimated', async () => {
    await streamUntil('gpt-4o-whole', () => false)
    const row = await rowOf('gpt-4o-whole')
    expect(row.usage_estimated).toBe(0)
    expect(row.input_tokens).toBe(30)
    expect(row.output_tokens).toBe(40)
  })
})

describe('an upstream that fails mid-stream', () => {
  for (const [lane, model] of [
    ['pass-through', 'gpt-4o-drop'],
    ['translated', 'claude-y-drop'],
  ] as const) {
    test(`${lane}: recorded as a 502 with its class in ledger, metrics and log`, async () => {
      await streamUntil(model, () => false)
      const row = await rowOf(model)
      expect(row.status).toBe(502)
      expect(row.error).toContain('mid-stream')
      expect(row.output_tokens).toBeGreaterThan(0)
      const metrics = await (await fetch(`${proxy.url}/metrics`)).text()
      const upstreamModel = model
      expect(metrics).toMatch(new RegExp(`llm_proxy_requests_total\\{[^}]*model="${upstreamModel}"[^}]*status="502"`))
      const line = proxy.logs.find((l) => l.includes('"request"') && l.includes(model))
      expect(line).toBeDefined()
      expect(JSON.parse(line!)).toMatchObject({ status: 502, error_class: 'upstream_stream_failed' })
    })
  }
})
