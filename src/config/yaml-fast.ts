// Bun's own YAML parser reads a config in well under a millisecond; the yaml library, cold at
// start-up, took 10-15 ms of the compiled binary's 60-80 ms to its first request (measured with
// the same config as YAML and as JSON). Bun's parser takes the last of two equal keys silently,
// where the library refuses the file, so its result is used only when the scan below vouches that
// no mapping repeats a key. Anything the scan cannot vouch for (several documents, tabs, explicit
// or escaped keys, flow collections over several lines, multi-line quoted strings) goes to the
// library, which also words every syntax error.

/** the tree Bun's parser gives, when the text is one mapping without a repeated key; else undefined */
export function fastYaml(text: string): Record<string, unknown> | undefined {
  if (!keysAreUnique(text)) return undefined
  let tree: unknown
  try {
    tree = Bun.YAML.parse(text)
  } catch {
    return undefined
  }
  return tree !== null && typeof tree === 'object' && !Array.isArray(tree) ? (tree as Record<string, unknown>) : undefined
}

interface Frame {
  indent: number
  keys: Set<string>
}

const PLAIN_KEY = /^([^\s"'#?{}[\],&*!|>%@`-][^:#{}[\],]*?|-[^\s:#{}[\],][^:#{}[\],]*?)\s*:(?:\s|$)/
const DOUBLE_KEY = /^"([^"\\]*)"\s*:(?:\s|$)/
const SINGLE_KEY = /^'((?:[^']|'')*)'\s*:(?:\s|$)/
/** a value that opens a block scalar: | or > with optional indicators, then only a comment */
const BLOCK_SCALAR = /:\s+[|>][0-9+-]{0,2}\s*(#.*)?$|^-\s+[|>][0-9+-]{0,2}\s*(#.*)?$/

/** true only when every block mapping and every one-line flow mapping has distinct keys */
export function keysAreUnique(text: string): boolean {
  const stack: Frame[] = []
  let scalarIndent = -1
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const content = line.trimStart()
    const indent = line.length - content.length
    if (scalarIndent >= 0) {
      if (content === '' || indent > scalarIndent) continue
      scalarIndent = -1
    }
    if (content === '' || content.startsWith('#')) continue
    if (/^[ ]*\t/.test(line) || content.startsWith('---') || content.startsWith('...') || content.startsWith('?')) return false
    // list items: `- ` (several on one line) open a new mapping at the column after them
    let at = indent
    let rest = content
    let item = false
    while (rest.startsWith('- ') || rest === '-') {
      item = true
      const after = rest.slice(1).trimStart()
      at += rest.length - after.length
      rest = after
    }
    while (stack.length && stack[stack.length - 1].indent > (item ? indent : at)) stack.pop()
    const key = keyOf(rest)
    if (key === null) return false
    if (key !== undefined) {
      const top = stack[stack.length - 1]
      if (top && top.indent === at && !item) {
        if (top.keys.has(key)) return false
        top.keys.add(key)
      } else stack.push({ indent: at, keys: new Set([key]) })
    }
    if (!flowIsSafe(rest)) return false
    if (BLOCK_SCALAR.test(content)) scalarIndent = indent
  }
  return true
}

/** the key a line's content starts with; undefined for none (a scalar, a comment); null when the
 *  scan cannot tell (an escaped key) */
function keyOf(content: string): string | undefined | null {
  if (content.startsWith('"')) {
    const m = DOUBLE_KEY.exec(content)
    if (m) return m[1]
    return content.indexOf('\\') === -1 && content.indexOf('"', 1) !== -1 ? undefined : null
  }
  if (content.startsWith("'")) {
    const m = SINGLE_KEY.exec(content)
    if (m) return m[1].replaceAll("''", "'")
    return content.indexOf("'", 1) !== -1 ? undefined : null
  }
  const m = PLAIN_KEY.exec(content)
  return m ? m[1] : undefined
}

/** A line's flow collections close on the line, its quotes too, and no key repeats among them
 *  (keys of different flow mappings on one line count together: a false alarm only costs the
 *  library's parse). */
function flowIsSafe(content: string): boolean {
  let depth = 0
  let quote = ''
  const keys = new Set<string>()
  for (let i = 0; i < content.length; i++) {
    const c = content[i]
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = ''
      continue
    }
    if (c === '#' && (i === 0 || content[i - 1] === ' ')) break
    if (c === '"' || c === "'") {
      // a quote opens a string only where a scalar starts: after space, a flow marker or a colon
      if (i === 0 || ' {[,:'.includes(content[i - 1])) quote = c
    } else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') depth--
    if (depth > 0 && (c === '{' || c === ',')) {
      const key = keyOf(content.slice(i + 1).trimStart())
      if (key === null) return false
      if (key !== undefined) {
        if (keys.has(key)) return false
        keys.add(key)
      }
    }
  }
  return depth === 0 && quote === ''
}
