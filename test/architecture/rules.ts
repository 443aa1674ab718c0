// The architecture rules as pure functions over source text, so the test can prove each one fails
// on a planted violation (layers.test.ts) as well as pass on src/. TypeScript 7 has no JS compiler
// API, so: Bun's transpiler erases types, and a small lexer reads what is left.

/**
 * Layers, lowest first. A module may import from its own layer or a lower one, never a higher one.
 * Keys are the first path segment under src/ (a folder or a top-level file).
 */
export const LAYERS: Array<{ layer: string; members: string[]; why: string }> = [
  { layer: 'browser', members: ['ui'], why: "the dashboard's browser code, bundled at build time: imports nothing of the server" },
  { layer: 'core', members: ['canonical', 'framing', 'errors.ts', 'version.ts'], why: 'the canonical forms, SSE framing and the error type: pure, used by all' },
  { layer: 'tokens', members: ['tokens'], why: 'token counting over canonical requests (the echo provider and count_tokens use it)' },
  { layer: 'dialects', members: ['dialects'], why: 'the codecs and the registry: canonical ⇄ each wire' },
  {
    layer: 'services',
    members: ['config', 'routing', 'upstream', 'auth', 'keys', 'responses', 'carry', 'cache', 'limits', 'observe', 'plugins', 'sessions'],
    why: 'config, routing, upstream calls, auth and its key store, stored responses, carried reasoning state, the response cache, limits, observation and the plugin hooks: read the registry, know nothing of the pipeline',
  },
  { layer: 'proxy', members: ['proxy'], why: 'the request pipeline' },
  {
    layer: 'edge',
    members: ['server.ts', 'gateway.ts', 'serve.ts', 'runtime.ts', 'build-runtime.ts', 'cli', 'main.ts', 'admin'],
    why: 'the route table, the gateway object, process wiring, the command line and the admin API over the services',
  },
]

const LEVEL = new Map<string, number>()
LAYERS.forEach((l, i) => l.members.forEach((m) => LEVEL.set(m, i)))

/** src-relative path (e.g. "proxy/attempt.ts") → its layer's index; undefined when the table misses it */
export const levelOf = (srcPath: string): number | undefined => LEVEL.get(srcPath.split('/')[0])

export interface SourceFile {
  /** path relative to src/, with "/" separators */
  path: string
  text: string
}

type Token = { kind: 'string' | 'name' | 'punct'; text: string; prop?: boolean }

/**
 * Tokens of JavaScript source: string literals (quotes and template text), names, punctuation.
 * Comments are skipped; a `/` after a value is division, otherwise a regex literal (skipped).
 */
export function lex(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  const valueEnd = () => {
    const t = out[out.length - 1]
    return t && (t.kind === 'string' || (t.kind === 'name' && !/^(return|typeof|case|in|of|delete|void|throw|new|else|do|yield|await)$/.test(t.text)) || t.text === ')' || t.text === ']')
  }
  const readQuoted = (q: string): string => {
    let text = ''
    i++
    while (i < src.length && src[i] !== q) {
      if (src[i] === '\\') {
        text += src[i + 1]
        i += 2
      } else text += src[i++]
    }
    i++
    return text
  }
  const stack: number[] = [] // brace depth at each open template `${`
  let depth = 0
  const readTemplate = () => {
    // from just after a backtick or a closing `}` of `${…}`, up to the next `${` or the closing backtick
    let text = ''
    while (i < src.length && src[i] !== '`') {
      if (src[i] === '\\') {
        text += src[i + 1]
        i += 2
      } else if (src[i] === '$' && src[i + 1] === '{') {
        i += 2
        stack.push(depth)
        out.push({ kind: 'string', text })
        return
      } else text += src[i++]
    }
    i++
    out.push({ kind: 'string', text })
  }
  while (i < src.length) {
    const c = src[i]
    if (c === '/' && src[i + 1] === '/') while (i < src.length && src[i] !== '\n') i++
    else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2)
      i = end < 0 ? src.length : end + 2
    } else if (c === "'" || c === '"') out.push({ kind: 'string', text: readQuoted(c) })
    else if (c === '`') {
      i++
      readTemplate()
    } else if (c === '/' && !valueEnd()) {
      // a regex literal: to the closing slash outside a class, then its flags
      i++
      let inClass = false
      while (i < src.length && (src[i] !== '/' || inClass)) {
        if (src[i] === '\\') i++
        else if (src[i] === '[') inClass = true
        else if (src[i] === ']') inClass = false
        i++
      }
      i++
      while (/[a-z]/.test(src[i] ?? '')) i++
      out.push({ kind: 'punct', text: 'regex' })
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1
      while (j < src.length && /[\w$]/.test(src[j])) j++
      const prev = out[out.length - 1]
      out.push({ kind: 'name', text: src.slice(i, j), prop: prev?.text === '.' || prev?.text === '?.' })
      i = j
    } else if (/\s/.test(c)) i++
    else {
      if (c === '{') depth++
      else if (c === '}') {
        if (stack.length && stack[stack.length - 1] === depth) {
          stack.pop()
          i++
          readTemplate()
          continue
        }
        depth--
      }
      const two = src.slice(i, i + 2)
      const text = two === '?.' ? two : c
      out.push({ kind: 'punct', text })
      i += text.length
    }
  }
  // `name:` in an object literal is a key
  for (let k = 0; k + 1 < out.length; k++) if (out[k].kind === 'name' && out[k + 1].text === ':') out[k].prop = true
  return out
}

