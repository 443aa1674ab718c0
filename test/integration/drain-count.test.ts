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
