// The gateway in-process: createGateway with an injected fetch that replays recorded upstream
// streams (test/fixtures, through the one loader), and requests made with gateway.fetch. No
// socket, no mock server: what the client gets is what the recording decodes to.
import { describe, expect, test } from 'bun:test'
import type { CanonEvent } from '../../src/canonical/event'
import { DIALECTS, dialectEntry } from '../../src/dialects'
import type { DialectName } from '../../src/dialects/dialect'
import { fixtureFrames, fixtureWire, replayFetch } from '../helpers/fixtures'
import { startGateway, testConfig } from '../helpers/proxy'
import { runAll } from '../helpers/translators'

const RECORDINGS: Array<[DialectName, string]> = [
  ['openai-chat', 'text-plain.sse'],
  ['anthropic', 'text.chunks.txt'],
  ['openai-responses', 'text-azure.chunks.txt'],
  ['gemini', 'text-thought-signature.chunks.txt'],
]

/** the text a recording carries, as its own dialect's decoder reads it */
function recordedText(dialect: DialectName, name: string): string {
  const events = runAll(dialectEntry(dialect)!.decodeStream(), fixtureFrames(dialect, name)) as CanonEvent[]
  return events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('')
}

/** the data payloads of an SSE body */
const payloads = (text: string): any[] =>
  text
    .split('\n')
    .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
    .map((l) => JSON.parse(l.slice(6)))

const provider = (dialect: DialectName) => ({
  dialect,
  base_url: dialect.startsWith('openai') ? 'http://upstream.test/v1' : 'http://upstream.test',
  api_key: 'sk-recorded',
  max_retries: 0,
})

const chatRequest = (body: Record<string, unknown>) =>
  new Request('http://proxy.test/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('createGateway with a replaying fetch', () => {
  for (const [dialect, name] of RECORDINGS)
    test(`an OpenAI Chat client streams ${dialect}/${name}`, async () => {
      const expected = recordedText(dialect, name)
      expect(expected.length).toBeGreaterThan(0)
      const upstream = replayFetch(() => ({ dialect, name }))
      const { gateway, logs } = await startGateway({ providers: { up: provider(dialect) }, models: { m: `up/recorded-model` } }, { fetch: upstream.fetch })
      try {
        const res = await gateway.fetch(chatRequest({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }))
        expect(res.status).toBe(200)
        expect(res.headers.get('x-llm-proxy-provider')).toBe('up')
        const chunks = payloads(await res.text())
        expect(chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).toBe(expected)
        expect(chunks.some((c) => c.choices?.[0]?.finish_reason)).toBe(true)
        // one upstream call, with the provider's key, to the recorded model
        expect(upstream.requests).toHaveLength(1)
        expect(JSON.stringify([...upstream.requests[0].headers])).toContain('sk-recorded')
        expect(upstream.requests[0].url + JSON.stringify(upstream.requests[0].body)).toContain('recorded-model')
        // the request was finished exactly once (one request log line)
        await Bun.sleep(0)
        expect(logs.filter((l) => JSON.parse(l).msg === 'request')).toHaveLength(1)
      } finally {
        await gateway.close()
      }
    })

  test('same dialect: the recorded stream reaches the client byte for byte', async () => {
    const upstream = replayFetch(() => ({ dialect: 'anthropic', name: 'text-basic.sse' }))
    const { gateway } = await startGateway({ providers: { up: provider('anthropic') }, models: { m: 'up/claude-recorded' } }, { fetch: upstream.fetch })
    try {
      const res = await gateway.fetch(
        new Request('http://proxy.test/v1/messages', {
          method: 'POST',
          body: JSON.stringify({ model: 'm', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
        }),
      )
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(fixtureWire('anthropic', 'text-basic.sse'))
    } finally {
      await gateway.close()
    }
  })

  test('a recorded error answer fails over to the next target; reload swaps the route', async () => {
    const upstream = replayFetch((req) =>
      String(req.body?.model).startsWith('bad') ? { dialect: 'openai-responses', name: 'error-insufficient-quota.json', status: 503 } : { dialect: 'openai-responses', name: 'text-azure.chunks.txt' },
    )
    const raw = (target: string) => ({ providers: { up: provider('openai-responses') }, models: { m: { targets: [target], fallbacks: ['up/good-model'] } } })
    const { gateway } = await startGateway(raw('up/bad-model'), { fetch: upstream.fetch })
    try {
      const ask = () => gateway.fetch(chatRequest({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }))
      let res = await ask()
      expect(res.status).toBe(200)
      expect(res.headers.get('x-llm-proxy-attempts')).toBe('2')
      expect(payloads(await res.text()).map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).toBe(recordedText('openai-responses', 'text-azure.chunks.txt'))
      expect(upstream.requests.map((r) => r.body.model)).toEqual(['bad-model', 'good-model'])
      gateway.reload(testConfig(raw('up/good-model')))
      res = await ask()
      expect(res.headers.get('x-llm-proxy-attempts')).toBe('1')
      await res.text()
    } finally {
      await gateway.close()
    }
  })

  test('drain: /readyz turns 503 and drain resolves once the open stream is read', async () => {
    const upstream = replayFetch(() => ({ dialect: 'anthropic', name: 'text.chunks.txt' }))
    const { gateway } = await startGateway({ providers: { up: provider('anthropic') }, models: { m: 'up/claude-recorded' } }, { fetch: upstream.fetch })
    try {
      expect((await gateway.fetch(new Request('http://proxy.test/readyz'))).status).toBe(200)
      const res = await gateway.fetch(chatRequest({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }))
      expect(gateway.load.active).toBe(1)
      const drained = gateway.drain(5000)
      expect((await gateway.fetch(new Request('http://proxy.test/readyz'))).status).toBe(503)
      await res.text()
      expect(await drained).toBe(0)
    } finally {
      await gateway.close()
    }
  })
})
