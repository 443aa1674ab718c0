import { describe, expect, test } from 'bun:test'
import { canonicalUri, signSigV4 } from '../../../../src/dialects/bedrock/sigv4'
import { parseIni, resolveAwsCredentials } from '../../../../src/dialects/bedrock/credentials'
import type { ProviderConfig } from '../../../../src/config/types'
import { verifySigV4 } from '../../../helpers/sigv4-verify'

// AWS's published examples (aws-sig-v4-test-suite get-vanilla / post-vanilla, and the IAM
// ListUsers walk-through of the SigV4 documentation)
const AWS_EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const AT = new Date(Date.UTC(2015, 7, 30, 12, 36, 0))

const sign = (method: string, url: string, headers: Record<string, string>, body: string, region: string, service: string, creds: any = AWS_EXAMPLE, now = AT) => {
  const h = new Headers(headers)
  signSigV4({ method, url, headers: h, body }, creds, region, service, now)
  return h
}

describe('SigV4 signer', () => {
  test('get-vanilla', () => {
    const h = sign('GET', 'https://example.amazonaws.com/', {}, '', 'us-east-1', 'service')
    expect(h.get('x-amz-date')).toBe('20150830T123600Z')
    expect(h.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    )
  })

  test('post-vanilla', () => {
    const h = sign('POST', 'https://example.amazonaws.com/', {}, '', 'us-east-1', 'service')
    expect(h.get('authorization')).toEndWith('Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b')
  })

  test('IAM ListUsers example (query string, content-type header)', () => {
    const h = sign('GET', 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, '', 'us-east-1', 'iam')
    expect(h.get('authorization')).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    )
  })

  test('the canonical URI encodes the already-encoded model id again', () => {
    expect(canonicalUri('/model/us.anthropic.claude-x-v1%3A0/converse')).toBe('/model/us.anthropic.claude-x-v1%253A0/converse')
    expect(canonicalUri('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fab12/invoke')).toBe(
      '/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Aapplication-inference-profile%252Fab12/invoke',
    )
  })

  const CREDS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'se/cr+et', sessionToken: 'FwoG//token==' }
  for (const model of ['anthropic.claude-3-haiku-20240307-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3', 'mistral.large (2)!'])
    test(`agrees with @smithy/signature-v4 for ${model}, session token and body bytes`, async () => {
      const url = `https://bedrock-runtime.us-west-2.amazonaws.com/model/${encodeURIComponent(model)}/converse-stream?x=1&a=b%20c`
      const raw = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'héllo  ✓' }] }] })
      const headers = sign('POST', url, { 'content-type': 'application/json', accept: 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-trace': '  a   b ' }, raw, 'us-west-2', 'bedrock', CREDS, new Date())
      expect(headers.get('x-amz-security-token')).toBe(CREDS.sessionToken)
      expect(await verifySigV4({ method: 'POST', url, headers, raw }, CREDS)).toBeUndefined()
      // one changed byte of the body, or a wrong secret, fails
      expect(await verifySigV4({ method: 'POST', url, headers, raw: raw.replace('héllo', 'hello') }, CREDS)).toContain('does not match')
      expect(await verifySigV4({ method: 'POST', url, headers, raw }, { ...CREDS, secretAccessKey: 'other' })).toContain('does not match')
    })
})

describe('AWS credentials', () => {
  const provider = (p: Partial<ProviderConfig> = {}) => ({ name: 'b', dialect: 'bedrock', ...p }) as ProviderConfig
  const INI = '[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = s1\n\n# comment\n[work]\naws_access_key_id=AKIDWORK\naws_secret_access_key=s2\naws_session_token=tok\n'
  const files = (path: string) => (path === '/home/u/.aws/credentials' ? INI : undefined)

  test('provider config first, then the environment, then the profile file', () => {
    expect(resolveAwsCredentials(provider({ aws_access_key_id: 'A', aws_secret_access_key: 'S' }), { AWS_ACCESS_KEY_ID: 'E', AWS_SECRET_ACCESS_KEY: 'F' }, files)).toEqual({ accessKeyId: 'A', secretAccessKey: 'S' })
    expect(resolveAwsCredentials(provider(), { AWS_ACCESS_KEY_ID: 'E', AWS_SECRET_ACCESS_KEY: 'F', AWS_SESSION_TOKEN: 'T', HOME: '/home/u' }, files)).toEqual({ accessKeyId: 'E', secretAccessKey: 'F', sessionToken: 'T' })
    expect(resolveAwsCredentials(provider(), { HOME: '/home/u' }, files)).toEqual({ accessKeyId: 'AKIDDEF', secretAccessKey: 's1' })
    expect(resolveAwsCredentials(provider(), { HOME: '/home/u', AWS_PROFILE: 'work' }, files)).toEqual({ accessKeyId: 'AKIDWORK', secretAccessKey: 's2', sessionToken: 'tok' })
    expect(resolveAwsCredentials(provider(), { HOME: '/home/u', AWS_PROFILE: 'nope' }, files)).toBeUndefined()
    expect(resolveAwsCredentials(provider(), { HOME: '/nowhere' }, files)).toBeUndefined()
  })

  test('INI sections', () => {
    expect(parseIni(INI).get('work')).toEqual({ aws_access_key_id: 'AKIDWORK', aws_secret_access_key: 's2', aws_session_token: 'tok' })
  })
})
