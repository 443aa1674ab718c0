// OAuth2 access tokens for Vertex AI: a service-account JSON key signs a JWT (RS256, Web Crypto),
// exchanged at the key's token_uri for a bearer token (RFC 7523); application-default user
// credentials (`gcloud auth application-default login`) exchange their refresh token. Tokens are cached until shortly
// before they expire; a token nearing expiry is still handed out while ONE refresh runs in the
// background, so concurrent requests never queue behind the token endpoint. A static
// `access_token` (e.g. from `gcloud auth print-access-token`) skips all of it.
import { parseGoogleCredentials, type GoogleCredentials, type ServiceAccountKey } from '../config/normalize-vertex'
import type { VertexConfig } from '../config/types'
import type { FetchLike } from './send'
import { forgetSecret } from '../observe/redact'

type VertexCredentials = Pick<VertexConfig, 'credentials_file' | 'access_token'>

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform'
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
/** Google issues 1 h tokens; ask for that */
const LIFETIME_S = 3600
/** a token with less left than this is refreshed in the background (still handed out) */
const REFRESH_BEFORE_MS = 5 * 60_000
/** …and one with less than this is not handed out at all (a request may run for a while) */
const USABLE_FOR_MS = 60_000
const EXCHANGE_TIMEOUT_MS = 15_000
/** a token response larger than this is not a token response */
const MAX_TOKEN_RESPONSE = 64 * 1024

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')
const b64urlJson = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '')
  return Uint8Array.from(Buffer.from(body, 'base64'))
}

export function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pemToDer(pem), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign'])
}

/** The signed assertion for the token exchange: iss = the account, aud = token_uri, 1 h. */
export async function signJwt(key: ServiceAccountKey, cryptoKey: CryptoKey, nowS: number, scope = CLOUD_PLATFORM_SCOPE): Promise<string> {
  const header: Record<string, string> = { alg: 'RS256', typ: 'JWT' }
  if (key.private_key_id) header.kid = key.private_key_id
  const claims = { iss: key.client_email, scope, aud: key.token_uri, iat: nowS, exp: nowS + LIFETIME_S }
  const input = `${b64urlJson(header)}.${b64urlJson(claims)}`
  const sig = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', cryptoKey, new TextEncoder().encode(input))
  return `${input}.${b64url(new Uint8Array(sig))}`
}

interface Token {
  value: string
  expiresAt: number
}

export interface TokenSourceOptions {
  fetch: FetchLike
  /** ms clock (injected in tests) */
  now?: () => number
  /** the key file's text, read on first use */
  readFile?: (path: string) => Promise<string>
}

interface Loaded {
  creds: GoogleCredentials
  /** the imported private key of a service account */
  crypto?: CryptoKey
}

/** One credential's tokens: cached, refreshed early in the background, one exchange at a time. */
export class GoogleTokenSource {
  private token: Token | undefined
  private inflight: Promise<Token> | undefined
  /** the token before the current one (still hidden from logs until the next mint) */
  private retired: string | undefined
  private key: Promise<Loaded> | undefined
  private readonly now: () => number

  constructor(
    private readonly creds: VertexCredentials,
    private readonly opts: TokenSourceOptions,
  ) {
    this.now = opts.now ?? Date.now
  }

  /** a bearer token, minting one only when none is usable */
  async get(): Promise<string> {
    if (this.creds.access_token) return this.creds.access_token
    const t = this.token
    const now = this.now()
    if (t && t.expiresAt - now > USABLE_FOR_MS) {
      if (t.expiresAt - now < REFRESH_BEFORE_MS) void this.refresh().catch(() => {}) // the next caller gets the new one
      return t.value
    }
    return (await this.refresh()).value
  }

  /** single flight: every caller during an exchange shares it */
  private refresh(): Promise<Token> {
    this.inflight ??= this.mint().then(
      (t) => {
        // the token before the previous one is out of use: it leaves the redactor, so a
        // long-running process does not scan every log line for a token per hour forever (the
        // previous one stays: requests that took it may still be answering)
        forgetSecret(this.retired)
        this.retired = this.token?.value
        this.token = t
        this.inflight = undefined
        return t
      },
      (err) => {
        this.inflight = undefined
        // the key file may have been rotated in place: read it again next time
        this.key = undefined
        throw err
      },
    )
    return this.inflight
  }

  private loadKey() {
    const path = this.creds.credentials_file
    if (!path) return Promise.reject(new Error('no credentials_file, access_token or GOOGLE_APPLICATION_CREDENTIALS'))
    this.key ??= (async (): Promise<Loaded> => {
      const text = await (this.opts.readFile ?? ((p: string) => Bun.file(p).text()))(path)
      const creds = parseGoogleCredentials(text, path)
      return creds.type === 'service_account' ? { creds, crypto: await importPrivateKey(creds.private_key) } : { creds }
    })()
    // a failed read is retried on the next request (the file may appear, e.g. a mounted secret)
    this.key.catch(() => (this.key = undefined))
    return this.key
  }

  private async mint(): Promise<Token> {
    const { creds, crypto: ck } = await this.loadKey()
    const issued = this.now()
    const form =
      creds.type === 'service_account'
        ? `grant_type=${encodeURIComponent(JWT_BEARER)}&assertion=${await signJwt(creds, ck!, Math.floor(issued / 1000))}`
        : new URLSearchParams({ grant_type: 'refresh_token', client_id: creds.client_id, client_secret: creds.client_secret, refresh_token: creds.refresh_token }).toString()
    const who = creds.type === 'service_account' ? creds.client_email : `user client ${creds.client_id.slice(0, 24)}`
    const res = await this.opts.fetch(creds.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
    })
    const text = (await res.text()).slice(0, MAX_TOKEN_RESPONSE)
    let body: Record<string, unknown> = {}
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      // reported below
    }
    if (!res.ok || typeof body.access_token !== 'string' || !body.access_token) {
      const why = typeof body.error_description === 'string' ? body.error_description : typeof body.error === 'string' ? body.error : `HTTP ${res.status}`
      throw new Error(`token exchange for ${who} failed: ${why.slice(0, 200)}`)
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : LIFETIME_S
    return { value: body.access_token, expiresAt: issued + expiresIn * 1000 }
  }
}

/** Token sources live as long as the process (config reloads keep their cached tokens). */
const sources = new Map<string, GoogleTokenSource>()

export function tokenSourceFor(creds: VertexCredentials, fetch: FetchLike): GoogleTokenSource {
  // a static token has nothing to cache (and must not become a map key kept forever)
  if (creds.access_token) return new GoogleTokenSource(creds, { fetch })
  const id = `file:${creds.credentials_file ?? ''}`
  let s = sources.get(id)
  if (!s) {
    s = new GoogleTokenSource(creds, { fetch })
    sources.set(id, s)
  }
  return s
}
