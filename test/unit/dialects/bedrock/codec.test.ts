import { describe, expect, test } from 'bun:test'
import type { CanonRequest } from '../../../../src/canonical/request'
import { bedrockDialect } from '../../../../src/dialects/bedrock'
import { cacheMarkers } from '../../../../src/dialects/bedrock/cache-points'
import { apiFor, isClaudeModel, modelPath } from '../../../../src/dialects/bedrock/model-id'
import { GatewayError } from '../../../../src/errors'
import { fixtureJson } from './helpers'

const req = (r: Partial<CanonRequest> = {}): CanonRequest => ({ model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], stream: false, ...r })
const enc = (r: Partial<CanonRequest>, model: string, provider?: Record<string, unknown>) =>
  bedrockDialect.encodeRequest(req(r), { model, defaultMaxTokens: 1000, ...(provider && { provider: { name: 'b', ...provider } }) })

describe('model ids and API choice', () => {
  test('Claude ids (base, inference profiles, ARNs) default to invoke, others to converse', () => {
    for (const m of ['anthropic.claude-3-haiku-20240307-v1:0', 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'eu.anthropic.x', 'apac.anthropic.x', 'global.anthropic.claude-opus-4-1', 'arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-x'])
      expect(apiFor(m, undefined)).toBe('invoke')
    for (const m of ['amazon.nova-pro-v1:0', 'meta.llama3-70b-instruct-v1:0', 'us.deepseek.r1-v1:0', 'mistral.mistral-large-2407-v1:0']) expect(isClaudeModel(m)).toBe(false)
    expect(apiFor('us.anthropic.claude-x', 'converse')).toBe('converse')
    expect(apiFor('amazon.nova-pro-v1:0', 'invoke')).toBe('invoke')
  })

  test('the model id is one percent-encoded path segment', () => {
    expect(modelPath('us.anthropic.claude-x-v1:0', 'converse')).toBe('/model/us.anthropic.claude-x-v1%3A0/converse')
    expect(modelPath('arn:aws:bedrock:us-east-1:1:application-inference-profile/ab', 'invoke')).toBe('/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fab/invoke')
  })
})

describe('InvokeModel request (Claude, native body)', () => {
  test('the Anthropic body with bedrock-2023-05-31 in it, no model, no stream, no metadata', () => {
    const w = enc({ stream: true, user: 'u1', maxOutputTokens: 50, system: [{ type: 'text', text: 'Be brief.', cache: {} }] }, 'us.anthropic.claude-x-v1:0')
    expect(w.path).toBe('/model/us.anthropic.claude-x-v1%3A0/invoke-with-response-stream')
    expect(w.headers).toEqual({ accept: 'application/vnd.amazon.eventstream', 'x-amzn-bedrock-accept': 'application/json' })
    expect(w.body).toEqual({
      anthropic_version: 'bedrock-2023-05-31',
      max_tokens: 50,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
    })
    expect(enc({}, 'anthropic.claude-x').path).toEndWith('/invoke')
  })

  test('thinking with a signature replays unchanged', () => {
    const w = enc(
      {
        reasoning: { budgetTokens: 2048 },
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Q' }] },
          { role: 'assistant', parts: [{ type: 'reasoning', text: 'hmm', signature: 'SIG', origin: 'anthropic' }, { type: 'tool_call', id: 'toolu_1', name: 'f', argumentsJson: '{"a":1}' }] },
          { role: 'user', parts: [{ type: 'tool_result', callId: 'toolu_1', content: [{ type: 'text', text: 'ok' }] }] },
        ],
      },
      'global.anthropic.claude-x',
    )
    const body = w.body as any
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'hmm', signature: 'SIG' })
  })
})

