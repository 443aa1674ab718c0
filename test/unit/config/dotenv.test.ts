import { describe, expect, test } from 'bun:test'
import { parseDotenv } from '../../../src/config/dotenv'

describe('parseDotenv', () => {
  test('assignments, export prefix, comments, quotes', () => {
    const text = [
      '# a comment',
      '',
      'A=1',
      'export B = two words ',
      'C="double # not a comment\\nnext"',
      "D='single \\n literal'",
      'E=value # trailing comment',
      'F=',
      'G=a#b',
      'H="multi',
      'line" # ok',
      'I.J=dotted',
    ].join('\n')
    const { vars, problems } = parseDotenv(text)
    expect(problems).toEqual([])
    expect(vars).toEqual({
      A: '1',
      B: 'two words',
      C: 'double # not a comment\nnext',
      D: 'single \\n literal',
      E: 'value',
      F: '',
      G: 'a#b',
      H: 'multi\nline',
      'I.J': 'dotted',
    })
  })

  test('CRLF line endings', () => {
    expect(parseDotenv('A=1\r\nB="2"\r\n').vars).toEqual({ A: '1', B: '2' })
  })

  test('malformed lines are reported with their number', () => {
    const { vars, problems } = parseDotenv('OK=1\nnot an assignment\nQ="open\n')
    expect(vars).toEqual({ OK: '1' })
    expect(problems).toEqual([
      'line 2: expected KEY=VALUE (got "not an assignment")',
      'line 3: unterminated double-quoted value of Q',
    ])
  })

  test('text after a closing quote is an error', () => {
    expect(parseDotenv('A="x" y').problems).toEqual(['line 1: unexpected text after the closing quote of A (got "y")'])
  })
})
