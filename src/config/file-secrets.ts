// A config file that holds secrets inline (not as ${ENV} references) must not be readable by
// other users: `llm-proxy serve` warns at start when it is (group or others may read it).
import { readFileSync, statSync } from 'node:fs'
import { parseConfigText } from './parse-file'

/** fields whose value is a secret when written out in the file */
const SECRET_FIELDS = new Set(['api_key', 'key', 'aws_secret_access_key', 'aws_session_token', 'password', 'token'])
/** fields holding URLs that may carry a password */
const URL_FIELDS = new Set(['redis', 'store', 'url'])

const inline = (v: string) => v !== '' && !v.includes('${') && v !== 'passthrough'

/** Dotted paths of the secrets written inline in a parsed config tree. */
export function inlineSecretPaths(tree: unknown, path = ''): string[] {
  const out: string[] = []
  if (Array.isArray(tree)) tree.forEach((v, i) => out.push(...inlineSecretPaths(v, `${path}[${i}]`)))
  else if (tree && typeof tree === 'object')
    for (const [k, v] of Object.entries(tree)) {
      const at = path ? `${path}.${k}` : k
      if (typeof v === 'string') {
        if (SECRET_FIELDS.has(k) && inline(v)) out.push(at)
        else if (URL_FIELDS.has(k) && /:\/\/[^/@:]*:[^@/]+@/.test(v) && !/:\/\/[^/@]*\$\{/.test(v)) out.push(at)
        else if (/^authorization$|^x-api-key$|^api-key$/i.test(k) && inline(v)) out.push(at)
      } else if (Array.isArray(v) && SECRET_FIELDS.has(k)) {
        v.forEach((s, i) => typeof s === 'string' && inline(s) && out.push(`${at}[${i}]`))
      } else out.push(...inlineSecretPaths(v, at))
    }
  return out
}

/** The warning for a secrets-bearing config file readable by group or others, if any. */
export function readableSecretsWarning(file: string): string | undefined {
  let mode: number
  let secrets: string[]
  try {
    mode = statSync(file).mode & 0o777
    if ((mode & 0o044) === 0) return undefined
    secrets = inlineSecretPaths(parseConfigText(readFileSync(file, 'utf8'), file))
  } catch {
    return undefined
  }
  if (secrets.length === 0) return undefined
  const shown = secrets.slice(0, 3).join(', ') + (secrets.length > 3 ? `, … (${secrets.length} in all)` : '')
  return `config file ${file} holds secrets inline (${shown}) and is readable by ${mode & 0o004 ? 'every user' : 'its group'} (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it, or reference them as \${ENV_VAR}`
}
