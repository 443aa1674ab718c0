// Claude Code's background (haiku) and main (sonnet/opus) models, through the Anthropic SDK,
// land on the providers policy.tiers names: one line each.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'

let mock: Mock
let proxy: TestProxy
beforeAll(async () => {
  mock = startMock((r) => (r.path.endsWith('/messages') ? anthropic(r, { text: 'from claude' }) : openaiChat(r, { text: 'from gpt' })))
  proxy = await startProxy({
    providers: { openai: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-o' }, anthropic: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-a' } },
    models: { '*': 'anthropic/*' },
    policy: { tiers: { haiku: 'openai/gpt-5-mini', sonnet: 'openai/gpt-5' } },
  })
})
afterAll(() => {
  proxy.stop()
  mock.stop()
})

test.each([
  ['claude-haiku-4-5-20251001', '/v1/chat/completions', 'gpt-5-mini'],
  ['claude-sonnet-4-5-20250929', '/v1/chat/completions', 'gpt-5'],
  ['claude-opus-4-1-20250805', '/v1/messages', 'claude-opus-4-1-20250805'],
])('%s → %s %s', async (model, path, upstreamModel) => {
  const client = new Anthropic({ apiKey: 'sk-client', baseURL: proxy.url, maxRetries: 0 })
  const before = mock.received.length
  const msg = await client.messages.create({ model, max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] })
  expect(msg.model).toBe(model)
  const up = mock.received[before]
  expect(up.path).toBe(path)
  expect(up.body.model).toBe(upstreamModel)
})
