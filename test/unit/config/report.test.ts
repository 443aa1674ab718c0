import { describe, expect, test } from 'bun:test'
import { Type } from '@sinclair/typebox'
import { formatPath, pointerToSegments } from '../../../src/config/key-path'
import { maskSecret } from '../../../src/config/mask'
import { didYouMean, editDistance, reportErrors } from '../../../src/config/report'

describe('key paths', () => {
  test('words with dots, indexes in brackets, odd keys quoted', () => {
    expect(formatPath(['auth', 'keys', 1, 'group'])).toBe('auth.keys[1].group')
    expect(formatPath(['models', 'gpt-4.1', 'targets', 0])).toBe('models["gpt-4.1"].targets[0]')
    expect(formatPath(['models', 'gpt-*'])).toBe('models["gpt-*"]')
    expect(formatPath([])).toBe('(top level)')
  })
  test('JSON pointers: array indexes are numbers, ~1 and ~0 unescaped', () => {
    const root = { a: [{ 'x/y~': 1 }], m: { '0': 1 } }
    expect(pointerToSegments('/a/0/x~1y~0', root)).toEqual(['a', 0, 'x/y~'])
    expect(pointerToSegments('/m/0', root)).toEqual(['m', '0'])
  })
})

describe('did you mean', () => {
  test('edit distance counts a transposition as one edit', () => {
    expect(editDistance('port', 'prot')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
  })
  test('suggests the closest candidate only when it is close', () => {
    expect(didYouMean('prt', ['host', 'port'])).toBe('port')
    expect(didYouMean('requet_timeout', ['request_timeout', 'max_body_size'])).toBe('request_timeout')
    expect(didYouMean('Headers', ['headers'])).toBe('headers')
    expect(didYouMean('zzzzzz', ['host', 'port'])).toBeUndefined()
  })
})

describe('reportErrors', () => {
  const schema = Type.Object(
    {
      name: Type.String(),
      api_key: Type.Optional(Type.String()),
      level: Type.Optional(Type.Union([Type.Literal('debug'), Type.Literal('info')])),
      items: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1 })),
    },
    { additionalProperties: false },
  )

  test('every problem at once, one line per key', () => {
    const problems = reportErrors(schema, { nmae: 'x', level: 'dbug', items: [0, 'a'], api_key: 12345678901234 })
    expect(problems).toEqual([
      'name: is required',
      'nmae: unknown key (did you mean "name"?)',
      'api_key: expected a string (got 12345678901234)',
      'level: expected one of debug | info (got "dbug"); did you mean "debug"?',
      'items[0]: must be at least 1 (got 0)',
      'items[1]: expected an integer (got "a")',
    ])
  })

  test('secrets are masked in "got"', () => {
    const s = Type.Object({ api_key: Type.Integer() })
    expect(reportErrors(s, { api_key: 'sk-proj-abcdefghijkl' })).toEqual(['api_key: expected an integer (got "sk-…ijkl")'])
  })

  test('a prefix is prepended to paths', () => {
    expect(reportErrors(Type.Object({ a: Type.String() }), { a: 1 }, ['--routes'])).toEqual([
      '--routes.a: expected a string (got 1)',
    ])
  })
})

describe('maskSecret', () => {
  test('first 3 … last 4, or **** when short', () => {
    expect(maskSecret('sk-proj-1234567890abcd')).toBe('sk-…abcd')
    expect(maskSecret('short')).toBe('****')
  })
})
