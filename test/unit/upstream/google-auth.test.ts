// Vertex token minting against a local token endpoint that checks the JWT's RS256 signature
// with the public half of a key pair made here.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { GoogleTokenSource, CLOUD_PLATFORM_SCOPE } from '../../../src/upstream/google-auth'
import { parseGoogleCredentials } from '../../../src/config/normalize-vertex'

let publicKey: CryptoKey
let pem: string
let server: ReturnType<typeof Bun.serve>
let exchanges = 0
let nextToken = 1
let failNext = false
/** the token endpoint waits this long before answering */
let delayMs = 0

const b64 = (s: string) => Buffer.from(s, 'base64url')

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  publicKey = pair.publicKey
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', pair.privateKey))
  pem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      exchanges++
      const form = new URLSearchParams(await req.text())
      if (form.get('grant_type') === 'refresh_token') {
        const ok = form.get('client_id') === 'cid.apps.googleusercontent.com' && form.get('client_secret') === 'csecret' && form.get('refresh_token') === '1//refresh'
        return ok ? Response.json({ access_token: `ya29.user-${nextToken++}`, expires_in: 3599 }) : Response.json({ error: 'invalid_grant', error_description: 'Bad Request' }, { status: 400 })
      }
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return Response.json({ error: 'unsupported_grant_type' }, { status: 400 })
      const [h, c, s] = (form.get('assertion') ?? '').split('.')
      const ok = await crypto.subtle.verify('RSASSA-PKCS1-v1_5', publicKey, b64(s), new TextEncoder().encode(`${h}.${c}`))
      if (!ok) return Response.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, { status: 400 })
      const header = JSON.parse(b64(h).toString())
      const claims = JSON.parse(b64(c).toString())
      const url = `http://127.0.0.1:${server.port}/token`
      if (header.alg !== 'RS256' || header.kid !== 'kid-1' || claims.iss !== 'sa@proj.iam.gserviceaccount.com' || claims.aud !== url || claims.scope !== CLOUD_PLATFORM_SCOPE || claims.exp - claims.iat !== 3600)
        return Response.json({ error: 'invalid_grant', error_description: 'bad claims' }, { status: 400 })
      if (delayMs) await Bun.sleep(delayMs)
      if (failNext) {
        failNext = false
        return Response.json({ error: 'invalid_grant', error_description: 'account disabled' }, { status: 400 })
      }
      return Response.json({ access_token: `ya29.token-${nextToken++}`, expires_in: 3599, token_type: 'Bearer' })
    },
  })
})
afterAll(() => server?.stop(true))

const keyFile = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'service_account',
    project_id: 'proj',
    private_key_id: 'kid-1',
    private_key: pem,
    client_email: 'sa@proj.iam.gserviceaccount.com',
    token_uri: `http://127.0.0.1:${server.port}/token`,
    ...extra,
  })

const source = (clock: { t: number }, text = keyFile()) =>
  new GoogleTokenSource({ credentials_file: '/keys/sa.json' }, { fetch, now: () => clock.t, readFile: async () => text })

test('a signed JWT is exchanged for a token, which is cached', async () => {
  const clock = { t: Date.now() }
  const s = source(clock)
  const before = exchanges
  const t1 = await s.get()
  expect(t1).toMatch(/^ya29\.token-\d+$/)
  clock.t += 30 * 60_000
  expect(await s.get()).toBe(t1)
  expect(exchanges - before).toBe(1)
})

test('a signature made with another key is refused by the endpoint', async () => {
  const other = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', other.privateKey)).toString('base64')
  const s = source({ t: Date.now() }, keyFile({ private_key: `-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----\n` }))
  await expect(s.get()).rejects.toThrow('Invalid JWT Signature')
})

test('concurrent first requests share one exchange (single flight)', async () => {
  const s = source({ t: Date.now() })
  const before = exchanges
  delayMs = 50
  const tokens = await Promise.all(Array.from({ length: 20 }, () => s.get()))
  delayMs = 0
  expect(new Set(tokens).size).toBe(1)
  expect(exchanges - before).toBe(1)
})

