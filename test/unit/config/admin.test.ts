// `admin:` in the config: entries like client keys (key or key_sha256, a name), and never the
// same secret as a client key, whichever way it was configured.
import { describe, expect, test } from 'bun:test'
import { sha256Hex } from '../../../src/auth/hash-key'
import { ConfigError } from '../../../src/config/config-error'
import { resolveConfig } from '../../../src/config/resolve'

const ADMIN = 'admin-key-0123456789abcdef'

function problemsOf(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig(raw, env, {})
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('admin.keys', () => {
  test('plain and hashed entries, names defaulted, hashes lower-cased', () => {
    const c = resolveConfig({ admin: { keys: [{ key: ADMIN }, { key_sha256: sha256Hex('another-admin-key-42').toUpperCase(), name: 'ci' }] } }, {})
    expect(c.admin).toEqual({ keys: [{ key: ADMIN, name: 'admin-1' }, { key_sha256: sha256Hex('another-admin-key-42'), name: 'ci' }] })
  })

  test('absent: no admin API', () => {
    expect(resolveConfig({}, {}).admin).toBeUndefined()
  })

  test('bad entries are refused with a reason', () => {
    expect(problemsOf({ admin: { keys: [{ name: 'x' }] } })).toEqual(['admin.keys[0]: needs exactly one of key or key_sha256'])
    expect(problemsOf({ admin: { keys: [{ key: 'short' }] } })).toEqual(['admin.keys[0].key: an admin key needs at least 16 characters'])
    expect(problemsOf({ admin: { keys: [{ key: ADMIN }, { key_sha256: sha256Hex(ADMIN) }] } })).toEqual(['admin.keys[1]: same key as admin.keys[0]'])
    expect(problemsOf({ admin: { keys: [] } })[0]).toContain('admin.keys: needs at least 1 item')
    expect(problemsOf({ admin: { keys: [{ key: '' }] } })[0]).toContain('no one could log in')
    expect(problemsOf({ admin: { keys: [{ key: ADMIN, group: 'x' }] } })[0]).toContain('admin.keys[0].group: unknown key')
  })

  test('an admin key that is also a client key is refused (auth.keys, by hash, or LLM_PROXY_API_KEY)', () => {
    const apart = 'is also a client key'
    expect(problemsOf({ auth: { keys: [{ key: ADMIN }] }, admin: { keys: [{ key: ADMIN }] } })[0]).toContain(apart)
    expect(problemsOf({ auth: { keys: [{ key_sha256: sha256Hex(ADMIN) }] }, admin: { keys: [{ key: ADMIN }] } })[0]).toContain(apart)
    expect(problemsOf({ auth: { keys: [{ key: ADMIN }] }, admin: { keys: [{ key_sha256: sha256Hex(ADMIN) }] } })[0]).toContain(apart)
    expect(problemsOf({ admin: { keys: [{ key: ADMIN }] } }, { LLM_PROXY_API_KEY: ADMIN })[0]).toContain(apart)
  })
})
