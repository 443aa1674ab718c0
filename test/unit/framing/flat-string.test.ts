import { expect, test } from 'bun:test'
import { isRope } from 'bun:jsc'
import { flat } from '../../../src/framing/flat-string'

test('flat() returns the same text, resolved into one flat string', () => {
  const id = JSON.stringify(`chatcmpl-${Math.random()}`)
  const head = `{"id":${id},"object":"chat.completion.chunk","created":${Date.now()},"model":${JSON.stringify('m')},`
  // a template of pieces is a rope until something reads it (what the encoders' prefixes were)
  expect(isRope(head)).toBe(true)
  const copy = head.split('').join('')
  const f = flat(head)
  expect(f).toBe(copy)
  expect(isRope(f)).toBe(false)
  expect(flat('')).toBe('')
})
