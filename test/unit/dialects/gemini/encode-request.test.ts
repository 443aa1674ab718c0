import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA } from '../../../../src/canonical/custom-tools'
import type { CanonRequest } from '../../../../src/canonical/request'
import { SKIP_SIGNATURE } from '../../../../src/dialects/gemini/encode-contents'
import { encodeRequest } from '../../../../src/dialects/gemini/encode-request'

const base = (over: Partial<CanonRequest> = {}): CanonRequest => ({ model: 'client', system: [], messages: [{ role: 'user', parts: [{ text: 'hi', type: 'text' }] }], stream: false, ...over })
const enc = (over: Partial<CanonRequest> = {}) => encodeRequest(base(over), { model: 'gemini-2.5-flash', defaultMaxTokens: 4096 })
const body = (over: Partial<CanonRequest> = {}) => enc(over).body as Record<string, any>

describe('encodeRequest: path and minimal body', () => {
  test('non-streaming and streaming paths; models/ prefix stripped; no headers needed', () => {
    expect(enc().path).toBe('/v1beta/models/gemini-2.5-flash:generateContent')
    expect(enc({ stream: true }).path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
    expect(encodeRequest(base(), { model: 'models/gemini-3-pro', defaultMaxTokens: 1 }).path).toBe('/v1beta/models/gemini-3-pro:generateContent')
  })

  test('a plain request has contents only (no default max tokens, no unknown fields)', () => {
    expect(body()).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
  })

  test('system text parts → systemInstruction; empty ones dropped', () => {
    expect(body({ system: [{ type: 'text', text: 'Be terse.' }, { type: 'text', text: '' }, { type: 'text', text: 'Really.' }] }).systemInstruction).toEqual({ parts: [{ text: 'Be terse.' }, { text: 'Really.' }] })
  })
})

describe('encodeRequest: generationConfig', () => {
  test('sampling, stop (≤5), seed, penalties, max tokens', () => {
    const g = body({ maxOutputTokens: 100, temperature: 2.5, topP: 0.9, topK: 40, stop: ['1', '2', '3', '4', '5', '6'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.2 }).generationConfig
    expect(g).toEqual({ maxOutputTokens: 100, temperature: 2, topP: 0.9, topK: 40, stopSequences: ['1', '2', '3', '4', '5'], seed: 7, presencePenalty: 0.1, frequencyPenalty: 0.2 })
  })

  test('response formats', () => {
    expect(body({ responseFormat: { type: 'json_object' } }).generationConfig).toEqual({ responseMimeType: 'application/json' })
    const schema = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }
    expect(body({ responseFormat: { type: 'json_schema', name: 'x', schema } }).generationConfig).toEqual({ responseMimeType: 'application/json', responseJsonSchema: schema })
    expect(body({ responseFormat: { type: 'text' } }).generationConfig).toBeUndefined()
  })

  test('thinking: budget, effort, enabled alone, disabled', () => {
    const tc = (reasoning: CanonRequest['reasoning']) => body({ reasoning }).generationConfig?.thinkingConfig
    expect(tc({ budgetTokens: 3000 })).toEqual({ includeThoughts: true, thinkingBudget: 3000 })
    expect(tc({ effort: 'low' })).toEqual({ includeThoughts: true, thinkingBudget: 1024 })
    expect(tc({ effort: 'high' })).toEqual({ includeThoughts: true, thinkingBudget: 16384 })
    expect(tc({ enabled: true })).toEqual({ includeThoughts: true, thinkingBudget: -1 })
    expect(tc({ enabled: false, budgetTokens: 2000 })).toBeUndefined()
    expect(tc({ effort: 'none' })).toBeUndefined()
  })
})

describe('encodeRequest: tools', () => {
  test('declarations with parametersJsonSchema as given; custom tool; parameterless tool', () => {
    const params = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { city: { type: ['string', 'null'] } }, required: ['city'] }
    const b = body({
      tools: [
        { name: 'weather', description: 'Get weather', parameters: params },
        { name: 'apply_patch', parameters: {}, custom: {} },
        { name: 'now', parameters: {} },
      ],
    })
    expect(b.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'weather', description: 'Get weather', parametersJsonSchema: params },
          { name: 'apply_patch', parametersJsonSchema: CUSTOM_INPUT_SCHEMA },
          { name: 'now' },
        ],
      },
    ])
    expect(b.toolConfig).toBeUndefined()
  })

  test('tool choice → functionCallingConfig', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }]
    const cfg = (toolChoice: CanonRequest['toolChoice']) => body({ tools, toolChoice }).toolConfig
    expect(cfg({ type: 'auto' })).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(cfg({ type: 'none' })).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(cfg({ type: 'required' })).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(cfg({ type: 'tool', name: 'f' })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } })
  })
})

