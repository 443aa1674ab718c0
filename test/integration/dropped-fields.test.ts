// "Say what was dropped": request fields the target cannot honour are named once per request in
// an info log line and counted in /metrics by dialect and field (bounded to known field names).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic } from '../helpers/wire'
import { parsePrometheus } from '../unit/observe/prometheus-parser'

let up: Mock
let proxy: TestProxy

beforeAll(async () => {
  up = startMock((r) => anthropic(r, { text: 'ok', usage: { input: 5, output: 1 } }))
  proxy = await startProxy({
    providers: { ant: { dialect: 'anthropic', base_url: up.url, api_key: 'sk-ant', max_retries: 0 } },
    models: { 'claude-*': 'ant/*' },
  })
})
afterAll(() => {
  proxy?.stop()
  up?.stop()
})

const droppedLines = () => proxy.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request fields dropped')

async function dropped(): Promise<Record<string, number>> {
  const fams = parsePrometheus(await (await fetch(`${proxy.url}/metrics`)).text())
  const out: Record<string, number> = {}
  for (const s of fams.get('llm_proxy_dropped_fields_total')?.samples ?? []) out[`${s.labels.dialect}:${s.labels.field}`] = s.value
  return out
}

const post = (path: string, body: unknown) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('a Chat request with a built-in tool, a seed and a penalty, sent to Claude: one info line, counted per dialect and field', async () => {
  const res = await post('/v1/chat/completions', {
    model: 'claude-x',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [{ type: 'web_search_preview' }, { type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
    seed: 7,
    presence_penalty: 0.5,
  })
  expect(res.status).toBe(200)
  await res.text()
  const lines = droppedLines()
  expect(lines.length).toBe(1)
  expect(lines[0].level).toBe('info')
  expect(lines[0].fields).toEqual(['openai-chat:tools.builtin', 'anthropic:seed', 'anthropic:presence_penalty'])
  expect(await dropped()).toEqual({ 'openai-chat:tools.builtin': 1, 'anthropic:seed': 1, 'anthropic:presence_penalty': 1 })
})

test('a Responses built-in tool (as the README promises): named in the log line, counted', async () => {
  const res = await post('/v1/responses', { model: 'claude-x', input: 'hi', tools: [{ type: 'web_search' }, { type: 'local_shell' }] })
  expect(res.status).toBe(200)
  await res.text()
  expect(droppedLines().at(-1).fields).toEqual(['openai-responses:tools.builtin'])
  expect((await dropped())['openai-responses:tools.builtin']).toBe(1)
})

test('nothing dropped: no line, no count', async () => {
  const before = droppedLines().length
  const metrics = await dropped()
  const res = await post('/v1/chat/completions', { model: 'claude-x', messages: [{ role: 'user', content: 'hi' }], temperature: 0.5 })
  expect(res.status).toBe(200)
  await res.text()
  expect(droppedLines().length).toBe(before)
  expect(await dropped()).toEqual(metrics)
})
