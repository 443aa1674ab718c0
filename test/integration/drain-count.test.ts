// A drain waits for request lifecycles only: calls that never start one (a Gemini :countTokens, an
// unknown method, a models list) must not be counted as in flight forever.
import { expect, test } from 'bun:test'
import { startGateway } from '../helpers/proxy'

test('Gemini countTokens and unknown methods leave nothing in flight; drain returns at once', async () => {
  const { gateway } = await startGateway({ providers: { demo: { dialect: 'echo' } }, models: { '*': 'demo/echo' } })
  try {
    const post = (path: string) =>
      gateway.fetch(new Request(`http://proxy.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) }))
    for (let i = 0; i < 3; i++) expect((await post('/v1beta/models/echo:countTokens')).status).toBe(200)
    expect((await post('/v1beta/models/echo:bogus')).status).toBe(404)
    const gen = await post('/v1beta/models/echo:generateContent')
    expect(gen.status).toBe(200)
    await gen.text()
    expect(gateway.load.active).toBe(0)
    const t0 = performance.now()
    expect(await gateway.drain(2_000)).toBe(0)
    expect(performance.now() - t0).toBeLessThan(500)
  } finally {
    await gateway.close()
  }
})

test('an API pass-through body nested too deep is a fast 400, as on the generation endpoints', async () => {
  const { gateway } = await startGateway({ providers: { up: { dialect: 'openai-chat', base_url: 'http://127.0.0.1:9/v1', api_key: 'k' } }, models: { '*': 'up/*' } })
  try {
    const deep = '{"model":"text-embedding-3-small","input":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}'
    const t0 = performance.now()
    const res = await gateway.fetch(new Request('http://proxy.test/v1/embeddings', { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep }))
    expect(res.status).toBe(400)
    expect((await res.json()).error.message).toContain('nested more than')
    expect(performance.now() - t0).toBeLessThan(500)
  } finally {
    await gateway.close()
  }
})