describe('Converse request', () => {
  test('system, inference config, alternation, tools and tool choice', () => {
    const w = enc(
      {
        system: [{ type: 'text', text: 'Sys' }, { type: 'text', text: 'Cached', cache: { ttl: '1h' } }],
        maxOutputTokens: 100,
        temperature: 0.3,
        topP: 0.9,
        stop: ['END'],
        messages: [
          { role: 'assistant', parts: [{ type: 'text', text: 'Earlier' }] },
          { role: 'user', parts: [{ type: 'text', text: 'A' }] },
          { role: 'user', parts: [{ type: 'text', text: '  ' }, { type: 'text', text: 'B' }] },
        ],
        tools: [{ name: 'get_weather', description: 'W', parameters: { properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'required' },
      },
      'amazon.nova-pro-v1:0',
    )
    expect(w.path).toBe('/model/amazon.nova-pro-v1%3A0/converse')
    expect(w.body).toEqual({
      system: [{ text: 'Sys' }, { text: 'Cached' }, { cachePoint: { type: 'default', ttl: '1h' } }],
      messages: [
        { role: 'user', content: [{ text: '(continue)' }] },
        { role: 'assistant', content: [{ text: 'Earlier' }] },
        { role: 'user', content: [{ text: 'A' }, { text: 'B' }] },
      ],
      inferenceConfig: { temperature: 0.3, topP: 0.9, maxTokens: 100, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'get_weather', description: 'W', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }],
        toolChoice: { any: {} },
      },
    })
  })

  test('tool round trip, images, documents, reasoning replay; toolConfig declared for history-only tools', () => {
    const w = enc(
      {
        stream: true,
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Look' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' } }, { type: 'file', data: 'JVBER', mediaType: 'application/pdf', filename: 'report.v2.pdf' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'think', signature: 'SIG', origin: 'anthropic' },
              { type: 'reasoning', text: 'x', signature: 'foreign', origin: 'openai' },
              { type: 'tool_call', id: 'call.1|x', name: 'lookup', argumentsJson: '{"q":"a"}' },
            ],
          },
          { role: 'user', parts: [{ type: 'text', text: 'and?' }, { type: 'tool_result', callId: 'call.1|x', content: [{ type: 'text', text: 'found' }], isError: true }] },
        ],
      },
      'meta.llama3-70b-instruct-v1:0',
    )
    expect(w.path).toEndWith('/converse-stream')
    const body = w.body as any
    expect(body.messages[0].content.slice(1)).toEqual([
      { image: { format: 'png', source: { bytes: 'iVBOR' } } },
      { document: { format: 'pdf', name: 'report v2', source: { bytes: 'JVBER' } } },
    ])
    expect(body.messages[1].content).toEqual([
      { reasoningContent: { reasoningText: { text: 'think', signature: 'SIG' } } },
      { toolUse: { toolUseId: 'call_1_x', name: 'lookup', input: { q: 'a' } } },
    ])
    // the tool result leads its turn
    expect(body.messages[2].content).toEqual([{ toolResult: { toolUseId: 'call_1_x', content: [{ text: 'found' }], status: 'error' } }, { text: 'and?' }])
    expect(body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'lookup', inputSchema: { json: { type: 'object', properties: {} } } } }] })
  })

  test('Claude through Converse: thinking and top_k in additionalModelRequestFields, forced tool choice relaxed', () => {
    const w = enc({ reasoning: { effort: 'high' }, maxOutputTokens: 1000, temperature: 0.5, topK: 5, tools: [{ name: 'f', parameters: {} }], toolChoice: { type: 'tool', name: 'f' } }, 'us.anthropic.claude-x', { bedrock_api: 'converse' })
    const body = w.body as any
    expect(w.path).toEndWith('/converse')
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 4096 } })
    expect(body.inferenceConfig).toEqual({ maxTokens: 5096 })
    expect(body.toolConfig.toolChoice).toEqual({ auto: {} })
    const plain = enc({ temperature: 0.5, topK: 5 }, 'us.anthropic.claude-x', { bedrock_api: 'converse' }).body as any
    expect(plain.additionalModelRequestFields).toEqual({ top_k: 5 })
  })

  test('tool_choice none leaves the tools out unless the history needs them declared; temperature clamped to 0–1', () => {
    const tools = [{ name: 'f', parameters: {} }]
    const none = enc({ tools, toolChoice: { type: 'none' }, temperature: 1.7 }, 'amazon.nova-pro-v1:0').body as any
    expect(none.toolConfig).toBeUndefined()
    expect(none.inferenceConfig.temperature).toBe(1)
    const history = enc(
      {
        tools,
        toolChoice: { type: 'none' },
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'Q' }] },
          { role: 'assistant', parts: [{ type: 'tool_call', id: 't1', name: 'f', argumentsJson: '{}' }] },
          { role: 'user', parts: [{ type: 'tool_result', callId: 't1', content: [{ type: 'text', text: 'r' }] }] },
        ],
      },
      'amazon.nova-pro-v1:0',
    ).body as any
    expect(history.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'f', inputSchema: { json: { type: 'object', properties: {} } } } }] })
  })

  test('what Converse or the model family cannot carry is named in dropped', () => {
    const nova = enc({ seed: 1, presencePenalty: 0.1, user: 'u', topK: 3, reasoning: { effort: 'high' }, parallelToolCalls: false, responseFormat: { type: 'json_object' } }, 'amazon.nova-pro-v1:0')
    expect(nova.dropped?.sort()).toEqual(['parallel_tool_calls', 'presence_penalty', 'reasoning', 'response_format', 'seed', 'top_k', 'user'])
    const claude = enc({ reasoning: { effort: 'low' }, temperature: 0.2, topK: 4 }, 'us.anthropic.claude-x', { bedrock_api: 'converse' })
    expect(claude.dropped?.sort()).toEqual(['temperature', 'top_k'])
    expect(enc({ temperature: 0.2 }, 'amazon.nova-pro-v1:0').dropped).toBeUndefined()
    // InvokeModel: the Anthropic encoder's list, plus the user id (Bedrock takes no metadata)
    expect(enc({ seed: 3, user: 'u' }, 'anthropic.claude-x').dropped?.sort()).toEqual(['seed', 'user'])
  })

  test('web image URLs are a 400 that says why; s3 URLs are locations', () => {
    const img = (url: string) => enc({ messages: [{ role: 'user', parts: [{ type: 'image', source: { kind: 'url', url } }] }] }, 'amazon.nova-pro-v1:0')
    expect(() => img('https://example.com/cat.png')).toThrow(/base64 data or an s3:\/\/ location/)
    try {
      img('https://example.com/cat.png')
    } catch (e) {
      expect((e as GatewayError).status).toBe(400)
    }
    expect((img('s3://bucket/cat.jpg').body as any).messages[0].content[0]).toEqual({ image: { format: 'jpeg', source: { s3Location: { uri: 's3://bucket/cat.jpg' } } } })
  })

  test('provider cache pattern: cachePoints on Converse bodies, cache_control on invoke bodies', () => {
    const conv = enc({ system: [{ type: 'text', text: 'S' }], tools: [{ name: 'f', parameters: {} }] }, 'amazon.nova-pro-v1:0').body
    const marked = cacheMarkers(conv, 'last_user_message') as any
    expect(marked.messages[0].content.at(-1)).toEqual({ cachePoint: { type: 'default' } })
    expect(marked.system.at(-1)).toEqual({ cachePoint: { type: 'default' } })
    expect(marked.toolConfig.tools.at(-1)).toEqual({ cachePoint: { type: 'default' } })
    // the request's own cache points win
    const own = enc({ system: [{ type: 'text', text: 'S', cache: {} }] }, 'amazon.nova-pro-v1:0').body
    expect(cacheMarkers(own, 'last_user_message')).toBe(own)
    const inv = cacheMarkers(enc({}, 'anthropic.claude-x').body, 'last_user_message') as any
    expect(inv.messages[0].content[0].cache_control).toEqual({ type: 'ephemeral' })
  })
})

