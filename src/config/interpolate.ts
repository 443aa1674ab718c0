// `${VAR}`, `${VAR:-default}` and a whole value `env:VAR` in every string of the parsed config
// tree. Pure: the environment is passed in. `$${` writes a literal `${`.
import { formatPath, type PathSegment } from './key-path'

export type Env = Record<string, string | undefined>

export interface Interpolated {
  value: unknown
  problems: string[]
}

const REF = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g
const WHOLE_ENV = /^env:([A-Za-z_][A-Za-z0-9_]*)$/

export function interpolate(tree: unknown, env: Env): Interpolated {
  const problems: string[] = []
  const value = walk(tree, env, [], problems)
  return { value, problems }
}

function walk(node: unknown, env: Env, path: PathSegment[], problems: string[]): unknown {
  if (typeof node === 'string') return interpolateString(node, env, path, problems)
  if (Array.isArray(node)) return node.map((v, i) => walk(v, env, [...path, i], problems))
  if (node !== null && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, env, [...path, k], problems)
    return out
  }
  return node
}

function interpolateString(s: string, env: Env, path: PathSegment[], problems: string[]): string {
  const whole = WHOLE_ENV.exec(s)
  if (whole) {
    const v = env[whole[1]]
    if (v === undefined) problems.push(unsetProblem(whole[1], path))
    return v ?? ''
  }
  if (!s.includes('${')) return s
  return s.replace(REF, (match, escape: string, name: string, fallback: string | undefined) => {
    if (escape) return match.slice(1)
    const v = env[name]
    // shell semantics: `:-` also applies when the variable is set but empty
    if (fallback !== undefined) return v ? v : fallback
    if (v === undefined) {
      problems.push(unsetProblem(name, path))
      return ''
    }
    return v
  })
}

const unsetProblem = (name: string, path: PathSegment[]) =>
  `${formatPath(path)}: environment variable ${name} is not set (write \${${name}:-} to make it optional)`
