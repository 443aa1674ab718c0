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

describe('response cache config', () => {
  const providers = { p: { dialect: 'echo' } }
  test('on an alias and on a key', () => {
    const c = resolveConfig(
      { providers, models: { a: { targets: ['p/x'], cache: { ttl: '10m', any_temperature: true } } }, auth: { keys: [{ key: 'k', name: 'ci', cache: { ttl: '1h' } }] } },
      {},
      {},
    )
    expect(c.models[0].cache).toEqual({ ttl: 600_000, any_temperature: true })
    expect(c.auth?.keys[0].cache).toEqual({ ttl: 3_600_000, any_temperature: false })
  })

  test('refused: nowhere to keep it, a zero ttl, no ttl', () => {
    expect(problemsOf({ providers, usage: { store: 'none' }, models: { a: { targets: ['p/x'], cache: { ttl: '1m' } } } })[0]).toContain('neither is configured')
    expect(problemsOf({ providers, usage: { store: 'postgres://db/x' }, auth: { keys: [{ key: 'k', name: 'ci', cache: { ttl: '1m' } }] } })[0]).toContain('auth.keys (ci).cache')
    expect(resolveConfig({ providers, usage: { store: 'none' }, state: { redis: 'redis://127.0.0.1:1' }, models: { a: { targets: ['p/x'], cache: { ttl: '1m' } } } }, {}, {}).models[0].cache?.ttl).toBe(60_000)
    expect(problemsOf({ providers, models: { a: { targets: ['p/x'], cache: { ttl: 0 } } } })).toEqual(['models.a.cache.ttl: must be longer than 0'])
    expect(problemsOf({ providers, models: { a: { targets: ['p/x'], cache: {} } } }).join()).toContain('ttl')
  })
})

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
