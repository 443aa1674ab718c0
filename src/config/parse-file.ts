// Config text → plain tree, by file extension. Pure. Syntax errors carry a line number.
import JSON5 from 'json5'
import { ConfigError } from './config-error'
import { fastYaml } from './yaml-fast'

export const CONFIG_EXTENSIONS = ['.yaml', '.yml', '.json', '.json5', '.toml'] as const

export function parseConfigText(text: string, path: string): unknown {
  const ext = path.slice(path.lastIndexOf('.')).toLowerCase()
  switch (ext) {
    case '.yaml':
    case '.yml':
      return parseYaml(text, path)
    case '.json':
    case '.json5':
      return parseJson5(text, path)
    case '.toml':
      return parseToml(text, path)
    default:
      throw new ConfigError([`${path}: unknown config format "${ext}" (use ${CONFIG_EXTENSIONS.join(', ')})`])
  }
}

function parseYaml(text: string, path: string): unknown {
  const fast = fastYaml(text)
  if (fast) return fast
  // the library is loaded only here: most configs never need it (yaml-fast.ts)
  const YAML = require('yaml') as typeof import('yaml')
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true })
  if (doc.errors.length) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0]
        const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
        return `${path}${at ? `:${at.line}:${at.col}` : ''}: ${first}`
      }),
    )
  }
  return doc.toJS()
}

function parseJson5(text: string, path: string): unknown {
  try {
    return JSON5.parse(text)
  } catch (err) {
    const e = err as SyntaxError & { lineNumber?: number; columnNumber?: number }
    const message = e.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '')
    throw new ConfigError([`${path}${e.lineNumber ? `:${e.lineNumber}:${e.columnNumber}` : ''}: ${message}`])
  }
}

function parseToml(text: string, path: string): unknown {
  try {
    return Bun.TOML.parse(text)
  } catch (err) {
    const message = (err as Error).message.replace(/^TOML Parse error: /, '')
    const line = tomlErrorLine(text, message)
    throw new ConfigError([`${path}${line ? `:${line}` : ''}: ${message}`])
  }
}

/**
 * Bun's TOML errors carry no position: the first line whose prefix of the file fails with the
 * same message. Error path only; config files are small.
 */
function tomlErrorLine(text: string, message: string): number | undefined {
  const lines = text.split('\n')
  for (let n = 1; n <= lines.length; n++) {
    try {
      Bun.TOML.parse(lines.slice(0, n).join('\n'))
    } catch (err) {
      if ((err as Error).message.replace(/^TOML Parse error: /, '') === message) return n
    }
  }
  return undefined
}
