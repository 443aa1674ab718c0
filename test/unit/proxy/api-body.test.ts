import { describe, expect, test } from 'bun:test'
import { apiDialectFor } from '../../../src/dialects'
import { usageIn } from '../../../src/proxy/api-body'

const fields = { input: ['prompt_tokens', 'input_tokens'], output: ['completion_tokens', 'output_tokens'] }

describe('usageIn', () => {
  test('reads the usage object at the end of an answer', () => {
    const tail = '..., 0.3]}],"model":"m","usage":{"prompt_tokens":12,"total_tokens":12}}'
    expect(usageIn('', tail, fields)).toEqual({ inputTokens: 12, outputTokens: 0 })
  })
  test('ignores token-like fields outside usage, and answers without one', () => {
    expect(usageIn('{"prompt_tokens":3}', '{"prompt_tokens":3}', fields)).toBeUndefined()
  })
  test('a usage object at the start (head) counts too', () => {
    expect(usageIn('{"usage":{"input_tokens":4,"output_tokens":5},"data":[', 'xx', fields)).toEqual({ inputTokens: 4, outputTokens: 5 })
  })
})

describe('apiDialectFor', () => {
  const h = (o: Record<string, string> = {}) => new Headers(o)
  test('paths of each vendor API, with one-segment and rest globs', () => {
    expect(apiDialectFor('/v1/embeddings', h())?.api?.family).toBe('openai')
    expect(apiDialectFor('/v1/audio/transcriptions', h())?.api?.family).toBe('openai')
    expect(apiDialectFor('/v1/messages/batches/b1/results', h())?.api?.family).toBe('anthropic')
    expect(apiDialectFor('/v1/embeddings/extra/../x', h())).toBeUndefined()
    expect(apiDialectFor('/v1/models/gpt-4o', h())).toBeUndefined()
    expect(apiDialectFor('/v1/chat/completions', h())).toBeUndefined()
  })
  test('/v1/files belongs to the family whose client the headers name', () => {
    expect(apiDialectFor('/v1/files', h())?.api?.family).toBe('openai')
    expect(apiDialectFor('/v1/files', h({ 'anthropic-version': '2023-06-01' }))?.api?.family).toBe('anthropic')
  })
})