describe('responses', () => {
  test('Converse text recording (usage with both spellings of the cache counts)', () => {
    const r = bedrockDialect.decodeResponse(fixtureJson('converse-text.json'))
    expect(r.parts).toEqual([{ type: 'text', text: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."' }])
    expect(r.finish).toBe('stop')
    expect(r.usage).toEqual({ inputTokens: 22, outputTokens: 57, cacheReadTokens: 0, cacheWriteTokens: 0 })
  })

  test('Converse reasoning recording: signed reasoning, then text', () => {
    const r = bedrockDialect.decodeResponse(fixtureJson('converse-reasoning.json'))
    expect(r.parts[0]).toMatchObject({ type: 'reasoning', origin: 'anthropic', text: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.' })
    expect((r.parts[0] as any).signature).toStartWith('EvYBCkgICxAB')
    expect(r.parts[1].type).toBe('text')
  })

  test('Converse tool use; InvokeModel answers decode as Anthropic messages', () => {
    const t = bedrockDialect.decodeResponse({ output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: { a: 1 } } }] } }, stopReason: 'tool_use', usage: { inputTokens: 3, outputTokens: 4 } })
    expect(t.parts).toEqual([{ type: 'tool_call', id: 't1', name: 'f', argumentsJson: '{"a":1}' }])
    expect(t.finish).toBe('tool_calls')
    const a = bedrockDialect.decodeResponse({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude', content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', usage: { input_tokens: 5, output_tokens: 2 } })
    expect(a.parts).toEqual([{ type: 'text', text: 'hi' }])
    expect(a.usage).toEqual({ inputTokens: 5, outputTokens: 2 })
  })
})

describe('errors', () => {
  const err = (status: number, type: string | null, body: unknown) =>
    bedrockDialect.decodeError(status, JSON.stringify(body), new Headers(type ? { 'x-amzn-errortype': type } : {}))

  test('each AWS error type gets the status that drives failover', () => {
    const cases: Array<[number, string, number, boolean]> = [
      [429, 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/', 429, true],
      [400, 'ValidationException', 400, false],
      [403, 'AccessDeniedException', 403, false],
      [403, 'UnrecognizedClientException', 401, false],
      [403, 'InvalidSignatureException', 401, false],
      [429, 'ModelNotReadyException', 429, true],
      [503, 'ServiceUnavailableException', 503, true],
      [500, 'InternalServerException', 500, true],
      [404, 'ResourceNotFoundException', 404, false],
      [400, 'ServiceQuotaExceededException', 429, true],
    ]
    for (const [http, type, status, retryable] of cases) {
      const e = err(http, type, { message: 'why' })
      expect([type, e.status, e.retryable]).toEqual([type, status, retryable])
      expect(e.message).toContain('why')
    }
  })

  test('the type from the body when the header is missing; Message spelled either way', () => {
    const e = err(400, null, { __type: 'com.amazon.coral.validate#ValidationException', Message: 'bad input' })
    expect(e.status).toBe(400)
    expect(e.message).toBe('ValidationException: bad input')
  })
})
