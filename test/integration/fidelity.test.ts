// What real clients read: no unasked usage chunk for Chat streams, reasoning_tokens estimated when
// the upstream counted none, and Anthropic's message_start carrying an input count.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { warmTokenizer } from '../../src/tokens/count-tokens'
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI as WIRE, type Script } from '../helpers/wire'

let mock: Mock
let proxy: TestProxy
let reply: (r: Received) => Reply = () => ({ kind: 'json', status: 500, body: {} })
const script = (d: keyof typeof WIRE, s: Script) => (reply = (r) => WIRE[d](r, s))

beforeAll(async () => {
  warmTokenizer()
  mock = startMock((r) => reply(r))
  proxy = await startProxy({
    providers: {
      chat: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'k', max_retries: 0 },
      resp: { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'k', max_retries: 0 },
      ant: { dialect: 'anthropic', base_url: mock.url, api_key: 'k', max_retries: 0 },
      gem: { dialect: 'gemini', base_url: mock.url, api_key: 'k', max_retries: 0 },
      local: { dialect: 'echo' },
    },
    models: { 'chat-*': 'chat/*', 'resp-*': 'resp/*', 'ant-*': 'ant/*', 'gem-*': 'gem/*', 'echo-*': 'local/echo' },
  })
}, 30_000) // loading the tokenizer takes seconds on a busy machine
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
const frames = async (res: Response) =>
  (await res.text())
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)))

test('a Chat stream without include_usage never gets the choices:[] usage chunk, on any route', async () => {
  for (const [d, model] of [['anthropic', 'ant-x'], ['gemini', 'gem-x'], ['openai-responses', 'resp-x'], ['openai-chat', 'chat-x'], ['anthropic', 'echo-x']] as const) {
    script(d, { text: 'Hi there' })
    const without = await frames(await post('/v1/chat/completions', { model, stream: true, messages: [{ role: 'user', content: 'hi' }] }))
    expect(without.length).toBeGreaterThan(1)
    expect(without.every((c) => c.choices.length > 0)).toBe(true)
    const withUsage = await frames(await post('/v1/chat/completions', { model, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] }))
    const last = withUsage.at(-1)
    expect(last.choices).toEqual([])
    expect(last.usage.prompt_tokens).toBeGreaterThan(0)
  }
})

test('reasoning_tokens is estimated from the thinking text when the upstream (Anthropic) reports none', async () => {
  const thinking = 'First I consider the question carefully, then I weigh both options and pick one.'
  script('anthropic', { reasoning: thinking, text: 'Done.', usage: { input: 30, output: 60 } })
  const openai = new OpenAI({ apiKey: 'x', baseURL: `${proxy.url}/v1`, maxRetries: 0 })
  const res: any = await openai.chat.completions.create({ model: 'ant-x', reasoning_effort: 'low', messages: [{ role: 'user', content: 'think' }] })
  const n = res.usage.completion_tokens_details.reasoning_tokens
  expect(n).toBeGreaterThan(5)
  expect(n).toBeLessThanOrEqual(60)
  const s = openai.chat.completions.stream({ model: 'ant-x', reasoning_effort: 'low', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'think' }] })
  const streamed: any = await s.finalChatCompletion()
  expect(streamed.usage.completion_tokens_details.reasoning_tokens).toBe(n)
  const r: any = await openai.responses.create({ model: 'ant-x', reasoning: { effort: 'low' }, input: 'think' })
  expect(r.usage.output_tokens_details.reasoning_tokens).toBe(n)
  // never more than the output it is part of
  script('anthropic', { reasoning: thinking, text: 'Done.', usage: { input: 30, output: 4 } })
  const small: any = await openai.chat.completions.create({ model: 'ant-x', reasoning_effort: 'low', messages: [{ role: 'user', content: 'think' }] })
  expect(small.usage.completion_tokens_details.reasoning_tokens).toBe(4)
})

test('an Anthropic client streaming from OpenAI upstreams gets an input count in message_start, the exact one in message_delta', async () => {
  const body = { model: '', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Please tell me a short story about a lighthouse keeper and the sea.' }] }
  for (const [d, model] of [['openai-chat', 'chat-x'], ['openai-responses', 'resp-x']] as const) {
    script(d, { text: 'Once upon a time.', usage: { input: 23, output: 5 } })
    const events = await frames(await post('/v1/messages', { ...body, model }, { 'anthropic-version': '2023-06-01' }))
    const start = events.find((e) => e.type === 'message_start')
    const delta = events.find((e) => e.type === 'message_delta')
    expect(start.message.usage.input_tokens).toBeGreaterThan(10)
    expect(start.message.usage.input_tokens).toBeLessThan(40)
    expect(delta.usage.input_tokens).toBe(23)
  }
})
