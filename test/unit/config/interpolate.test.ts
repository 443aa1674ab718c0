import { describe, expect, test } from 'bun:test'
import { interpolate } from '../../../src/config/interpolate'

describe('interpolate', () => {
  const env = { KEY: 'sk-abc', EMPTY: '', HOST: 'example.com' }

  test('${VAR} anywhere in a string, recursively through maps and lists', () => {
    const { value, problems } = interpolate(
      { a: '${KEY}', b: ['https://${HOST}/v1', { c: 'x-${KEY}-y' }], n: 3, t: true, z: null },
      env,
    )
    expect(problems).toEqual([])
    expect(value).toEqual({ a: 'sk-abc', b: ['https://example.com/v1', { c: 'x-sk-abc-y' }], n: 3, t: true, z: null })
  })

  test('${VAR:-default} applies when unset or empty, like the shell', () => {
    const { value, problems } = interpolate(['${NOPE:-d1}', '${EMPTY:-d2}', '${KEY:-d3}', '${NOPE:-}'], env)
    expect(problems).toEqual([])
    expect(value).toEqual(['d1', 'd2', 'sk-abc', ''])
  })

  test('whole value env:VAR', () => {
    const { value, problems } = interpolate({ k: 'env:KEY', literal: 'not env:KEY' }, env)
    expect(problems).toEqual([])
    expect(value).toEqual({ k: 'sk-abc', literal: 'not env:KEY' })
  })

  test('$${ is a literal ${', () => {
    expect(interpolate('cost: $${KEY}', env).value).toBe('cost: ${KEY}')
  })

  test('an unset variable without default names the variable and the key path', () => {
    const { problems } = interpolate(
      { providers: { openai: { api_key: '${OPENAI_API_KEY}' } }, auth: { keys: [{ key: 'env:ALICE' }] } },
      {},
    )
    expect(problems).toEqual([
      'providers.openai.api_key: environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-} to make it optional)',
      'auth.keys[0].key: environment variable ALICE is not set (write ${ALICE:-} to make it optional)',
    ])
  })

  test('an empty but set variable is not an error', () => {
    expect(interpolate('${EMPTY}', env)).toEqual({ value: '', problems: [] })
  })
})
