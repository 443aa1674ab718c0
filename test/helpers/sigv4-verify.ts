// Verifies an AWS SigV4 `Authorization` header the way AWS does, with @smithy/signature-v4 (the
// signer inside the AWS SDKs) as the reference: the request is re-signed from the headers it
// says it signed, the exact body bytes and its own x-amz-date, and the signatures must match.
import { SignatureV4 } from '@smithy/signature-v4'
import { createHash, createHmac } from 'node:crypto'

type Bytes = string | ArrayBuffer | ArrayBufferView

const bytes = (d: Bytes): string | Uint8Array => (typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength))

/** SHA-256 or HMAC-SHA256 (with a secret) in the shape SignatureV4 takes */
class Hash {
  private readonly h
  constructor(secret?: Bytes) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret))
  }
  update(data: Bytes) {
    this.h.update(bytes(data))
  }
  async digest() {
    return new Uint8Array(this.h.digest())
  }
}

export interface Creds {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** undefined when valid, else why not */
export async function verifySigV4(req: { method: string; url: string; headers: Headers; raw: string }, creds: Creds, service = 'bedrock'): Promise<string | undefined> {
  const auth = req.headers.get('authorization') ?? ''
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth)
  if (!m) return `malformed Authorization: ${auth.slice(0, 40)}`
  const [, akid, , region, svc, signedHeaders, signature] = m
  if (akid !== creds.accessKeyId) return 'unknown access key'
  if (svc !== service) return `service ${svc}`
  const date = req.headers.get('x-amz-date')
  if (!date) return 'no x-amz-date'
  if (creds.sessionToken && req.headers.get('x-amz-security-token') !== creds.sessionToken) return 'session token missing or wrong'
  const url = new URL(req.url)
  const headers: Record<string, string> = {}
  for (const name of signedHeaders.split(';')) {
    const v = name === 'host' ? url.host : req.headers.get(name)
    if (v === null) return `signed header ${name} missing`
    headers[name] = v
  }
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = v
  const signer = new SignatureV4({ credentials: creds, region, service, sha256: Hash, applyChecksum: false })
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`)
  const signed = await signer.sign(
    { method: req.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined, path: url.pathname, query, headers, body: req.raw },
    { signingDate },
  )
  const want = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1]
  return want === signature ? undefined : 'The request signature we calculated does not match the signature you provided'
}
