// Vertex `streamFunctionCallArguments`: a call's arguments arrive as `partialArgs` fragments
// `{jsonPath: "$.a.b[0]", stringValue | numberValue | boolValue | nullValue, willContinue}`.
// String values of one path are continued across fragments. They are assembled into the args
// object here and sent on as one JSON text when the call closes.
import { isObject, type Json } from './wire'

type Key = string | number

/** RFC 9535 paths as Vertex writes them: `$.name`, `$['name']`, `$.list[2].x` */
export function parseJsonPath(path: string): Key[] | undefined {
  if (!path.startsWith('$')) return undefined
  const keys: Key[] = []
  let i = 1
  const n = path.length
  while (i < n) {
    const c = path[i]
    if (c === '.') {
      let j = i + 1
      while (j < n && path[j] !== '.' && path[j] !== '[') j++
      if (j === i + 1) return undefined
      keys.push(path.slice(i + 1, j))
      i = j
    } else if (c === '[') {
      const close = path.indexOf(']', i)
      if (close === -1) return undefined
      const inner = path.slice(i + 1, close)
      const q = inner[0]
      if ((q === "'" || q === '"') && inner.length >= 2 && inner[inner.length - 1] === q) keys.push(inner.slice(1, -1))
      else {
        const k = Number(inner)
        if (!Number.isInteger(k) || k < 0) return undefined
        keys.push(k)
      }
      i = close + 1
    } else return undefined
  }
  return keys
}

/** apply one fragment to `args` (fragments with an unreadable path are skipped) */
export function applyPartialArg(args: Json, frag: unknown): void {
  if (!isObject(frag) || typeof frag.jsonPath !== 'string') return
  const keys = parseJsonPath(frag.jsonPath)
  // `__proto__` as a key would reach the object's prototype
  if (!keys || keys.length === 0 || keys.includes('__proto__')) return
  let node: Json | unknown[] = args
  for (let k = 0; k < keys.length - 1; k++) {
    const key = keys[k]
    const nextIsIndex = typeof keys[k + 1] === 'number'
    const container = node as Record<Key, unknown>
    let child = container[key]
    if (typeof child !== 'object' || child === null) container[key] = child = nextIsIndex ? [] : {}
    node = child as Json | unknown[]
  }
  const last = keys[keys.length - 1]
  const target = node as Record<Key, unknown>
  if (typeof frag.stringValue === 'string') {
    const prev = target[last]
    target[last] = typeof prev === 'string' ? prev + frag.stringValue : frag.stringValue
  } else if (typeof frag.numberValue === 'number') target[last] = frag.numberValue
  else if (typeof frag.boolValue === 'boolean') target[last] = frag.boolValue
  else if (frag.nullValue !== undefined) target[last] = null
}
