// Codex CLI's request shape (codex-request.ts) through the Responses front door to vendors that
// have no custom tools: apply_patch goes up as a one-string function, the call comes back as a
// `custom_tool_call` with the raw patch (complete in output_item.done, which Codex executes),
// the stream is numbered from 0 and ends with response.completed and full usage; the next turn's
// custom_tool_call + output + replayed reasoning reach the upstream as a proper call/result pair.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import type { Received } from '../helpers/mock-upstream'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'
import { upstreamView } from '../translation/upstream-view'
import { CODEX_FIRST_INPUT, codexBody, PATCH } from './codex-request'
import { dialectOfPath, MODEL, readSse, startRig, type Rig, type Up } from './rig'
import { PROBLEMS } from './upstream-checks'

const TARGETS: Up[] = ['anthropic', 'openai-chat', 'gemini']
const CALL_ID = 'call_patch_1'
const PATCH_RESULT = 'Success. Updated the following files:\nM README.md\n'

let rig: Rig
beforeAll(async () => {
  rig = await startRig()
  rig.reply = (r: Received) => {
    const d = dialectOfPath(r.path)
    if (upstreamView(d, r.body).toolResults.length) return WIRE[d](r, { text: 'Done: the title mentions the docs.', usage: { input: 300, output: 12 } })
    return WIRE[d](r, { reasoning: 'Edit the title line.', text: 'Patching README.', tools: [{ id: CALL_ID, name: 'apply_patch', args: { input: PATCH } }], usage: { input: 250, output: 40 } })
  }
})
afterAll(() => rig?.stop())

