import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../../src/errors'
import { decodeRequest } from '../../../../src/dialects/gemini/decode-request'
import { encodeRequest } from '../../../../src/dialects/gemini/encode-request'

describe('decodeRequest (front door)', () => {
  test('a full camelCase request', () => {
    const req = decodeRequest({
      model: 'models/gemini-2.5-flash',
      stream: true,
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather?' }, { inlineData: { mimeType: 'image/png', data: 'AAA' } }] },
        { role: 'model', parts: [{ text: 'hmm', thought: true, thoughtSignature: 'T' }, { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'F' }, { functionCall: { name: 'weather', args: { city: 'Rome' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { output: '18C' } } }, { functionResponse: { name: 'weather', response: { error: { reason: 'down' } } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'weather', description: 'd', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING', nullable: true } }, required: ['city'] } }] }, { googleSearch: {} }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
      generationConfig: { maxOutputTokens: 100, temperature: 0.5, stopSequences: ['END'], responseMimeType: 'application/json', thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } },
      safetySettings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'BLOCK_NONE' }],
    })
    expect(req.model).toBe('gemini-2.5-flash')
    expect(req.stream).toBe(true)
    expect(req.system).toEqual([{ type: 'text', text: 'Be terse.' }])
    expect(req.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAA' } }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'hmm', signature: 'T', origin: 'gemini' },
          { type: 'tool_call', id: 'call_1_1', name: 'weather', argumentsJson: '{"city":"Paris"}', signature: 'F' },
          { type: 'tool_call', id: 'call_1_2', name: 'weather', argumentsJson: '{"city":"Rome"}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'call_1_1', name: 'weather', content: [{ type: 'text', text: '18C' }] },
          { type: 'tool_result', callId: 'call_1_2', name: 'weather', content: [{ type: 'text', text: '{"reason":"down"}' }], isError: true },
        ],
      },
    ])
    expect(req.tools).toEqual([{ name: 'weather', description: 'd', parameters: { type: 'object', properties: { city: { type: ['string', 'null'] } }, required: ['city'] } }])
    expect(req.toolChoice).toEqual({ type: 'tool', name: 'weather' })
    expect(req).toMatchObject({ maxOutputTokens: 100, temperature: 0.5, stop: ['END'], responseFormat: { type: 'json_object' }, reasoning: { enabled: true, budgetTokens: 2048, summary: 'auto' } })
  })

  test('snake_case names, a string system instruction, ids echoed, response schema', () => {
    const req = decodeRequest({
      system_instruction: 'sys',
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ function_call: { id: 'abc', name: 'f', args: {} } }] },
        { role: 'user', parts: [{ function_response: { id: 'abc', name: 'f', response: { result: 1 } } }] },
      ],
      tools: [{ function_declarations: [{ name: 'f', parameters_json_schema: { type: 'object', properties: {} } }] }],
      generation_config: { max_output_tokens: 5, response_mime_type: 'application/json', response_json_schema: { type: 'object' }, thinking_config: { thinking_budget: 0 } },
    })
    expect(req.system).toEqual([{ type: 'text', text: 'sys' }])
    expect(req.messages[2].parts[0]).toEqual({ type: 'tool_result', callId: 'abc', name: 'f', content: [{ type: 'text', text: '{"result":1}' }] })
    expect(req.tools?.[0].parameters).toEqual({ type: 'object', properties: {} })
    expect(req.maxOutputTokens).toBe(5)
    expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object' } })
    expect(req.reasoning).toEqual({ enabled: false })
    expect(req.model).toBe('')
    expect(req.stream).toBe(false)
  })

  test('bad input is a 400 naming the field', () => {
    const err = (body: Record<string, unknown>) => {
      try {
        decodeRequest(body)
      } catch (e) {
        return e as GatewayError
      }
      throw new Error('no throw')
    }
    expect(err({}).status).toBe(400)
    expect(err({ contents: 'hi' }).param).toBe('contents')
    expect(err({ contents: [{ role: 'bot', parts: [] }] }).param).toBe('contents[0].role')
    expect(err({ contents: [], generationConfig: { temperature: 'hot' } }).param).toBe('generation_config.temperature')
    expect(err({ contents: [{ parts: [{ text: 5 }] }] }).param).toBe('contents[0].parts[0].text')
  })

  test('Gemini → canonical → Gemini keeps the conversation', () => {
    const client = {
      contents: [
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'F' }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { output: 'r' } } }] },
        { role: 'model', parts: [{ text: 'done', thoughtSignature: 'S' }] },
        { role: 'user', parts: [{ text: 'thanks' }] },
      ],
    }
    const body = encodeRequest(decodeRequest(client), { model: 'g', defaultMaxTokens: 1 }).body as Record<string, any>
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'q' }] },
      { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 }, id: 'call_1_0' }, thoughtSignature: 'F' }] },
      { role: 'user', parts: [{ functionResponse: { name: 'f', id: 'call_1_0', response: { output: 'r' } } }] },
      { role: 'model', parts: [{ text: 'done', thoughtSignature: 'S' }] },
      { role: 'user', parts: [{ text: 'thanks' }] },
    ])
  })
})
