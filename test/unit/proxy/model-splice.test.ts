// A pass-through that changes only the model sends the client's own text with the model value
// replaced: the same bytes JSON.stringify would give for the compact JSON clients send, the same
// JSON value for any other spelling, and a re-serialised body whenever keys are escaped or repeated.
import { describe, expect, test } from 'bun:test'
import { jsonDepthOver, MAX_JSON_DEPTH, newTopLevel } from '../../../src/proxy/json-depth'
import { spliceModel, type RawBody } from '../../../src/proxy/model-splice'

const rawOf = (text: string): RawBody => {
  const top = newTopLevel()
  expect(jsonDepthOver(text, MAX_JSON_DEPTH, top)).toBe(0)
  return { text, top }
}
/** the plain path: parse, set the model, serialise */
const plain = (text: string, model: string) => JSON.stringify({ ...JSON.parse(text), model })

// shapes Claude Code, Codex and the SDKs send (compact JSON), with the traps a text edit can fall in
const bodies: Record<string, unknown>[] = [
  { model: 'c-x', stream: true, messages: [{ role: 'user', content: 'hi' }] },
  { max_tokens: 32000, model: 'claude-sonnet-4-5', metadata: { user_id: 'user_abc_account__session_1' }, stream: true },
  {
    model: 'claude-opus-4-1',
    system: [{ type: 'text', text: 'You are Claude Code, "quoted", back\\slash, ü, 😀, \u2028', cache_control: { type: 'ephemeral' } }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: '{"model":"fake","a":[1,2]} and "model": "x"' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Edit', input: { model: 'nested', file_path: '/a "b"', n: 1.5, e: 1e21, z: -0 } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok\n\t\r\u0000\u001f end' }] },
    ],
    tools: [{ name: 'Edit', description: 'edits', input_schema: { type: 'object', properties: { model: { type: 'string' } } } }],
    thinking: { type: 'enabled', budget_tokens: 1024 },
  },
  { input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'x' }] }], model: 'gpt-5-codex', reasoning: { effort: 'high' }, store: false, include: ['reasoning.encrypted_content'], prompt_cache_key: 'k' },
  { messages: [], model: '', stream_options: { include_usage: true } },
  { model: 'm\u00e9\u{1F600}"\\/', temperature: 0.7 },
]

describe('spliceModel', () => {
  for (const [i, b] of bodies.entries()) {
    const text = JSON.stringify(b)
    test(`compact body ${i}: the bytes JSON.stringify gives`, () => {
      for (const model of ['gpt-up', 'claude-haiku-4-5', 'ü/"quoted"\\', String(b.model)]) expect(spliceModel(rawOf(text), model)).toBe(plain(text, model))
    })
  }

  test('other spellings (pretty-printed, escapes, spaces around the colon): the same JSON value', () => {
    const texts = [
      JSON.stringify(bodies[2], null, 2),
      '{ "stream" : true ,\n\t"model"\r\n:\n "c\\u002dx" , "messages":[{"role":"user","content":"\\u00fc\\/"}], "n": 1.0e0 }',
      '\ufeff{"model":"a"}',
    ]
    for (const text of texts) {
      const out = spliceModel(rawOf(text.replace(/^\ufeff/, '')), 'gpt-up')!
      expect(out).toBeDefined()
      expect(JSON.parse(out)).toEqual(JSON.parse(plain(text.replace(/^\ufeff/, ''), 'gpt-up')))
    }
  })

  test('the model the client named is the upstream one: its text goes as it came (same string)', () => {
    const text = JSON.stringify(bodies[2])
    expect(spliceModel(rawOf(text), 'claude-opus-4-1')).toBe(text)
  })

  test('escaped or repeated keys, a model that is not a string, or none: re-serialise', () => {
    for (const text of [
      '{"model":"a","stream":false,"stream":true}',
      '{"model":"a","model":"b"}',
      '{"mod\\u0065l":"a","model":"b"}',
      '{"model":"a","max_tokens":1,"max\\u005ftokens":100000}',
      '{"model":123}',
      '{"model":null}',
      '{"model":{"a":"b"}}',
      '{"stream":true,"messages":[]}',
    ])
      expect(spliceModel(rawOf(text), 'gpt-up')).toBeUndefined()
  })

  test('a body with very many top-level keys is re-serialised, in linear time', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => `"k${i}":1`).join(',')
    const started = performance.now()
    expect(spliceModel(rawOf(`{"model":"a",${keys}}`), 'b')).toBeUndefined()
    expect(performance.now() - started).toBeLessThan(1000)
    // within the bound the edit still applies
    expect(spliceModel(rawOf(`{"model":"a",${Array.from({ length: 60 }, (_, i) => `"k${i}":1`).join(',')}}`), 'b')).toStartWith('{"model":"b",')
  })

  test('only top-level keys count: nested "model" keys and "model" inside strings are left alone', () => {
    const text = '{"metadata":{"model":"inner","model2":{"model":"deep"}},"note":"\\"model\\":\\"s\\"","model":"outer","after":{"model":1}}'
    const out = spliceModel(rawOf(text), 'up')!
    expect(out).toBe(plain(text, 'up'))
    expect(JSON.parse(out).metadata.model).toBe('inner')
  })

  test('the depth scan still refuses what it refused, with or without noting keys', () => {
    for (const text of ['['.repeat(200), '{"a":' + '['.repeat(200) + ']'.repeat(200) + '}'])
      expect(jsonDepthOver(text, MAX_JSON_DEPTH, newTopLevel())).toBe(jsonDepthOver(text, MAX_JSON_DEPTH))
  })
})
