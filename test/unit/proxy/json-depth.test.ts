import { expect, test } from 'bun:test'
import { jsonDepthOver } from '../../../src/proxy/json-depth'

test('jsonDepthOver counts objects and arrays, skips strings (escapes included), never recurses', () => {
  expect(jsonDepthOver('{"a":"[[[["}', 1)).toBe(0)
  expect(jsonDepthOver('{"a":"\\\\"}', 1)).toBe(0)
  expect(jsonDepthOver('{"a":"\\"[[["}', 1)).toBe(0)
  expect(jsonDepthOver('{"a\\\\":[[1]]}', 2)).toBe(3)
  expect(jsonDepthOver('[[[', 2)).toBe(3)
  expect(jsonDepthOver('"unterminated [[[', 0)).toBe(0)
  expect(jsonDepthOver('[{"a":[{}]}]', 4)).toBe(0)
  expect(jsonDepthOver('['.repeat(1_000_000), 128)).toBe(129)
})
