// Concurrency must not overrun a budget or a tpm limit by more than one request's estimate:
// admission reserves an estimate (input from the body, output from max_tokens) and settles it to
// the real figure when the request ends. Before the reservation, 60 concurrent requests on a $0.01
// budget spent $0.066 and 20 concurrent requests on tpm 10,000 used 100,200 tokens.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const BUDGET_KEY = 'sk-money-budget-0a1b2c3d4e'
const TPM_KEY = 'sk-money-tpm-5f6a7b8c9d'
/** $1/M input, $10/M output */
const PRICE = { input: 1, output: 10 }
const usageOf = (model: string) => (model.includes('big') ? { input: 10, output: 5000 } : { input: 20, output: 100 })
const costOf = (u: { input: number; output: number }) => (u.input * PRICE.input + u.output * PRICE.output) / 1e6

let up: Mock
let proxy: TestProxy

const chat = (key: string, model: string, maxTokens: number) =>
  fetch(`${proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'hi' }] }),
  })

beforeAll(async () => {
  // slow enough that every request is admitted before the first one ends
  up = startMock(async (r) => {
    await Bun.sleep(300)
    return openaiChat(r, { text: 'ok', usage: usageOf(r.body.model) })
  })
  proxy = await startProxy({
    providers: { up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-money-upstream-123456', max_retries: 0 } },
    models: { 'gpt-*': 'up/*' },
    pricing: { 'gpt-*': PRICE },
    auth: {
      keys: [
        { key: BUDGET_KEY, name: 'money-budget', group: 'g', budget: { usd: 0.01, per: 'day' } },
        { key: TPM_KEY, name: 'money-tpm', group: 'g', tpm: 10_000 },
      ],
      groups: { g: { models: ['*'] } },
    },
  })
})
afterAll(() => {
  proxy.stop()
  up.stop()
})

describe('money: concurrency cannot overrun a limit by more than one estimate', () => {
  test('60 concurrent requests on a $0.01 daily budget spend at most $0.01 + one estimate', async () => {
    const res = await Promise.all(Array.from({ length: 60 }, () => chat(BUDGET_KEY, 'gpt-small', 100)))
    const ok = res.filter((r) => r.status === 200).length
    const refused = res.filter((r) => r.status === 429).length
    await Promise.all(res.map((r) => r.text()))
    const spent = ok * costOf(usageOf('gpt-small'))
    // estimate: input from the body (bytes / 4, ~30 tokens) at $1/M + 100 max_tokens at $10/M
    const oneEstimate = (40 * PRICE.input + 100 * PRICE.output) / 1e6
    console.log(`budget: ${ok} admitted, ${refused} refused, spent $${spent.toFixed(5)} of $0.01`)
    expect(ok + refused).toBe(60)
    expect(ok).toBeGreaterThan(0)
    expect(spent).toBeLessThanOrEqual(0.01 + oneEstimate)
  })

  test('20 concurrent requests on tpm 10,000 use at most 10,000 + one estimate', async () => {
    const res = await Promise.all(Array.from({ length: 20 }, () => chat(TPM_KEY, 'gpt-big', 5000)))
    const ok = res.filter((r) => r.status === 200).length
    await Promise.all(res.map((r) => r.text()))
    const used = ok * (usageOf('gpt-big').input + usageOf('gpt-big').output)
    console.log(`tpm: ${ok} admitted, used ${used} tokens of 10,000`)
    expect(ok).toBeGreaterThan(0)
    expect(used).toBeLessThanOrEqual(10_000 + 5040)
  })
})
