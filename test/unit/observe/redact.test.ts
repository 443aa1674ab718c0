import { afterEach, describe, expect, test } from 'bun:test'
import { clearSecrets, compileSecrets, redact, redactSecrets, REDACTED, registerSecret } from '../../../src/observe/redact'

afterEach(clearSecrets)

describe('redactSecrets', () => {
  test('replaces every occurrence of every secret', () => {
    const secrets = ['sk-live-AAAA1111', 'sk-ant-BBBB2222']
    const out = redactSecrets('a sk-live-AAAA1111 b sk-ant-BBBB2222 c sk-live-AAAA1111', secrets)
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`)
  })

  test('regex metacharacters in a secret are literal', () => {
    expect(redactSecrets('x a.b*c+d?e(f) y', ['a.b*c+d?e(f)'])).toBe(`x ${REDACTED} y`)
    expect(redactSecrets('x aXb*c+d?e(f) y', ['a.b*c+d?e(f)'])).toBe('x aXb*c+d?e(f) y')
  })

  test('a key containing another key is replaced whole', () => {
    expect(redactSecrets('k=sk-12345678-extended', ['sk-12345678', 'sk-12345678-extended'])).toBe(`k=${REDACTED}`)
  })

  test('no secrets, or only too-short ones: text unchanged', () => {
    const text = 'nothing to see'
    expect(redactSecrets(text, [])).toBe(text)
    expect(redactSecrets(text, ['see'])).toBe(text)
    expect(compileSecrets(['abc', ''])).toBeNull()
  })
})

describe('registry', () => {
  test('registered secrets are redacted, later registrations included', () => {
    expect(redact('key sk-first-000000')).toBe('key sk-first-000000')
    registerSecret('sk-first-000000')
    expect(redact('key sk-first-000000')).toBe(`key ${REDACTED}`)
    registerSecret('sk-second-111111')
    expect(redact('sk-first-000000/sk-second-111111')).toBe(`${REDACTED}/${REDACTED}`)
  })

  test('empty, undefined and short values are ignored', () => {
    registerSecret('')
    registerSecret(undefined)
    registerSecret('short')
    expect(redact('short words stay')).toBe('short words stay')
  })
})
