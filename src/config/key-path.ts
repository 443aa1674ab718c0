// Key paths as users read them: `providers.openai.api_key`, `auth.keys[1].group`,
// `models["gpt-4.1"].targets[0]` (keys that are not plain words are quoted).

export type PathSegment = string | number

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/
/** a flag as the root of a path: `--routes.fast.targets[0]` */
const FLAG = /^--[a-z][a-z-]*$/

export function formatPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else if (PLAIN_KEY.test(s) || (out === '' && FLAG.test(s))) out += out ? `.${s}` : s
    else out += `[${JSON.stringify(s)}]`
  }
  return out || '(top level)'
}

/** JSON pointer (as TypeBox reports it) → segments; array indexes become numbers. */
export function pointerToSegments(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '' || pointer === '/') return []
  const out: PathSegment[] = []
  let node: unknown = root
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (Array.isArray(node)) {
      const i = Number(key)
      out.push(i)
      node = node[i]
    } else {
      out.push(key)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
    }
  }
  return out
}
