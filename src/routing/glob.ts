// Model-name globs: `*` matches any run of characters (including `/`), `?` one character.
// Compiled once per pattern and cached: patterns come from config, names from every request.

const cache = new Map<string, (name: string) => boolean>()

export function globMatcher(pattern: string): (name: string) => boolean {
  let m = cache.get(pattern)
  if (m) return m
  if (!/[*?]/.test(pattern)) m = (name) => name === pattern
  else if (pattern === '*') m = () => true
  else {
    const src = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
    const re = new RegExp(`^${src}$`, 's')
    m = (name) => re.test(name)
  }
  cache.set(pattern, m)
  return m
}

export const matchGlob = (pattern: string, name: string): boolean => globMatcher(pattern)(name)

export const matchAny = (patterns: readonly string[], name: string): boolean => {
  for (const p of patterns) if (globMatcher(p)(name)) return true
  return false
}

export const isGlob = (pattern: string): boolean => /[*?]/.test(pattern)