describe('encodeRequest: contents', () => {
  test('a tool loop from another dialect: names recovered by id, results in one user content in call order, placeholder signature on the first call only', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'Claude thinking', signature: 'anthropic-sig', origin: 'anthropic' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_call', id: 'toolu_1', name: 'weather', argumentsJson: '{"city":"Paris"}' },
            { type: 'tool_call', id: 'toolu_2', name: 'weather', argumentsJson: '' },
          ],
        },
        // results arrive out of order and in separate messages (Chat tool messages)
        { role: 'user', parts: [{ type: 'tool_result', callId: 'toolu_2', content: [{ type: 'text', text: '20C' }] }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'toolu_1', content: [{ type: 'text', text: 'boom' }], isError: true }, { type: 'text', text: 'thanks' }] },
      ],
    })
    expect(b.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { name: 'weather', args: { city: 'Paris' }, id: 'toolu_1' }, thoughtSignature: SKIP_SIGNATURE },
          { functionCall: { name: 'weather', args: {}, id: 'toolu_2' } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', id: 'toolu_1', response: { error: 'boom' } } },
          { functionResponse: { name: 'weather', id: 'toolu_2', response: { output: '20C' } } },
          { text: 'thanks' },
        ],
      },
    ])
    expect(SKIP_SIGNATURE).toBe('skip_thought_signature_validator')
  })

  test('gemini signatures are replayed on their own parts', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'thought', signature: 'sigT', origin: 'gemini' },
            { type: 'tool_call', id: 'c1', name: 'f', argumentsJson: '{}', signature: 'sigF' },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'c1', name: 'f', content: [{ type: 'text', text: 'r' }] }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'Answer' }, { type: 'reasoning', text: '', signature: 'sigText', origin: 'gemini' }] },
      ],
    })
    expect(b.contents[1].parts).toEqual([
      { text: 'thought', thought: true, thoughtSignature: 'sigT' },
      { functionCall: { name: 'f', args: {}, id: 'c1' }, thoughtSignature: 'sigF' },
    ])
    expect(b.contents[3].parts).toEqual([{ text: 'Answer', thoughtSignature: 'sigText' }])
  })

  test('a text-less signature before any part goes on the next one; foreign and unsigned reasoning dropped', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: '', signature: 'S', origin: 'gemini' },
            { type: 'reasoning', text: '', encrypted: 'enc', origin: 'openai' },
            { type: 'text', text: 'A' },
          ],
        },
      ],
    })
    expect(b.contents[1]).toEqual({ role: 'model', parts: [{ text: 'A', thoughtSignature: 'S' }] })
  })

  test('alternation: consecutive turns merged, empty turns and parts dropped, a leading model turn gets a user turn', () => {
    const b = body({
      messages: [
        { role: 'assistant', parts: [{ type: 'text', text: 'Hello!' }] },
        { role: 'assistant', parts: [{ type: 'text', text: '' }] },
        { role: 'user', parts: [{ type: 'text', text: 'a' }] },
        { role: 'user', parts: [{ type: 'text', text: '' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] },
      ],
    })
    expect(b.contents).toEqual([
      { role: 'user', parts: [{ text: '(continue)' }] },
      { role: 'model', parts: [{ text: 'Hello!' }] },
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
    ])
  })

  test('images and files: base64, data URL, http URL with guessed type, files-API uri; foreign file ids dropped', () => {
    const b = body({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,BBB' } },
            { type: 'image', source: { kind: 'url', url: 'https://x.test/cat.PNG?size=2' } },
            { type: 'image', source: { kind: 'url', url: 'https://x.test/image' } },
            { type: 'file', data: 'CCC', mediaType: 'application/pdf' },
            { type: 'file', fileId: 'https://generativelanguage.googleapis.com/v1beta/files/abc', mediaType: 'video/mp4' },
            { type: 'file', fileId: 'file-openai123' },
          ],
        },
      ],
    })
    expect(b.contents[0].parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: 'AAA' } },
      { inlineData: { mimeType: 'image/webp', data: 'BBB' } },
      { fileData: { mimeType: 'image/png', fileUri: 'https://x.test/cat.PNG?size=2' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x.test/image' } },
      { inlineData: { mimeType: 'application/pdf', data: 'CCC' } },
      { fileData: { mimeType: 'video/mp4', fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc' } },
    ])
  })

  test('tool results with images: inlineData after the functionResponses, same content', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'shot' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'screenshot', argumentsJson: '{}' }] },
        { role: 'user', parts: [{ type: 'tool_result', callId: 'c', content: [{ type: 'text', text: 'done' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'P' } }] }] },
      ],
    })
    expect(b.contents[2]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { name: 'screenshot', id: 'c', response: { output: 'done' } } }, { inlineData: { mimeType: 'image/png', data: 'P' } }],
    })
  })

  test('custom tool calls carry their raw input as args.input; invalid JSON arguments become {}', () => {
    const b = body({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', id: 'c1', name: 'apply_patch', argumentsJson: '*** Begin Patch\n"quoted"', custom: true },
            { type: 'tool_call', id: 'c2', name: 'f', argumentsJson: '{"trunc' },
          ],
        },
      ],
    })
    expect(b.contents[1].parts.map((p: any) => p.functionCall.args)).toEqual([{ input: '*** Begin Patch\n"quoted"' }, {}])
  })
})
