// Where a Bedrock provider's AWS credentials come from, in the AWS SDK's order: the provider's
// own aws_* keys, then AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, then the
// AWS_PROFILE (default `default`) section of ~/.aws/credentials (or AWS_SHARED_CREDENTIALS_FILE).
// Pure: the environment and the file reader come in.
import { providerSetting, type ProviderEntry } from '../dialect'
import type { AwsCredentials } from './sigv4'

export type Env = Readonly<Record<string, string | undefined>>

/** `[name]` sections of an INI file → key/value maps (comments and blank lines skipped) */
export function parseIni(text: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>()
  let section: Record<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith(';')) continue
    const head = /^\[\s*(.+?)\s*\]$/.exec(line)
    if (head) {
      section = {}
      out.set(head[1], section)
      continue
    }
    const eq = line.indexOf('=')
    if (section && eq > 0) section[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim()
  }
  return out
}

/** credentials from a profile section, if it has a key pair */
export function profileCredentials(ini: Map<string, Record<string, string>>, profile: string): AwsCredentials | undefined {
  const s = ini.get(profile)
  if (!s?.aws_access_key_id || !s.aws_secret_access_key) return undefined
  return { accessKeyId: s.aws_access_key_id, secretAccessKey: s.aws_secret_access_key, ...(s.aws_session_token && { sessionToken: s.aws_session_token }) }
}

/** the region of the AWS_PROFILE (or default) profile in an ~/.aws/config text */
export function profileRegion(configText: string, profile: string): string | undefined {
  const ini = parseIni(configText)
  return (ini.get(profile === 'default' ? 'default' : `profile ${profile}`) ?? ini.get(profile))?.region
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

/** The first source that has a key pair; undefined when none does. */
export function resolveAwsCredentials(provider: ProviderEntry, env: Env, readFile: (path: string) => string | undefined): AwsCredentials | undefined {
  const id = str(providerSetting(provider, 'aws_access_key_id'))
  const secret = str(providerSetting(provider, 'aws_secret_access_key'))
  if (id && secret) {
    const token = str(providerSetting(provider, 'aws_session_token'))
    return { accessKeyId: id, secretAccessKey: secret, ...(token && { sessionToken: token }) }
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN && { sessionToken: env.AWS_SESSION_TOKEN }) }
  const home = env.HOME ?? ''
  const file = env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`
  const text = readFile(file.startsWith('~/') ? `${home}${file.slice(1)}` : file)
  return text === undefined ? undefined : profileCredentials(parseIni(text), env.AWS_PROFILE || 'default')
}
