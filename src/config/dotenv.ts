// .env files: `KEY=VALUE`, `export KEY=VALUE`, `# comments`, inline ` # comments` after unquoted
// values, 'single' (literal) and "double" (escapes \n \t \" \\) quotes, quoted values may span
// lines. Pure: the caller reads the file and decides precedence (the real environment wins).

export interface DotenvResult {
  vars: Record<string, string>
  /** `line N: …` */
  problems: string[]
}

const ASSIGN = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*/
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' }

export function parseDotenv(text: string): DotenvResult {
  const vars: Record<string, string> = {}
  const problems: string[] = []
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const m = ASSIGN.exec(line)
    if (!m) {
      problems.push(`line ${i + 1}: expected KEY=VALUE (got ${JSON.stringify(truncate(trimmed))})`)
      continue
    }
    const rest = line.slice(m[0].length)
    const quote = rest[0]
    if (quote !== '"' && quote !== "'") {
      vars[m[1]] = rest.replace(/(^|\s+)#.*$/, '').trim()
      continue
    }
    // quoted: find the closing quote, possibly on a later line
    let body = rest.slice(1)
    const start = i
    let end = findClose(body, quote)
    while (end < 0 && i + 1 < lines.length) {
      body += '\n' + lines[++i]
      end = findClose(body, quote)
    }
    if (end < 0) {
      problems.push(`line ${start + 1}: unterminated ${quote === '"' ? 'double' : 'single'}-quoted value of ${m[1]}`)
      continue
    }
    const after = body.slice(end + 1).trim()
    if (after !== '' && !after.startsWith('#')) {
      problems.push(`line ${i + 1}: unexpected text after the closing quote of ${m[1]} (got ${JSON.stringify(truncate(after))})`)
      continue
    }
    const raw = body.slice(0, end)
    vars[m[1]] = quote === "'" ? raw : raw.replace(/\\(.)/g, (all, c: string) => ESCAPES[c] ?? all)
  }
  return { vars, problems }
}

function findClose(s: string, quote: string): number {
  for (let i = 0; i < s.length; i++) {
    if (quote === '"' && s[i] === '\\') i++
    else if (s[i] === quote) return i
  }
  return -1
}

const truncate = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s)
