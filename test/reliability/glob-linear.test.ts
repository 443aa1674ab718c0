// Glob matching is linear in the name: a pattern with several `*` against a long name that almost
// matches used to backtrack (regex `.*x.*y.*z`), quadratic or worse in the name length.
import { expect, test } from 'bun:test'
import { globMatcher, matchGlob } from '../../src/routing/glob'

test('glob semantics: *, ?, literals, regex characters taken literally', () => {
  expect(matchGlob('gpt-*', 'gpt-4o')).toBe(true)
  expect(matchGlob('gpt-*', 'gpt-')).toBe(true)
  expect(matchGlob('gpt-*', 'gp')).toBe(false)
  expect(matchGlob('*-mini', 'gpt-4o-mini')).toBe(true)
  expect(matchGlob('*-mini', 'gpt-4o-minis')).toBe(false)
  expect(matchGlob('a*b*c', 'abc')).toBe(true)
  expect(matchGlob('a*b*c', 'axxbyyc')).toBe(true)
  expect(matchGlob('a*b*c', 'axxbyy')).toBe(false)
  expect(matchGlob('a*b*c', 'acb')).toBe(false)
  expect(matchGlob('a*bc*bc', 'abcbc')).toBe(true)
  expect(matchGlob('a*bc*bc', 'abcxbc')).toBe(true)
  expect(matchGlob('a*bc*bc', 'abc')).toBe(false)
  expect(matchGlob('g?t-*', 'gpt-4')).toBe(true)
  expect(matchGlob('g?t-*', 'gt-4')).toBe(false)
  expect(matchGlob('*?', '')).toBe(false)
  expect(matchGlob('*?', 'x')).toBe(true)
  expect(matchGlob('**', '')).toBe(true)
  expect(matchGlob('a.b*', 'a.bc')).toBe(true)
  expect(matchGlob('a.b*', 'axbc')).toBe(false)
  expect(matchGlob('(x)|[y]*', '(x)|[y]z')).toBe(true)
  expect(matchGlob('*/*', 'openai/gpt\n4')).toBe(true)
  expect(matchGlob('*a?c*', 'xxabcyy')).toBe(true)
  expect(matchGlob('*a?c*', 'xxacyy')).toBe(false)
  expect(matchGlob('*ab?d', 'abababxd')).toBe(true)
})

test('glob: many stars against a long near-miss name stay linear (fuzz-checked against the regex)', () => {
  const pattern = '*a*a*a*a*a*a*a*a*b'
  const name = 'a'.repeat(100_000)
  const m = globMatcher(pattern)
  const t0 = performance.now()
  for (let i = 0; i < 10; i++) expect(m(name)).toBe(false)
  const ms = (performance.now() - t0) / 10
  // the regex took seconds here; linear matching takes well under a millisecond per 100 KB
  expect(ms).toBeLessThan(50)
  // agreement with a reference regex on random small inputs
  const alpha = ['a', 'b', '?', '*']
  let seed = 7
  const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (let i = 0; i < 5000; i++) {
    const p = Array.from({ length: 1 + Math.floor(r() * 6) }, () => alpha[Math.floor(r() * 4)]).join('')
    const s = Array.from({ length: Math.floor(r() * 8) }, () => alpha[Math.floor(r() * 2)]).join('')
    const re = new RegExp('^' + p.replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's')
    expect([p, s, matchGlob(p, s)]).toEqual([p, s, re.test(s)])
  }
})
