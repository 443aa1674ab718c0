import { describe, expect, test } from 'bun:test'
import { checkModelAllowed, checkProviderAllowed, filterModels, isModelAllowed } from '../../../src/auth/authorize'
import type { Principal } from '../../../src/auth/principal'

const batch: Principal = {
  name: 'ci-bot',
  group: 'batch',
  key: { key: 'sk-secret', name: 'ci-bot', group: 'batch' },
  groupConfig: { models: ['fast', 'claude-*'], providers: ['anthropic', 'open*'] },
}
const all: Principal = { name: 'anonymous', group: 'default', groupConfig: { models: ['*'], providers: ['*'] } }

describe('models', () => {
  test('globs of the group decide', () => {
    expect(() => checkModelAllowed(batch, 'fast')).not.toThrow()
    expect(() => checkModelAllowed(batch, 'claude-sonnet-4-5')).not.toThrow()
    expect(() => checkModelAllowed(all, 'anything/at-all')).not.toThrow()
    expect(isModelAllowed(batch, 'gpt-4o')).toBe(false)
  })

  test('a refused model is a 403 naming what the group may use', () => {
    let err: unknown
    try {
      checkModelAllowed(batch, 'gpt-4o')
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ status: 403, code: 'model_not_allowed' })
    const msg = (err as Error).message
    expect(msg).toContain('gpt-4o')
    expect(msg).toContain('group batch')
    expect(msg).toContain('fast, claude-*')
    expect(msg).not.toContain('sk-secret')
  })

  test('filterModels keeps the allowed names in order', () => {
    expect(filterModels(batch, ['gpt-4o', 'fast', 'claude-3-5-haiku', 'smart'])).toEqual(['fast', 'claude-3-5-haiku'])
    const names = ['a', 'b']
    expect(filterModels(all, names)).toEqual(names)
  })
})

describe('providers', () => {
  test('provider globs of the group decide; refusal is a 403', () => {
    expect(() => checkProviderAllowed(batch, 'openai')).not.toThrow()
    let err: unknown
    try {
      checkProviderAllowed(batch, 'gemini')
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ status: 403, code: 'provider_not_allowed' })
    expect((err as Error).message).toMatch(/provider gemini is not allowed.*anthropic, open\*/)
  })
})
