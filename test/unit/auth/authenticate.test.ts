import { describe, expect, spyOn, test } from 'bun:test'
import crypto from 'node:crypto'
import { authenticateKey, buildKeyIndex, lookupKey, type KeyIndex } from '../../../src/auth/authenticate'
import { sha256, sha256Hex } from '../../../src/auth/hash-key'
import { createAuthenticator } from '../../../src/auth'
import type { AuthConfig } from '../../../src/config/types'
import { GatewayError } from '../../../src/errors'

const auth: AuthConfig = {
  keys: [
    { key: 'sk-alice-secret', name: 'alice', group: 'default' },
    { key_sha256: sha256Hex('sk-bot-secret').toUpperCase(), name: 'ci-bot', group: 'batch' },
  ],
  groups: {
    default: { models: ['*'], providers: ['*'] },
    batch: { models: ['fast'], providers: ['*'], rpm: 60 },
  },
}

const caught = (fn: () => unknown): GatewayError => {
  try {
    fn()
  } catch (err) {
    if (err instanceof GatewayError) return err
    throw err
  }
  throw new Error('expected a GatewayError')
}

describe('static keys', () => {
  const index = buildKeyIndex(auth)

  test('a plain key maps to its principal and group rules', () => {
    const p = authenticateKey(index, 'sk-alice-secret')
    expect(p.name).toBe('alice')
    expect(p.group).toBe('default')
    expect(p.groupConfig).toBe(auth.groups.default)
    expect(p.key).toBe(auth.keys[0])
  })

  test('a key_sha256 entry (any hex case) matches the key whose hash it is', () => {
    const p = authenticateKey(index, 'sk-bot-secret')
    expect(p.name).toBe('ci-bot')
    expect(p.group).toBe('batch')
    expect(p.groupConfig.rpm).toBe(60)
  })

  test('the same principal object is reused across requests', () => {
    expect(authenticateKey(index, 'sk-alice-secret')).toBe(authenticateKey(index, 'sk-alice-secret'))
  })

  test('a wrong key is a 401 invalid_api_key that does not echo the key', () => {
    const err = caught(() => authenticateKey(index, 'sk-alice-secreT'))
    expect(err.status).toBe(401)
    expect(err.code).toBe('invalid_api_key')
    expect(err.message).not.toContain('sk-alice-secreT')
    expect(err.message).toContain('x-api-key')
  })

  test('a missing key is a 401 saying where keys are accepted', () => {
    const err = caught(() => authenticateKey(index, undefined))
    expect(err.status).toBe(401)
    expect(err.code).toBe('invalid_api_key')
    expect(err.message).toMatch(/missing API key.*Authorization: Bearer.*x-api-key.*x-goog-api-key.*\?key=/)
  })

  test('bad config is refused when the index is built', () => {
    expect(() => buildKeyIndex({ keys: [{ name: 'x', group: 'default' }], groups: {} })).toThrow(/auth.keys\[0\] \(x\)/)
    expect(() => buildKeyIndex({ keys: [{ key_sha256: 'abc', name: 'x', group: 'default' }], groups: {} })).toThrow(/64 hex/)
    expect(() => buildKeyIndex({ keys: [{ key: 'k', name: 'x', group: 'nope' }], groups: {} })).toThrow(/group nope/)
  })
})

describe('constant-time compare', () => {
  test('a match is confirmed with crypto.timingSafeEqual on the digests', () => {
    const spy = spyOn(crypto, 'timingSafeEqual')
    try {
      const index = buildKeyIndex(auth)
      expect(lookupKey(index, 'sk-alice-secret')?.name).toBe('alice')
      expect(spy).toHaveBeenCalledTimes(1)
      const [a, b] = spy.mock.calls[0] as [Buffer, Buffer]
      expect(Buffer.compare(a, sha256('sk-alice-secret'))).toBe(0)
      expect(Buffer.compare(b, sha256('sk-alice-secret'))).toBe(0)
    } finally {
      spy.mockRestore()
    }
  })

  test('an entry found by hash but with a different digest is refused by the compare', () => {
    const real = buildKeyIndex(auth).byHash.get(sha256Hex('sk-alice-secret'))!
    const forged: KeyIndex = { byHash: new Map([[sha256Hex('sk-alice-secret'), { ...real, digest: sha256('other') }]]) }
    expect(lookupKey(forged, 'sk-alice-secret')).toBeUndefined()
  })
})

describe('createAuthenticator', () => {
  const url = new URL('http://proxy.local/v1/messages')

  test('no auth configured: everyone is the anonymous principal with an allow-all group', async () => {
    const authn = createAuthenticator(undefined)
    const p = await authn(new Headers(), url)
    expect(p).toMatchObject({ name: 'anonymous', group: 'default', groupConfig: { models: ['*'], providers: ['*'] } })
    expect(await authn(new Headers({ authorization: 'Bearer anything' }), url)).toBe(p)
  })

  test('with keys: any header form authenticates, a wrong or missing key is a 401', async () => {
    const authn = createAuthenticator(auth)
    expect((await authn(new Headers({ 'x-api-key': 'sk-bot-secret' }), url)).name).toBe('ci-bot')
    expect((await authn(new Headers(), new URL('http://proxy.local/v1beta/models/x:generateContent?key=sk-alice-secret'))).name).toBe('alice')
    await expect(authn(new Headers({ 'x-api-key': 'nope' }), url)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' })
    await expect(authn(new Headers(), url)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' })
  })
})
