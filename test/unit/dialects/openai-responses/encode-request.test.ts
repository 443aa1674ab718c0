import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA } from '../../../../src/canonical/custom-tools'
import type { CanonRequest } from '../../../../src/canonical/request'
import { decodeRequest } from '../../../../src/dialects/openai-responses/decode-request'
import { encodeRequest } from '../../../../src/dialects/openai-responses/encode-request'
import { codexRequest } from './codex-request'

const OPTS = { model: 'gpt-5', defaultMaxTokens: 4096 }
const base = (extra: Partial<CanonRequest> = {}): CanonRequest => ({ model: 'client', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false, ...extra })

describe('encodeRequest', () => {
  test('a Codex request survives decode → encode (ids, unknown items and phase aside)', () => {
    const wire = encodeRequest(decodeRequest(codexRequest()), OPTS)
    expect(wire.path).toBe('/responses')
    const body = wire.body
    expect(body.model).toBe('gpt-5')
    expect(body.instructions).toBe('You are Codex, a coding agent.\n\n<permissions>sandboxed</permissions>')
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>cwd=/repo</environment_context>' }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Add a file a.txt' }] },
      { type: 'reasoning', id: 'rs_abc', summary: [{ type: 'summary_text', text: '**Planning**\n\nUse apply_patch.' }], encrypted_content: 'gAAAAencrypted' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Creating the file.' }] },
      { type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'call_patch', output: 'Success. Updated: A a.txt' },
      { type: 'function_call', call_id: 'call_shell', name: 'shell', arguments: '{"command":["cat","a.txt"]}' },
      { type: 'function_call_output', call_id: 'call_shell', output: 'hi' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
    ])
    expect(body.tools).toEqual([
      { type: 'function', name: 'shell', description: 'Runs a shell command', strict: false, parameters: (codexRequest().tools as { parameters?: unknown }[])[0].parameters },
      { type: 'custom', name: 'apply_patch', description: 'Edit files', format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch' } },
    ])
    expect(body.tool_choice).toBe('auto')
    expect(body.parallel_tool_calls).toBe(false)
    expect(body.reasoning).toEqual({ effort: 'medium', summary: 'auto' })
    expect(body.include).toEqual(['reasoning.encrypted_content'])
    expect(body.store).toBe(false)
    expect(body.stream).toBe(true)
    expect(body.text).toEqual({ verbosity: 'low' })
    expect(body.prompt_cache_key).toBe('conv-123')
    expect(body.client_metadata).toBeUndefined()
  })

  test('reasoning from other providers, or without encrypted state, is not sent', () => {
    const body = encodeRequest(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'q' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'reasoning', text: 'claude thought', signature: 'sig', origin: 'anthropic' },
              { type: 'reasoning', text: 'chat reasoning_content', origin: 'openai' },
              { type: 'reasoning', text: '', redacted: 'data', origin: 'anthropic' },
              { type: 'text', text: 'a' },
              { type: 'refusal', text: 'no' },
              { type: 'tool_call', id: 'c1', name: 'f', argumentsJson: '' },
            ],
          },
          { role: 'user', parts: [{ type: 'tool_result', callId: 'c1', content: [] }] },
        ],
      }),
      OPTS,
    ).body
    expect(body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'q' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a' }, { type: 'refusal', refusal: 'no' }] },
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      { type: 'function_call_output', call_id: 'c1', output: '' },
    ])
  })

  test('user images and files; tool results with images as content parts', () => {
    const body = encodeRequest(
      base({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AA' }, detail: 'low' },
              { type: 'image', source: { kind: 'url', url: 'https://x.test/a.png' } },
              { type: 'file', data: 'JVBER', mediaType: 'application/pdf' },
              { type: 'file', fileId: 'file-1' },
              { type: 'file', fileId: 'file-img', mediaType: 'image/*' },
              { type: 'tool_result', callId: 'c1', content: [{ type: 'text', text: 'shot' }, { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'BB' } }] },
            ],
          },
        ],
      }),
      OPTS,
    ).body
    expect(body.input).toEqual([
      {
        type: 'function_call_output',
        call_id: 'c1',
        output: [
          { type: 'input_text', text: 'shot' },
          { type: 'input_image', image_url: 'data:image/jpeg;base64,BB', detail: 'auto' },
        ],
      },
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_image', image_url: 'data:image/png;base64,AA', detail: 'low' },
          { type: 'input_image', image_url: 'https://x.test/a.png', detail: 'auto' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'file.pdf' },
          { type: 'input_file', file_id: 'file-1' },
          { type: 'input_image', file_id: 'file-img', detail: 'auto' },
        ],
      },
    ])
  })

  test('custom tools from another front door: custom tool, custom choice', () => {
    const body = encodeRequest(
      base({
        tools: [{ name: 'apply_patch', parameters: CUSTOM_INPUT_SCHEMA, custom: {} }, { name: 'f', parameters: { type: 'object' }, strict: true }],
        toolChoice: { type: 'tool', name: 'apply_patch' },
      }),
      OPTS,
    ).body
    expect(body.tools).toEqual([
      { type: 'custom', name: 'apply_patch' },
      { type: 'function', name: 'f', description: null, parameters: { type: 'object' }, strict: true },
    ])
    expect(body.tool_choice).toEqual({ type: 'custom', name: 'apply_patch' })
    expect(encodeRequest(base({ tools: [{ name: 'f', parameters: {} }], toolChoice: { type: 'tool', name: 'f' } }), OPTS).body.tool_choice).toEqual({ type: 'function', name: 'f' })
  })

  test('settings: format, tokens (min 16), sampling; no stop, seed or penalties; long user ids dropped', () => {
    const body = encodeRequest(
      base({
        system: [{ type: 'text', text: 'sys' }],
        responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
        maxOutputTokens: 1,
        temperature: 0.5,
        topP: 0.8,
        stop: ['END'],
        seed: 1,
        presencePenalty: 1,
        topK: 5,
        user: 'x'.repeat(65),
        metadata: { k: 'v' },
      }),
      OPTS,
    ).body
    expect(body).toEqual({
      model: 'gpt-5',
      instructions: 'sys',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      max_output_tokens: 16,
      temperature: 0.5,
      top_p: 0.8,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      store: false,
      metadata: { k: 'v' },
    })
    expect(encodeRequest(base({ user: 'u1' }), OPTS).body.user).toBe('u1')
  })

  test('reasoning: effort as given, a budget mapped, include only when reasoning is on', () => {
    const r = (reasoning: CanonRequest['reasoning']) => encodeRequest(base({ reasoning }), OPTS).body
    expect(r({ effort: 'high', summary: 'detailed' })).toMatchObject({ reasoning: { effort: 'high', summary: 'detailed' }, include: ['reasoning.encrypted_content'] })
    expect(r({ budgetTokens: 1024 }).reasoning).toEqual({ effort: 'low' })
    expect(r({ budgetTokens: 3000 }).reasoning).toEqual({ effort: 'medium' })
    expect(r({ budgetTokens: 20000 }).reasoning).toEqual({ effort: 'high' })
    const off = r({ effort: 'none', enabled: false })
    expect(off.reasoning).toEqual({ effort: 'none' })
    expect(off.include).toBeUndefined()
    expect(r({ enabled: false, budgetTokens: 2000 }).reasoning).toBeUndefined()
    expect(r(undefined).include).toBeUndefined()
  })
})
