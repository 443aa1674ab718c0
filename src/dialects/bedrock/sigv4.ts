// AWS Signature Version 4 over the exact bytes sent. Pure: the clock comes in as a Date.
//
// Written here rather than taken from @smithy/signature-v4: signing is ~80 lines over node:crypto
// HMAC/SHA-256, while the library brings its own HttpRequest model, a chain of @smithy/* and
// @aws-crypto packages and async Web-Crypto hashing per request. Tests check this signer against
// AWS's published examples and against @smithy/signature-v4 (via @aws-sdk/client-bedrock-runtime).
import { createHash, createHmac } from 'node:crypto'

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface SignInput {
  method: string
  url: string
  /** modified in place: x-amz-date, x-amz-security-token and authorization are set */
  headers: Headers
  body: string | Uint8Array
}

/** headers never signed: an HTTP client or proxy may add or change them on the way */
const UNSIGNED = new Set(['authorization', 'user-agent', 'content-length', 'expect', 'connection', 'transfer-encoding', 'x-amzn-trace-id', 'accept-encoding'])

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest()

/** RFC 3986 escaping, as AWS wants it (encodeURIComponent leaves !'()* alone) */
export function uriEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The canonical URI of a non-S3 service: the path as sent (already percent-encoded) escaped once
 * more, segment by segment, so `/model/x-v1%3A0/converse` is signed as `/model/x-v1%253A0/converse`.
 */
export function canonicalUri(pathname: string): string {
  if (!pathname) return '/'
  return pathname.split('/').map(uriEscape).join('/')
}

function canonicalQuery(search: URLSearchParams): string {
  const pairs: Array<[string, string]> = []
  for (const [k, v] of search) pairs.push([uriEscape(k), uriEscape(v)])
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

/** `20150830T123600Z` */
export const amzDate = (now: Date): string => now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

const SCHEME = 'AWS4-HMAC-SHA256'

/** Signs the request in place. `host` is signed from the URL (fetch sets the header itself). */
export function signSigV4(req: SignInput, creds: AwsCredentials, region: string, service: string, now: Date): void {
  const url = new URL(req.url)
  const date = amzDate(now)
  const day = date.slice(0, 8)
  req.headers.set('x-amz-date', date)
  if (creds.sessionToken) req.headers.set('x-amz-security-token', creds.sessionToken)
  else req.headers.delete('x-amz-security-token')
  req.headers.delete('authorization')

  const signed: Array<[string, string]> = [['host', url.host]]
  req.headers.forEach((value, name) => {
    if (!UNSIGNED.has(name) && name !== 'host') signed.push([name, value.trim().replace(/\s+/g, ' ')])
  })
  signed.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  const signedHeaders = signed.map((h) => h[0]).join(';')
  const canonical = [
    req.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    signed.map(([k, v]) => `${k}:${v}\n`).join(''),
    signedHeaders,
    sha256Hex(req.body),
  ].join('\n')
  const scope = `${day}/${region}/${service}/aws4_request`
  const toSign = `${SCHEME}\n${date}\n${scope}\n${sha256Hex(canonical)}`
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), region), service), 'aws4_request')
  const signature = createHmac('sha256', key).update(toSign).digest('hex')
  req.headers.set('authorization', `${SCHEME} Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`)
}
