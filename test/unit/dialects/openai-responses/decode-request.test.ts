import { describe, expect, test } from 'bun:test'
import { CUSTOM_INPUT_SCHEMA } from '../../../../src/canonical/custom-tools'
import { decodeRequest } from '../../../../src/dialects/openai-responses/decode-request'
import { GatewayError } from '../../../../src/errors'
import { codexRequest } from './codex-request'

function rejects(body: Record<string, unknown>): GatewayError {
  try {
    decodeRequest(body)
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError)
    expect((e as GatewayError).status).toBe(400)
    return e as GatewayError
  }
  throw new Error('expected a 400')
}

describe('decodeRequest: Codex CLI', () => {
  const req = decodeRequest(codexRequest())

  test('instructions then developer content form the system, in order', () => {
    expect(req.system).toEqual([
      { type: 'text', text: 'You are Codex, a coding agent.' },
      { type: 'text', text: '<permissions>sandboxed</permissions>' },
    ])
  })

  test('turns: users, one assistant turn per run of items, results grouped with the next user text', () => {
    expect(req.messages).toEqual([
      { role: 'user', parts: [{ type: 'text', text: '<environment_context>cwd=/repo</environment_context>' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Add a file a.txt' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: '**Planning**\n\nUse apply_patch.', origin: 'openai', encrypted: 'gAAAAencrypted', itemId: 'rs_abc' },
          { type: 'text', text: 'Creating the file.' },
          { type: 'tool_call', id: 'call_patch', name: 'apply_patch', argumentsJson: '*** Begin Patch\n*** Add File: a.txt\n+hi\n*** End Patch', custom: true },
        ],
      },
      { role: 'user', parts: [{ type: 'tool_result', callId: 'call_patch', name: 'apply_patch', custom: true, content: [{ type: 'text', text: 'Success. Updated: A a.txt' }] }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_shell', name: 'shell', argumentsJson: '{"command":["cat","a.txt"]}' }] },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', callId: 'call_shell', name: 'shell', content: [{ type: 'text', text: 'hi' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ])
  })

  test('tools: function flat, custom with its grammar, built-ins dropped with warnings', () => {
    expect(req.tools).toEqual([
      { name: 'shell', description: 'Runs a shell command', strict: false, parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] } },
      { name: 'apply_patch', description: 'Edit files', parameters: CUSTOM_INPUT_SCHEMA, custom: { format: { type: 'grammar', syntax: 'lark', definition: 'start: begin_patch' } } },
    ])
    const warnings = req.extras?.warnings as string[]
    expect(warnings.filter((w) => w.includes("'web_search'") || w.includes("'local_shell'")).length).toBe(2)
    expect(warnings.filter((w) => w.includes("'local_shell_call'") || w.includes("'ghost_snapshot'")).length).toBe(2)
  })

  test('settings and extras', () => {
    expect(req.model).toBe('gpt-5.1-codex')
    expect(req.stream).toBe(true)
    expect(req.toolChoice).toEqual({ type: 'auto' })
    expect(req.parallelToolCalls).toBe(false)
    expect(req.reasoning).toEqual({ effort: 'medium', summary: 'auto' })
    expect(req.extras).toMatchObject({
      verbosity: 'low',
      include: ['reasoning.encrypted_content'],
      store: false,
      prompt_cache_key: 'conv-123',
      client_metadata: { 'x-codex-turn': '2' },
    })
  })
})

describe('decodeRequest: shapes', () => {
  test('string input is one user message', () => {
    const req = decodeRequest({ model: 'm', input: 'Hello' })
    expect(req.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'Hello' }] }])
    expect(req.system).toEqual([])
    expect(req.stream).toBe(false)
    expect(req.extras).toBeUndefined()
  })

  test('easy messages without type, string content, system role hoisted mid-conversation', () => {
    const req = decodeRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'c' },
      ],
    })
    expect(req.system).toEqual([{ type: 'text', text: 'be brief' }])
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
  })

  test('images (data URL, https, file id), files, refusals', () => {
    const req = decodeRequest({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'data:image/png;base64,iVBOR', detail: 'high' },
            { type: 'input_image', image_url: 'https://x.test/a.jpg', detail: 'original' },
            { type: 'input_image', file_id: 'file-img' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' },
            { type: 'input_file', file_url: 'https://x.test/b.pdf' },
            { type: 'input_audio', input_audio: {} },
          ],
        },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }, { type: 'output_text', text: '' }] },
      ],
    })
    expect(req.messages[0].parts).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBOR' }, detail: 'high' },
      { type: 'image', source: { kind: 'url', url: 'https://x.test/a.jpg' } },
      { type: 'file', fileId: 'file-img', mediaType: 'image/*' },
      { type: 'file', data: 'JVBER', mediaType: 'application/pdf', filename: 'a.pdf' },
      { type: 'file', url: 'https://x.test/b.pdf' },
    ])
    expect(req.messages[1].parts).toEqual([{ type: 'refusal', text: 'No.' }])
  })

  test('function_call_output with content parts (an image result)', () => {
    const req = decodeRequest({
      model: 'm',
      input: [
        { type: 'function_call', call_id: 'c1', name: 'screenshot', arguments: '' },
        { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'here' }, { type: 'input_image', image_url: 'data:image/png;base64,AA' }] },
      ],
    })
    expect(req.messages[1].parts[0]).toEqual({
      type: 'tool_result',
      callId: 'c1',
      name: 'screenshot',
      content: [
        { type: 'text', text: 'here' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AA' } },
      ],
    })
  })

  test('reasoning items: null content, summary-only, empty ones skipped', () => {
    const req = decodeRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'q' },
        { type: 'reasoning', id: 'rs_1', summary: [], content: null, encrypted_content: 'E' },
        { type: 'reasoning', id: 'rs_2', summary: [], content: [{ type: 'reasoning_text', text: 'raw' }] },
        { type: 'reasoning', id: 'rs_3', summary: [] },
      ],
    })
    expect(req.messages[1].parts).toEqual([
      { type: 'reasoning', text: '', origin: 'openai', encrypted: 'E', itemId: 'rs_1' },
      { type: 'reasoning', text: 'raw', origin: 'openai', itemId: 'rs_2' },
    ])
  })

  test('tool_choice forms; a built-in choice falls back to auto with a warning', () => {
    const choice = (tool_choice: unknown) => decodeRequest({ model: 'm', input: 'x', tool_choice })
    expect(choice('none').toolChoice).toEqual({ type: 'none' })
    expect(choice('required').toolChoice).toEqual({ type: 'required' })
    expect(choice({ type: 'function', name: 'f' }).toolChoice).toEqual({ type: 'tool', name: 'f' })
    expect(choice({ type: 'custom', name: 'apply_patch' }).toolChoice).toEqual({ type: 'tool', name: 'apply_patch' })
    expect(choice({ type: 'allowed_tools', mode: 'required', tools: [] }).toolChoice).toEqual({ type: 'required' })
    const builtin = choice({ type: 'web_search' })
    expect(builtin.toolChoice).toEqual({ type: 'auto' })
    expect((builtin.extras?.warnings as string[])[0]).toContain('web_search')
  })

  test('text.format, max_output_tokens, sampling, user, metadata, effort none', () => {
    const req = decodeRequest({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      safety_identifier: 'user-1',
      metadata: { a: 'b', n: 1 },
      reasoning: { effort: 'none' },
    })
    expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true })
    expect(req.maxOutputTokens).toBe(500)
    expect(req.temperature).toBe(0.2)
    expect(req.topP).toBe(0.9)
    expect(req.user).toBe('user-1')
    expect(req.metadata).toEqual({ a: 'b' })
    expect(req.reasoning).toEqual({ effort: 'none', enabled: false })
    expect(decodeRequest({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat).toEqual({ type: 'json_object' })
  })

  test('a Chat-shaped function tool is tolerated', () => {
    const req = decodeRequest({ model: 'm', input: 'x', tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] })
    expect(req.tools).toEqual([{ name: 'f', parameters: { type: 'object' } }])
  })
})

