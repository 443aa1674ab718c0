import { describe, expect, test } from 'bun:test'
import { coerceScalars } from '../../../src/config/coerce'
import { ConfigFileSchema } from '../../../src/config/schema'

describe('coerceScalars', () => {
  test('numeric and boolean strings become numbers and booleans where the schema wants them', () => {
    const out = coerceScalars(ConfigFileSchema, {
      server: { port: '8080', request_timeout: '1500', max_body_size: '32MiB' },
      providers: { p: { dialect: 'echo', max_retries: '3', headers: { 'x-n': '1' } } },
      models: { fast: { targets: ['p/x'], hidden: 'true', params: { temperature: '0.2' } } },
      logging: { requests: 'false' },
      policy: { allowed_models: ['1'] },
    })
    expect(out).toEqual({
      server: { port: 8080, request_timeout: 1500, max_body_size: '32MiB' },
      providers: { p: { dialect: 'echo', max_retries: 3, headers: { 'x-n': '1' } } },
      models: { fast: { targets: ['p/x'], hidden: true, params: { temperature: '0.2' } } },
      logging: { requests: false },
      policy: { allowed_models: ['1'] },
    })
  })

  test('never wraps scalars into lists or turns numbers into strings', () => {
    expect(coerceScalars(ConfigFileSchema, { server: { base_paths: '/' }, policy: { default_model: 5 } })).toEqual({
      server: { base_paths: '/' },
      policy: { default_model: 5 },
    })
  })
})
