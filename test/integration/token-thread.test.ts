// count_tokens on the tokenizer's own thread: even the first, cold count of a large request never
// holds the event loop while the BPE tables load (1–1.5 s of CPU, on the other thread), and it
// returns what this thread's count returns.
import { afterAll, expect, test } from 'bun:test'
import { startGateway } from '../helpers/proxy'
import { countRequestTokensAsync, tokenizerLoaded } from '../../src/tokens/count-tokens'
import { anthropicDialect } from '../../src/dialects/anthropic'
import { stopTokenThread } from '../../src/tokens/token-thread'

afterAll(() => stopTokenThread())

test('a cold count_tokens of 200 KB: the loop keeps ticking, the count matches the in-thread one', async () => {
  const { gateway } = await startGateway({ providers: { up: { dialect: 'openai-chat', base_url: 'http://127.0.0.1:9/v1', api_key: 'k' } }, models: { '*': 'up/*' } })
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(4_500)
  const body = { model: 'claude-x', max_tokens: 1, messages: [{ role: 'user', content: text }] }
  let maxGap = 0
  let last = performance.now()
  const tick = setInterval(() => {
    const now = performance.now()
    maxGap = Math.max(maxGap, now - last)
    last = now
  }, 5)
  try {
    const wasLoaded = tokenizerLoaded()
    const res = await gateway.fetch(
      new Request('http://proxy.test/v1/messages/count_tokens', { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(body) }),
    )
    clearInterval(tick)
    expect(res.status).toBe(200)
    const { input_tokens } = await res.json()
    console.log(`cold count_tokens on the token thread: longest event-loop gap ${maxGap.toFixed(0)} ms (tokenizer on this thread before: ${wasLoaded})`)
    // the table load happened elsewhere; what is left here is parsing the body
    if (!wasLoaded) expect(tokenizerLoaded()).toBe(false)
    expect(maxGap).toBeLessThan(400)
    // the endpoint's own count (exact to 256K characters), done here instead
    expect(input_tokens).toBe((await countRequestTokensAsync(anthropicDialect.decodeRequest(body))).tokens)
  } finally {
    clearInterval(tick)
    await gateway.close()
  }
}, 30_000)
