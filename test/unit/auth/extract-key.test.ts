import { describe, expect, test } from 'bun:test'
import { extractClientKey, extractUpstreamKey } from '../../../src/auth/extract-key'

const url = (q = '') => new URL(`http://proxy.local/v1/chat/completions${q}`)
const h = (init: Record<string, string>) => new Headers(init)

describe('extractClientKey', () => {
  test('Authorization: Bearer (scheme case-insensitive, trimmed)', () => {
    expect(extractClientKey(h({ authorization: 'Bearer sk-1' }), url())).toBe('sk-1')
    expect(extractClientKey(h({ Authorization: 'bearer   sk-2  ' }), url())).toBe('sk-2')
  })

  test('x-api-key (Anthropic clients)', () => {
    expect(extractClientKey(h({ 'x-api-key': 'sk-ant' }), url())).toBe('sk-ant')
  })

  test('x-goog-api-key (Gemini clients)', () => {
    expect(extractClientKey(h({ 'x-goog-api-key': 'goog' }), url())).toBe('goog')
  })

  test('?key= query parameter (Gemini REST), URL-decoded', () => {
    expect(extractClientKey(h({}), url('?alt=sse&key=a%2Bb'))).toBe('a+b')
  })

  test('a non-Bearer Authorization falls through to the other sources', () => {
    expect(extractClientKey(h({ authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': 'k' }), url())).toBe('k')
    expect(extractClientKey(h({ authorization: 'Basic dXNlcjpwYXNz' }), url())).toBeUndefined()
  })

  test('Bearer wins over x-api-key; an empty Bearer does not count', () => {
    expect(extractClientKey(h({ authorization: 'Bearer a', 'x-api-key': 'b' }), url('?key=c'))).toBe('a')
    expect(extractClientKey(h({ authorization: 'Bearer   ', 'x-api-key': 'b' }), url())).toBe('b')
  })

  test('nothing sent → undefined', () => {
    expect(extractClientKey(h({}), url())).toBeUndefined()
    expect(extractClientKey(h({ 'x-api-key': '' }), url('?key='))).toBeUndefined()
    expect(extractClientKey(h({}), url('?alt=sse'))).toBeUndefined()
  })
})

describe('extractUpstreamKey', () => {
  test('reads x-upstream-api-key only', () => {
    expect(extractUpstreamKey(h({ 'x-upstream-api-key': ' up-1 ' }))).toBe('up-1')
    expect(extractUpstreamKey(h({ authorization: 'Bearer proxy' }))).toBeUndefined()
  })
})
