// The built-in (server-side) tools a client asked for, by their type names: they have no canonical
// form, but routing rules look at them (`web_search: true`). Each dialect says how to name one.

/** `nameOf` gives a raw tool's built-in type, or undefined for an ordinary function tool */
export function builtinTools(list: unknown[] | undefined, nameOf: (t: Record<string, unknown>) => string | undefined): string[] | undefined {
  if (!list) return undefined
  let out: string[] | undefined
  for (const t of list) {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) continue
    const name = nameOf(t as Record<string, unknown>)
    if (name) (out ??= []).push(name.slice(0, 100))
  }
  return out
}
