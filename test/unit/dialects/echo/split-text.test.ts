import { describe, expect, test } from 'bun:test'
import { splitAtWords, splitEvenly } from '../../../../src/dialects/echo/split-text'

describe('splitAtWords', () => {
  test('joins back exactly, cuts only after whitespace', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve'
    const pieces = splitAtWords(text, 6)
    expect(pieces.join('')).toBe(text)
    expect(pieces.length).toBeGreaterThanOrEqual(5)
    expect(pieces.length).toBeLessThanOrEqual(8)
    for (const p of pieces.slice(0, -1)) expect(p.endsWith(' ')).toBe(true)
  })

  test('one long word stays whole; empty text gives no pieces', () => {
    expect(splitAtWords('supercalifragilistic', 6)).toEqual(['supercalifragilistic'])
    expect(splitAtWords('', 6)).toEqual([])
  })
})

describe('splitEvenly', () => {
  test('about equal pieces that join back', () => {
    expect(splitEvenly('{"city":"Paris"}', 3)).toEqual(['{"city', '":"Par', 'is"}'])
    expect(splitEvenly('{}', 3)).toEqual(['{', '}'])
    expect(splitEvenly('', 3)).toEqual([])
  })

  test('never splits a surrogate pair', () => {
    const text = '{"e":"🎉🎉🎉"}'
    for (let n = 1; n <= text.length; n++) {
      const pieces = splitEvenly(text, n)
      expect(pieces.join('')).toBe(text)
      for (const p of pieces) expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p)
    }
  })
})