const transpiler = new Bun.Transpiler({ loader: 'ts', trimUnusedImports: false })

/** every module specifier a file names: import/export … from, import(), import('…') types, side-effect imports */
function specifiers(text: string): string[] {
  const tokens = lex(text)
  const out: string[] = []
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]
    if (t.kind !== 'string') continue
    const prev = tokens[k - 1]
    const prev2 = tokens[k - 2]
    if (prev?.text === 'from' || (prev?.text === 'import' && !prev.prop) || (prev?.text === '(' && prev2?.text === 'import')) out.push(t.text)
  }
  return out
}

/** "a/b.ts" + "../c/d" → "c/d" (src-relative); undefined for packages and paths leaving src/ */
function resolveRelative(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined
  const parts = from.split('/').slice(0, -1)
  for (const seg of spec.split('/')) {
    if (seg === '.' || seg === '') continue
    if (seg === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(seg)
  }
  const p = parts.join('/')
  // a folder's index or a file: the first segment decides the layer either way; top-level files need ".ts"
  return parts.length === 1 && !LEVEL.has(p) && LEVEL.has(`${p}.ts`) ? `${p}.ts` : p
}

/** imports that point to a higher layer, and files the layer table does not place */
export function importViolations(files: SourceFile[]): string[] {
  const out: string[] = []
  for (const f of files) {
    const from = levelOf(f.path)
    if (from === undefined) {
      out.push(`${f.path}: not in the layer table (test/architecture/rules.ts LAYERS)`)
      continue
    }
    for (const spec of specifiers(f.text)) {
      const target = resolveRelative(f.path, spec)
      if (target === undefined) continue
      const to = levelOf(target)
      if (to === undefined) out.push(`${f.path}: imports ${spec}, which is in no layer`)
      else if (to > from) out.push(`${f.path} (${LAYERS[from].layer}) imports upward: ${spec} (${LAYERS[to].layer})`)
    }
  }
  return out
}

/** src files allowed to spell a dialect's name outside its folder, and why */
export const NAME_ALLOWED: Record<string, { names: string[]; why: string }> = {
  'dialects/index.ts': { names: ['*'], why: 'the registry: one line per dialect' },
  'observe/prices/generate.ts': {
    names: ['*'],
    why: "LiteLLM's provider names mapped to the provider names zero-config and env-only setups use (anthropic, gemini are provider names here, not dialects)",
  },
  'observe/prices/catalog.ts': { names: ['*'], why: 'generated: model id → provider family name (data, not a dialect branch)' },
  'config/known-providers.ts': {
    names: ['*'],
    why: "other tools' API-format names (vandamme, lm-proxy, LiteLLM) and known services mapped to dialects: the one table of foreign names, used by env-only setup and llm-proxy import",
  },
  'canonical/fold-events.ts': {
    names: ['anthropic'],
    why: 'a redacted_reasoning event carries no origin (the data is only ever Claude-format); the canonical layer cannot import the anthropic folder',
  },
}

/** the folder a src path belongs to, when it is a dialect folder */
const dialectFolder = (path: string): string | undefined => (path.startsWith('dialects/') && path.split('/').length > 2 ? path.split('/')[1] : undefined)

/** the first line of `text` that spells `name` as a string, key or property */
function lineOf(text: string, name: string): number {
  const re = new RegExp(`['"\`]${name}['"\`]|\\.${name}\\b|\\b${name}\\s*:`)
  const lines = text.split('\n')
  const i = lines.findIndex((l) => re.test(l))
  return i + 1
}

/**
 * String literals (and object keys / property names) equal to a registered dialect's name,
 * outside that dialect's folder: a branch on a dialect's name that belongs in its registry entry.
 * Types are erased first: only what runs counts (a type may still mention a name).
 */
export function nameViolations(files: SourceFile[], names: string[]): string[] {
  const out: string[] = []
  const wanted = new Set(names)
  for (const f of files) {
    const allowed = NAME_ALLOWED[f.path]
    const own = dialectFolder(f.path)
    // a build-time macro import (`with { type: 'macro' }`) would be run by the transpiler, which
    // cannot resolve it without a file path: read it as the plain import it also is
    const js = transpiler.transformSync(f.text.replace(/\bwith\s*\{\s*type:\s*['"]macro['"]\s*\}/g, ''))
    const tokens = lex(js)
    const seen = new Set<string>()
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]
      if (!(t.kind === 'string' || (t.kind === 'name' && t.prop)) || !wanted.has(t.text) || t.text === own) continue
      // module specifiers are paths, not branches
      if (t.kind === 'string' && (tokens[k - 1]?.text === 'from' || tokens[k - 1]?.text === 'import')) continue
      if (allowed && (allowed.names.includes('*') || allowed.names.includes(t.text))) continue
      const msg = `${f.path}:${lineOf(f.text, t.text)}: names dialect "${t.text}" outside its folder`
      if (!seen.has(msg)) out.push(msg)
      seen.add(msg)
    }
  }
  return out
}