const post = (body: Record<string, unknown>) =>
  fetch(`${rig.proxy.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer codex-key', originator: 'codex_cli_rs' }, body: JSON.stringify(body) })

/** the stream as Codex consumes it: numbered events, tool calls from output_item.done, the terminal event */
async function codexTurn(model: string, input: unknown[]) {
  const res = await post(codexBody(model, input))
  expect(res.status).toBe(200)
  const events = (await readSse(res)).map((e) => e.data)
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i))
  expect(events[0].type).toBe('response.created')
  const last = events.at(-1)
  expect(last.type).toBe('response.completed')
  const usage = last.response.usage
  expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens)
  expect(Number.isInteger(usage.input_tokens_details.cached_tokens)).toBe(true)
  expect(Number.isInteger(usage.output_tokens_details.reasoning_tokens)).toBe(true)
  const done = events.filter((e) => e.type === 'response.output_item.done').map((e) => e.item)
  // the terminal event's output is the same items, in order
  expect(last.response.output).toEqual(done)
  return { events, done, usage, upstream: rig.generations().at(-1)! }
}

describe('Codex CLI → a vendor without custom tools', () => {
  for (const up of TARGETS)
    test(`→ ${up}: apply_patch round trip over two turns`, async () => {
      const turn1 = await codexTurn(MODEL[up], CODEX_FIRST_INPUT)
      const call = turn1.done.find((i) => i.type === 'custom_tool_call')
      expect(call).toMatchObject({ type: 'custom_tool_call', name: 'apply_patch', input: PATCH })
      expect(typeof call.call_id).toBe('string')
      if (up !== 'gemini') expect(call.call_id).toBe(CALL_ID)
      expect(turn1.events.some((e) => e.type === 'response.function_call_arguments.delta')).toBe(false)
      expect(turn1.done.map((i) => i.type)).toEqual(['reasoning', 'message', 'custom_tool_call'])
      expect(turn1.usage).toMatchObject({ input_tokens: 250, output_tokens: 40 })

      // what went up: built-ins dropped, apply_patch as a function of one string, everything Codex-only gone
      const b1 = turn1.upstream.body
      const v1 = upstreamView(up, b1)
      expect(v1.toolNames).toEqual(['shell', 'apply_patch', 'update_plan'])
      expect(v1.system).toContain('You are Codex')
      expect(v1.system).toContain('<permissions instructions>')
      expect(v1.system.indexOf('You are Codex')).toBeLessThan(v1.system.indexOf('<permissions instructions>'))
      expect(v1.roles[0]).toBe('user')
      expect(v1.text).toContain('Mention the Japanese docs')
      expect(v1.reasoning).toBe(true)
      const json1 = JSON.stringify(b1)
      for (const key of ['web_search', 'local_shell', 'lark', 'encrypted_content', '"store"', '"include"']) expect(json1).not.toContain(key)
      // verbosity and the cache key mean the same in Chat; other vendors never see them
      if (up !== 'openai-chat') for (const key of ['verbosity', 'prompt_cache_key']) expect(json1).not.toContain(key)
      if (up === 'anthropic') {
        expect(b1.tools[1].input_schema).toMatchObject({ type: 'object', properties: { input: { type: 'string' } }, required: ['input'] })
        expect(b1.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
      }
      if (up === 'openai-chat') {
        expect(b1.tools[1].function.parameters.properties.input.type).toBe('string')
        expect(b1.parallel_tool_calls).toBe(false)
        expect([b1.verbosity, b1.prompt_cache_key, b1.reasoning_effort]).toEqual(['low', '0199a4c2-5b1e-7f43-9c2d-3e8f1a6b7c90', 'medium'])
      }

      // turn 2: Codex replays the items it got (reasoning with encrypted state and content null), plus the patch result
      const reasoning = { ...turn1.done[0], content: null, encrypted_content: 'gAAAAABo-opaque-openai-state' }
      const input2 = [...CODEX_FIRST_INPUT, reasoning, turn1.done[1], call, { type: 'custom_tool_call_output', call_id: call.call_id, output: PATCH_RESULT }]
      const turn2 = await codexTurn(MODEL[up], input2)
      expect(turn2.done.map((i) => i.type)).toEqual(['message'])
      expect(turn2.done[0].content[0].text).toBe('Done: the title mentions the docs.')

      const b2 = turn2.upstream.body
      expect(PROBLEMS[up](b2)).toEqual([])
      expect(JSON.stringify(b2)).not.toContain('gAAAAABo-opaque-openai-state')
      const v2 = upstreamView(up, b2)
      // Chat keeps the two user messages apart; the alternating vendors merge them
      expect(v2.roles).toEqual(up === 'openai-chat' ? ['user', 'user', 'assistant', 'tool'] : ['user', 'assistant', 'user'])
      expect(v2.toolResults).toEqual([{ id: v2.toolCallIds[0], output: PATCH_RESULT }])
      if (up === 'anthropic') {
        const use = b2.messages[1].content.find((x: { type: string }) => x.type === 'tool_use')
        expect(use).toEqual({ type: 'tool_use', id: CALL_ID, name: 'apply_patch', input: { input: PATCH } })
        expect(b2.messages[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: CALL_ID })
      }
      if (up === 'openai-chat') {
        const tc = b2.messages.find((m: { tool_calls?: unknown[] }) => m.tool_calls).tool_calls[0]
        expect(tc).toEqual({ id: CALL_ID, type: 'function', function: { name: 'apply_patch', arguments: JSON.stringify({ input: PATCH }) } })
      }
    })

  test('Claude keeps thinking through the tool loop: its signed thinking rides in encrypted_content (→ anthropic)', async () => {
    const turn1 = await codexTurn(MODEL.anthropic, CODEX_FIRST_INPUT)
    const [reasoning, message, call] = turn1.done
    expect(reasoning.encrypted_content).toStartWith('llmproxy.anthropic.v1:')
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: 'Edit the title line.' }])
    // Codex replays what it got, reasoning with content null
    const input2 = [...CODEX_FIRST_INPUT, { ...reasoning, content: null }, message, call, { type: 'custom_tool_call_output', call_id: call.call_id, output: PATCH_RESULT }]
    const turn2 = await codexTurn(MODEL.anthropic, input2)
    const b2 = turn2.upstream.body
    expect(PROBLEMS.anthropic(b2)).toEqual([])
    // the assistant tool turn starts with the signed thinking, so thinking can stay on (pitfall D4)
    expect(b2.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'Edit the title line.', signature: 'sig-mock' })
    expect(b2.thinking).toMatchObject({ type: 'enabled' })
    expect(JSON.stringify(b2)).not.toContain('llmproxy.anthropic')
  })

  test('Gemini keeps its signature on the call: it rides in a reasoning item before it (→ gemini)', async () => {
    const saved = rig.reply
    rig.reply = (r: Received) =>
      upstreamView('gemini', r.body).toolResults.length
        ? WIRE.gemini(r, { text: 'Done.' })
        : WIRE.gemini(r, { text: 'Patching README.', tools: [{ id: CALL_ID, name: 'apply_patch', args: { input: PATCH }, signature: 'gsig-mock-1' }] })
    try {
      const turn1 = await codexTurn(MODEL.gemini, CODEX_FIRST_INPUT)
      expect(turn1.done.map((i) => i.type)).toEqual(['message', 'reasoning', 'custom_tool_call'])
      const carrier = turn1.done[1]
      expect(carrier.summary).toEqual([])
      expect(carrier.encrypted_content).toStartWith('llmproxy.gemini-call.v1:')
      const call = turn1.done[2]
      const input2 = [...CODEX_FIRST_INPUT, ...turn1.done.slice(0, 2).map((i) => (i.type === 'reasoning' ? { ...i, content: null } : i)), call, { type: 'custom_tool_call_output', call_id: call.call_id, output: PATCH_RESULT }]
      const turn2 = await codexTurn(MODEL.gemini, input2)
      const b2 = turn2.upstream.body
      expect(PROBLEMS.gemini(b2)).toEqual([])
      const model = b2.contents.find((c: { role: string }) => c.role === 'model')
      const fc = model.parts.find((p: { functionCall?: unknown }) => p.functionCall)
      // the real signature, not Google's placeholder
      expect(fc.thoughtSignature).toBe('gsig-mock-1')
      expect(JSON.stringify(b2)).not.toContain('llmproxy.')
    } finally {
      rig.reply = saved
    }
  })

  test('the packed thinking never reaches another vendor when Codex switches models mid-conversation', async () => {
    const turn1 = await codexTurn(MODEL.anthropic, CODEX_FIRST_INPUT)
    const [reasoning, message, call] = turn1.done
    const input2 = [...CODEX_FIRST_INPUT, { ...reasoning, content: null }, message, call, { type: 'custom_tool_call_output', call_id: call.call_id, output: PATCH_RESULT }]
    for (const up of ['openai-chat', 'openai-responses', 'gemini'] as const) {
      const turn2 = await codexTurn(MODEL[up], input2)
      const wire = JSON.stringify(turn2.upstream.body)
      expect(wire).not.toContain('llmproxy.anthropic')
      expect(wire).not.toContain('sig-mock')
    }
  })

  test('the openai SDK stream helper assembles the same custom_tool_call (→ anthropic)', async () => {
    const client = new OpenAI({ apiKey: 'codex-key', baseURL: `${rig.proxy.url}/v1`, maxRetries: 0 })
    const res = await client.responses.stream(codexBody(MODEL.anthropic, CODEX_FIRST_INPUT) as unknown as Parameters<typeof client.responses.stream>[0]).finalResponse()
    expect(res.status).toBe('completed')
    expect(res.output.map((i) => i.type)).toEqual(['reasoning', 'message', 'custom_tool_call'])
    expect(res.output[2]).toMatchObject({ type: 'custom_tool_call', call_id: CALL_ID, name: 'apply_patch', input: PATCH })
  })

  test('non-streaming: the custom_tool_call item carries the raw patch (→ openai-chat)', async () => {
    const res = await post(codexBody(MODEL['openai-chat'], CODEX_FIRST_INPUT, false))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; output: Array<Record<string, unknown>> }
    expect(body.status).toBe('completed')
    expect(body.output.at(-1)).toMatchObject({ type: 'custom_tool_call', call_id: CALL_ID, name: 'apply_patch', input: PATCH })
  })

  test('previous_response_id: 400 telling the client to send the full input; nothing goes upstream', async () => {
    const before = rig.mock.received.length
    const res = await post({ ...codexBody(MODEL.anthropic, [{ role: 'user', content: 'next' }]), previous_response_id: 'resp_abc' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { message: string; param?: string; type: string } }
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.param).toBe('previous_response_id')
    expect(body.error.message).toContain('previous_response_id')
    expect(body.error.message).toMatch(/full conversation in `input`/)
    expect(rig.mock.received.length).toBe(before)
  })
})
