import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors'
import { familyAttempts, modellessProvider } from '../../../src/routing/resolve-endpoint'
import { makeConfig, provider } from './make-config'

const fails = (f: () => unknown): GatewayError => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError)
    return err as GatewayError
  }
  throw new Error('expected a refusal')
}

describe('modellessProvider', () => {
  const openai = provider('openai')
  const claude = provider('claude', 'anthropic')
  const onVertex = provider('vclaude', 'anthropic', { vertex: { project: 'p', location: 'global' } } as never)
  test('the only provider of the family; a vendor model on Vertex does not count', () => {
    const cfg = makeConfig({ providers: [openai, claude, onVertex] })
    expect(modellessProvider(cfg, 'anthropic', '/v1/messages/batches').name).toBe('claude')
    expect(modellessProvider(cfg, 'openai', '/v1/files').name).toBe('openai')
  })
  test('several: default_provider picks, else a 400 naming them and the setting', () => {
    const two = [openai, provider('groq'), claude]
    expect(modellessProvider(makeConfig({ providers: two, policy: { default_provider: 'groq' } }), 'openai', '/v1/files').name).toBe('groq')
    const e = fails(() => modellessProvider(makeConfig({ providers: two }), 'openai', '/v1/files'))
    expect(e.status).toBe(400)
    expect(e.message).toContain('2 providers serve it (openai, groq)')
    expect(e.message).toContain('set policy.default_provider')
    const wrong = fails(() => modellessProvider(makeConfig({ providers: two, policy: { default_provider: 'claude' } }), 'openai', '/v1/files'))
    expect(wrong.message).toContain('policy.default_provider (claude) is not one of them')
    expect(fails(() => modellessProvider(makeConfig({ providers: [openai] }), 'anthropic', '/v1/messages/batches')).message).toContain('no configured provider serves it')
  })
})

describe('familyAttempts', () => {
  test('keeps the targets whose dialect serves the API, in order', () => {
    const a = (p: ReturnType<typeof provider>, model: string) => ({ provider: p, model, target: `${p.name}/${model}` })
    const plan = { requested: 'emb', attempts: [a(provider('claude', 'anthropic'), 'x'), a(provider('openai'), 'e1'), a(provider('resp', 'openai-responses'), 'e2')] }
    expect(familyAttempts(plan, 'openai', '/v1/embeddings').map((x) => x.target)).toEqual(['openai/e1', 'resp/e2'])
    const e = fails(() => familyAttempts({ requested: 'c', attempts: [plan.attempts[0]] }, 'openai', '/v1/embeddings'))
    expect(e.message).toBe('model c routes to providers of dialect anthropic, none of which serves /v1/embeddings')
  })
})