describe('decodeRequest: 400s that name the field', () => {
  test('stored state is refused with a clear message', () => {
    const e = rejects({ model: 'm', input: 'x', previous_response_id: 'resp_1' })
    expect(e.param).toBe('previous_response_id')
    expect(e.message).toContain('does not store responses')
    expect(e.message).toContain('full conversation')
    expect(rejects({ model: 'm', input: 'x', conversation: 'conv_1' }).param).toBe('conversation')
  })

  test('missing or mistyped fields', () => {
    expect(rejects({ input: 'x' }).param).toBe('model')
    expect(rejects({ model: 'm' }).param).toBe('input')
    expect(rejects({ model: 'm', input: 5 }).param).toBe('input')
    expect(rejects({ model: 'm', input: ['x'] }).param).toBe('input[0]')
    expect(rejects({ model: 'm', input: 'x', temperature: 'hot' }).param).toBe('temperature')
    expect(rejects({ model: 'm', input: 'x', max_output_tokens: 1.5 }).param).toBe('max_output_tokens')
    expect(rejects({ model: 'm', input: 'x', tools: {} }).param).toBe('tools')
    expect(rejects({ model: 'm', input: 'x', tools: [{ type: 'function' }] }).param).toBe('tools[0].name')
    expect(rejects({ model: 'm', input: 'x', tool_choice: 'sometimes' }).param).toBe('tool_choice')
    expect(rejects({ model: 'm', input: 'x', reasoning: { effort: 'extreme' } }).param).toBe('reasoning.effort')
    expect(rejects({ model: 'm', input: 'x', text: { format: { type: 'yaml' } } }).param).toBe('text.format.type')
    expect(rejects({ model: 'm', input: [{ role: 'tool', content: 'x' }] }).param).toBe('input[0].role')
    expect(rejects({ model: 'm', input: [{ role: 'user', content: 7 }] }).param).toBe('input[0].content')
    expect(rejects({ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }).param).toBe('input[0].call_id')
    expect(rejects({ model: 'm', input: [{ type: 'function_call', call_id: 'c' }] }).param).toBe('input[0].name')
  })
})
