import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCheck } from '../../../src/cli/check'
import { ConfigError, loadConfig, resolveConfig } from '../../../src/config/load'

const problems = (raw: unknown, env: Record<string, string> = {}): string[] => {
  try {
    resolveConfig(raw, env, {})
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  return []
}

describe('Bedrock provider config', () => {
  test('region from the config, aws_region, AWS_REGION or AWS_DEFAULT_REGION; the endpoint follows it', () => {
    const url = (p: Record<string, unknown>, env: Record<string, string> = {}) => resolveConfig({ providers: { b: { dialect: 'bedrock', ...p } } }, env, {}).providers[0].base_url
    expect(url({ region: 'eu-west-1' })).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com')
    expect(url({ aws_region: 'ap-south-1' })).toBe('https://bedrock-runtime.ap-south-1.amazonaws.com')
    expect(url({}, { AWS_REGION: 'us-west-2' })).toBe('https://bedrock-runtime.us-west-2.amazonaws.com')
    expect(url({}, { AWS_DEFAULT_REGION: 'eu-central-1' })).toBe('https://bedrock-runtime.eu-central-1.amazonaws.com')
    expect(url({ region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' })).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com')
    expect(problems({ providers: { b: { dialect: 'bedrock', region: 'a', aws_region: 'b' } } })).toEqual(['providers.b.aws_region: differs from region (give one)'])
  })

  test('bedrock_api takes converse or invoke, and only on a bedrock provider', () => {
    expect(resolveConfig({ providers: { b: { dialect: 'bedrock', region: 'us-east-1', bedrock_api: 'converse' } } }, {}, {}).providers[0].bedrock_api).toBe('converse')
    expect(problems({ providers: { b: { dialect: 'bedrock', region: 'us-east-1', bedrock_api: 'other' } } })[0]).toContain('providers.b.bedrock_api')
    expect(problems({ providers: { o: { dialect: 'openai-chat', base_url: 'https://x', bedrock_api: 'invoke' } } })).toEqual(['providers.o.bedrock_api: applies only to dialect bedrock'])
  })

  test('AWS keys: only on bedrock, and the key id and secret together', () => {
    expect(problems({ providers: { o: { dialect: 'anthropic', aws_access_key_id: 'A', aws_secret_access_key: 'S' } } })).toEqual([
      'providers.o.aws_access_key_id: applies only to dialect bedrock',
      'providers.o.aws_secret_access_key: applies only to dialect bedrock',
    ])
    expect(problems({ providers: { b: { dialect: 'bedrock', region: 'us-east-1', aws_access_key_id: 'A' } } })).toEqual(['providers.b.aws_secret_access_key: is required with aws_access_key_id'])
    // an empty `${VAR:-}` is "not given": the AWS chain applies
    expect(problems({ providers: { b: { dialect: 'bedrock', region: 'us-east-1', aws_access_key_id: '', aws_secret_access_key: '' } } })).toEqual([])
  })

  test('loadConfig reads the region of AWS_PROFILE from ~/.aws/config (AWS_CONFIG_FILE)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'awscfg-'))
    writeFileSync(join(dir, 'config'), '[default]\nregion = us-east-2\n[profile team]\nregion = eu-north-1\n')
    writeFileSync(join(dir, 'llm-proxy.yaml'), 'providers:\n  b:\n    dialect: bedrock\n')
    const load = (env: Record<string, string>) => loadConfig({ flags: { config: join(dir, 'llm-proxy.yaml'), env: '' }, env: { AWS_CONFIG_FILE: join(dir, 'config'), ...env } })
    expect((await load({})).providers[0].region).toBe('us-east-2')
    expect((await load({ AWS_PROFILE: 'team' })).providers[0].region).toBe('eu-north-1')
    expect((await load({ AWS_REGION: 'sa-east-1' })).providers[0].region).toBe('sa-east-1')
  })

  test('check shows where a signing provider\'s credentials come from, the key id masked', () => {
    const cfg = resolveConfig({ providers: { a: { dialect: 'bedrock', region: 'us-east-1' }, b: { dialect: 'bedrock', region: 'us-east-1', aws_access_key_id: 'AKIAEXAMPLEKEYID1234', aws_secret_access_key: 'secret-value-here' } } }, {}, {})
    const out = runCheck(cfg, {})
    expect(out).toContain('keys: signed with credentials from the environment or profile, at request time')
    expect(out).toContain('keys: signed with key id AKI…1234')
    expect(out).not.toContain('AKIAEXAMPLEKEYID1234')
    expect(out).not.toContain('secret-value-here')
  })
})
