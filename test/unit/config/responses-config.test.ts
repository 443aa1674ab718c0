// `responses:` in the config: defaults, units, and what `check` refuses.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../../../src/config/config-error'
import { resolveConfig } from '../../../src/config/resolve'
import { responsesSettings } from '../../../src/config/responses-settings'

function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, {}, {})
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('responses config', () => {
  test('defaults: stored 30 days, 16 MiB per response', () => {
    expect(responsesSettings(resolveConfig({}, {}, {}))).toEqual({ store: true, ttl: 30 * 86_400_000, max_bytes: 16 * 1024 * 1024 })
  })

  test('durations and sizes', () => {
    const c = resolveConfig({ responses: { ttl: '2h', max_bytes: '1MiB' } }, {}, {})
    expect(responsesSettings(c)).toEqual({ store: true, ttl: 7_200_000, max_bytes: 1024 * 1024 })
    expect(responsesSettings(resolveConfig({ responses: { store: false } }, {}, {})).store).toBe(false)
  })

  test('refused: storing with no usage database, zero limits, unknown keys, bad units', () => {
    expect(problemsOf({ usage: { store: 'none' }, responses: { ttl: '1d' } })[0]).toContain('usage.store is "none"')
    expect(resolveConfig({ usage: { store: 'none' }, responses: { store: false } }, {}, {}).responses?.store).toBe(false)
    expect(problemsOf({ responses: { ttl: 0 } })).toEqual(['responses.ttl: must be longer than 0'])
    expect(problemsOf({ responses: { max_bytes: 0 } })).toEqual(['responses.max_bytes: must be more than 0'])
    expect(problemsOf({ responses: { keep: true } }).join()).toContain('keep')
    expect(problemsOf({ responses: { ttl: 'forever' } }).join()).toContain('responses.ttl')
  })
})
