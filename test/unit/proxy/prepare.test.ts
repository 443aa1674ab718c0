// The pure first step of an attempt: client request + target + key → the upstream request.
import { describe, expect, test } from 'bun:test'
import { DIALECTS } from '../../../src/dialects'
import type { Attempt } from '../../../src/proxy/context'
import { prepareUpstream, type PrepareInput } from '../../../src/proxy/prepare'
import { testConfig } from '../../helpers/proxy'
import { jsonDepthOver, MAX_JSON_DEPTH, newTopLevel } from '../../../src/proxy/json-depth'

const cfg = testConfig({
  providers: {
    chat: { dialect: 'openai-chat', base_url: 'http://chat.test/v1', api_key: 'sk-chat' },
    ant: { dialect: 'anthropic', base_url: 'http://ant.test', api_key: 'sk-ant', default_max_tokens: 321 },
  },
  models: { 'c-*': 'chat/*', 'a-*': 'ant/*' },
})
const attempt = (name: string, model: string): Attempt => {
  const provider = cfg.providers.find((p) => p.name === name)!
  return { provider, model, target: `${name}/${model}` }
}

const clientBody = { model: 'c-x', stream: true, messages: [{ role: 'user', content: 'hi' }] }
const input = (o: Partial<PrepareInput>): PrepareInput => {
  const front = DIALECTS['openai-chat']!
  return {
    front,
    up: front,
    attempt: attempt('chat', 'gpt-up'),
    body: clientBody,
    canonical: () => front.decodeRequest(clientBody),
    clientHeaders: new Headers({ authorization: 'Bearer client-key', 'openai-beta': 'assistants=v2', 'user-agent': 'sdk/1' }),
    clientQuery: new URLSearchParams('api-version=1&key=secret'),
    key: 'sk-chat',
    ...o,
  }
}

describe('prepareUpstream', () => {
  test('same dialect: the client body with the upstream model, usage asked for, client headers minus credentials', () => {
    let decoded = 0
    const p = prepareUpstream(input({ canonical: () => (decoded++, DIALECTS['openai-chat'].decodeRequest(clientBody)) }))
    expect(p.same).toBe(true)
    expect(p.url).toBe('http://chat.test/v1/chat/completions?api-version=1')
    expect(JSON.parse(p.body)).toEqual({ ...clientBody, model: 'gpt-up', stream_options: { include_usage: true } })
    expect(p.hide?.('{"choices":[],"usage":{"prompt_tokens":1}}')).toBe(true)
    expect(p.headers.get('authorization')).toBe('Bearer sk-chat')
    expect(p.headers.get('openai-beta')).toBe('assistants=v2')
    expect(p.headers.get('user-agent')).toBe('sdk/1')
    expect(p.canonical).toBeUndefined()
    // pass-through never decodes the request, and never changes the client's body object
    expect(decoded).toBe(0)
    expect(clientBody).toEqual({ model: 'c-x', stream: true, messages: [{ role: 'user', content: 'hi' }] })
  })

  test('same dialect, as is: no stream_options added, nothing hidden', () => {
    const p = prepareUpstream(input({ asIs: true }))
    expect(JSON.parse(p.body)).toEqual({ ...clientBody, model: 'gpt-up' })
    expect(p.hide).toBeUndefined()
  })

  test('translated: the target dialect encodes the canonical request; only its own headers go up', () => {
    const p = prepareUpstream(input({ up: DIALECTS.anthropic!, attempt: attempt('ant', 'claude-up'), key: 'sk-ant' }))
    expect(p.same).toBe(false)
    expect(p.url).toBe('http://ant.test/v1/messages')
    const body = JSON.parse(p.body)
    expect(body.model).toBe('claude-up')
    expect(body.max_tokens).toBe(321)
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }])
    expect(p.headers.get('x-api-key')).toBe('sk-ant')
    expect(p.headers.get('anthropic-version')).toBeTruthy()
    expect(p.headers.get('authorization')).toBeNull()
    expect(p.headers.get('openai-beta')).toBeNull()
    expect(p.canonical?.messages).toHaveLength(1)
  })

  test('no key: no credential header at all', () => {
    const p = prepareUpstream(input({ key: undefined }))
    expect(p.headers.get('authorization')).toBeNull()
  })

  describe('the client text with only its model changed (model-splice.ts)', () => {
    // a pretty-printed body tells the spliced text (kept spacing) from a re-serialised one
    const sent = (b: Record<string, unknown>) => {
      const text = JSON.stringify(b, null, 1)
      const top = newTopLevel()
      jsonDepthOver(text, MAX_JSON_DEPTH, top)
      return { body: JSON.parse(text) as Record<string, unknown>, raw: { text, top } }
    }
    const usageAsked = { ...clientBody, stream_options: { include_usage: true } }

    test('nothing else changes: the client text goes up with the model value replaced', () => {
      const { body, raw } = sent(usageAsked)
      const p = prepareUpstream(input({ body, raw }))
      expect(p.body).toBe(raw.text.replace('"c-x"', '"gpt-up"'))
      expect(JSON.parse(p.body)).toEqual({ ...usageAsked, model: 'gpt-up' })
    })

    test('as is (the upstream refused an adaptation): the client text', () => {
      const { body, raw } = sent(clientBody)
      expect(prepareUpstream(input({ body, raw, asIs: true })).body).toBe(raw.text.replace('"c-x"', '"gpt-up"'))
    })

    test('an adaptation, a transform, cache markers or a translation: serialised from the object', () => {
      const plain = (b: Record<string, unknown>) => JSON.stringify(b)
      const adapted = sent(clientBody)
      expect(prepareUpstream(input(adapted)).body).toBe(plain({ ...clientBody, model: 'gpt-up', stream_options: { include_usage: true } }))
      const withEntry = { ...attempt('chat', 'gpt-up'), entry: { pattern: 'c-*', targets: [], params: { temperature: 0.5 } } as unknown as Attempt['entry'] }
      const transformed = sent(usageAsked)
      expect(prepareUpstream(input({ ...transformed, attempt: withEntry })).body).toBe(plain({ ...usageAsked, model: 'gpt-up', temperature: 0.5 }))
      const ant = DIALECTS.anthropic!
      const antBody = { model: 'a-x', max_tokens: 10, system: 'be brief', messages: [{ role: 'user', content: 'hi' }] }
      const cached = { ...attempt('ant', 'claude-up'), provider: { ...attempt('ant', 'claude-up').provider, cache: 'system_and_tools' } } as Attempt
      const out = prepareUpstream(input({ ...sent(antBody), front: ant, up: ant, attempt: cached, canonical: () => ant.decodeRequest(antBody) }))
      expect(out.body).not.toContain('\n ')
      expect(out.body).toContain('cache_control')
      const translated = prepareUpstream(input({ ...sent(usageAsked), up: ant, attempt: attempt('ant', 'claude-up') }))
      expect(translated.same).toBe(false)
      expect(translated.body.startsWith('{"')).toBe(true)
    })
  })
})