test('a token near expiry is still handed out while one background refresh runs', async () => {
  const clock = { t: Date.now() }
  const s = source(clock)
  const first = await s.get()
  const before = exchanges
  clock.t += 57 * 60_000 // 2 min left: refresh due, token still usable
  delayMs = 100
  const started = performance.now()
  const during = await Promise.all(Array.from({ length: 10 }, () => s.get()))
  expect(performance.now() - started).toBeLessThan(80) // nobody waited for the endpoint
  expect(during.every((t) => t === first)).toBe(true)
  await Bun.sleep(150)
  delayMs = 0
  expect(exchanges - before).toBe(1)
  const after = await s.get()
  expect(after).not.toBe(first)
})

test('an expired token is not handed out; a failed exchange surfaces its reason and the next call retries', async () => {
  const clock = { t: Date.now() }
  const s = source(clock)
  await s.get()
  clock.t += 60 * 60_000
  failNext = true
  await expect(s.get()).rejects.toThrow('account disabled')
  expect(await s.get()).toMatch(/^ya29\./)
})

test('a static access_token is used as is', async () => {
  const s = new GoogleTokenSource({ access_token: 'ya29.static' }, { fetch: () => Promise.reject(new Error('no fetch')) })
  expect(await s.get()).toBe('ya29.static')
})

test('credentials files are checked without quoting secrets', () => {
  const parse = (o: unknown) => () => parseGoogleCredentials(typeof o === 'string' ? o : JSON.stringify(o), 'k.json')
  expect(parse('{not json')).toThrow('not a JSON credentials file')
  expect(parse({ type: 'authorized_user', client_secret: 's3cret' })).toThrow('have no client_id')
  expect(parse({ type: 'external_account', audience: 'x' })).toThrow('"external_account" credential')
  expect(parse({ type: 'service_account', client_email: 'a@b', private_key: 'MIIEs3cret' })).toThrow(/PKCS#8/)
  expect(parse({ type: 'service_account', client_email: 'a@b', private_key: pem, token_uri: 'file:///etc/passwd' })).toThrow('http(s) URL')
  for (const bad of [{ type: 'authorized_user', client_secret: 's3cret' }, { type: 'service_account', client_email: 'a@b', private_key: 'MIIEs3cret' }])
    try {
      parse(bad)()
    } catch (e) {
      expect(String(e)).not.toContain('s3cret')
    }
})

test('application-default user credentials exchange their refresh token', async () => {
  const user = (secret: string) =>
    JSON.stringify({ type: 'authorized_user', client_id: 'cid.apps.googleusercontent.com', client_secret: secret, refresh_token: '1//refresh', token_uri: `http://127.0.0.1:${server.port}/token` })
  const s = new GoogleTokenSource({ credentials_file: '/home/u/.config/gcloud/application_default_credentials.json' }, { fetch, readFile: async () => user('csecret') })
  const t = await s.get()
  expect(t).toMatch(/^ya29\.user-\d+$/)
  expect(await s.get()).toBe(t)
  const wrong = new GoogleTokenSource({ credentials_file: '/x.json' }, { fetch, readFile: async () => user('nope') })
  const err = await wrong.get().catch((e) => e)
  expect(String(err)).toContain('failed: Bad Request')
  expect(String(err)).not.toContain('nope')
})

test('a key file rotated in place is read again after a failed exchange', async () => {
  const other = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', other.privateKey)).toString('base64')
  const files = [keyFile({ private_key: `-----BEGIN PRIVATE KEY-----\n${der}\n-----END PRIVATE KEY-----\n` }), keyFile()]
  let reads = 0
  const s = new GoogleTokenSource({ credentials_file: '/keys/sa.json' }, { fetch, readFile: async () => files[Math.min(reads++, 1)] })
  await expect(s.get()).rejects.toThrow('Invalid JWT Signature')
  expect(await s.get()).toMatch(/^ya29\./)
  expect(reads).toBe(2)
})
