// `vertex:` on a provider: only for the dialects Vertex serves, with one way to get a token. The
// GOOGLE_APPLICATION_CREDENTIALS fallback is applied with the environment (applyVertexEnv); the
// key file itself is read and checked by config/load.ts (I/O) and again on first use.
import { dialectEntry, dialects, isLocal } from '../dialects'
import type { Env } from './interpolate'
import { formatPath, type PathSegment } from './key-path'
import type { ProviderFile } from './schema'
import type { Config, VertexConfig } from './types'


export function normalizeVertex(p: ProviderFile, path: PathSegment[], problems: string[]): VertexConfig | undefined {
  const v = p.vertex!
  const at = formatPath([...path, 'vertex'])
  if (!dialectEntry(p.dialect)?.vertex) {
    const served = dialects().filter((d) => !isLocal(d) && d.vertex).map((d) => d.name)
    problems.push(`${at}: Vertex AI serves dialect ${served.join(' and ')}, not ${p.dialect}`)
    return undefined
  }
  if (p.api_key !== undefined && p.api_key !== '' && !(Array.isArray(p.api_key) && p.api_key.every((k) => k === '')))
    problems.push(`${formatPath([...path, 'api_key'])}: a Vertex provider authenticates with OAuth (vertex.credentials_file or vertex.access_token), not api_key`)
  if (v.credentials_file && v.access_token)
    problems.push(`${at}: give credentials_file or access_token, not both`)
  const out: VertexConfig = { project: v.project, location: v.location ?? 'global' }
  // empty (an optional `${VAR:-}`) means not given
  if (v.credentials_file) out.credentials_file = v.credentials_file
  if (v.access_token) out.access_token = v.access_token
  return out
}

/** a Vertex provider without its own credentials uses GOOGLE_APPLICATION_CREDENTIALS */
export function applyVertexEnv(config: Config, env: Env, problems: string[]): void {
  for (const p of config.providers) {
    const v = p.vertex
    if (!v || v.credentials_file || v.access_token) continue
    if (env.GOOGLE_APPLICATION_CREDENTIALS) v.credentials_file = env.GOOGLE_APPLICATION_CREDENTIALS
    else
      problems.push(
        `${formatPath(['providers', p.name, 'vertex'])}: no credentials: set credentials_file (a service-account JSON key), access_token, or GOOGLE_APPLICATION_CREDENTIALS`,
      )
  }
}

export interface ServiceAccountKey {
  type: 'service_account'
  client_email: string
  private_key: string
  token_uri: string
  private_key_id?: string
}

/** `gcloud auth application-default login` writes these: a refresh token of a user's OAuth client */
export interface AuthorizedUser {
  type: 'authorized_user'
  client_id: string
  client_secret: string
  refresh_token: string
  token_uri: string
}

export type GoogleCredentials = ServiceAccountKey | AuthorizedUser

const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token'

/**
 * A credentials file's text → its fields, or an Error saying what is wrong (never quoting a
 * secret): a service-account key, or the user credentials of application-default login.
 */
export function parseGoogleCredentials(text: string, source: string): GoogleCredentials {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    throw new Error(`${source}: not a JSON credentials file`)
  }
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>
  const tokenUri = typeof o.token_uri === 'string' && o.token_uri ? o.token_uri : DEFAULT_TOKEN_URI
  if (!/^https?:\/\//.test(tokenUri)) throw new Error(`${source}: token_uri must be an http(s) URL`)
  const need = (kind: string, fields: string[]) => {
    for (const f of fields) if (typeof o[f] !== 'string' || !o[f]) throw new Error(`${source}: the ${kind} credentials have no ${f}`)
  }
  if (o.type === 'authorized_user') {
    need('authorized_user', ['client_id', 'client_secret', 'refresh_token'])
    return { type: 'authorized_user', client_id: o.client_id as string, client_secret: o.client_secret as string, refresh_token: o.refresh_token as string, token_uri: tokenUri }
  }
  if (o.type !== undefined && o.type !== 'service_account')
    throw new Error(`${source}: a "${String(o.type).slice(0, 40)}" credential; Vertex takes a service-account key, application-default user credentials or access_token`)
  need('service-account', ['client_email', 'private_key'])
  if (!(o.private_key as string).includes('-----BEGIN PRIVATE KEY-----'))
    throw new Error(`${source}: private_key is not a PEM PKCS#8 key ("-----BEGIN PRIVATE KEY-----")`)
  const key: ServiceAccountKey = { type: 'service_account', client_email: o.client_email as string, private_key: o.private_key as string, token_uri: tokenUri }
  if (typeof o.private_key_id === 'string' && o.private_key_id) key.private_key_id = o.private_key_id
  return key
}

export const vertexHost = (location: string): string =>
  location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`
