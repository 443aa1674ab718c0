// Claude Code's request shape (claude-code-request.ts) through the Anthropic front door to every
// other vendor: never a 400, an upstream body the real provider would accept (roles, tool-result
// pairing, images kept, no Anthropic signatures or Anthropic-only fields), an answer the
// Anthropic SDK's stream helper assembles with stop_reason tool_use, and count_tokens.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Received } from '../helpers/mock-upstream'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'
import { upstreamView } from '../translation/upstream-view'
import { CLAUDE_CODE_BETAS, claudeCodeBody, PNG, SIGNATURES } from './claude-code-request'
import { dialectOfPath, MODEL, readSse, startRig, type Rig, type Up } from './rig'
import { claudeCodeStreamProblems, PROBLEMS } from './upstream-checks'

const FOREIGN: Up[] = ['openai-chat', 'openai-responses', 'gemini']
const ANSWER = { reasoning: 'The assertion is wrong; rerun after the fix.', text: 'Found it: the test expects true.', tools: [{ id: 'call_rerun', name: 'Bash', args: { command: 'bun test test/login.test.ts' } }] }

let rig: Rig
let client: Anthropic
beforeAll(async () => {
  rig = await startRig()
  rig.reply = (r: Received) =>
    r.path.endsWith('/count_tokens') ? { kind: 'json', body: { input_tokens: 4242 } } : WIRE[dialectOfPath(r.path)](r, ANSWER)
  client = new Anthropic({ apiKey: 'cc-key', baseURL: rig.proxy.url, maxRetries: 0 })
})
afterAll(() => rig?.stop())

const occurrences = (hay: string, needle: string) => hay.split(needle).length - 1

/** the SDK's own stream helper, called the way Claude Code calls it (beta path, beta headers) */
async function claudeCodeStream(model: string) {
  const body = { ...claudeCodeBody(model), betas: CLAUDE_CODE_BETAS }
  return client.beta.messages.stream(body as unknown as Parameters<typeof client.beta.messages.stream>[0], { headers: { 'x-app': 'cli', 'user-agent': 'claude-cli/2.1.30 (external, cli)' } }).finalMessage()
}

describe('Claude Code → another vendor', () => {
  for (const up of FOREIGN) {
    test(`→ ${up}: streamed tool call parses, stop_reason tool_use, upstream body sane`, async () => {
      const before = rig.generations().length
      const msg = await claudeCodeStream(MODEL[up])
      expect(msg.stop_reason).toBe('tool_use')
      const blocks = msg.content.map((b) => b.type)
      // Gemini's wire mock sends thought text too: a thinking block first in every case
      expect(blocks).toEqual(['thinking', 'text', 'tool_use'])
      const use = msg.content[2]
      if (use.type !== 'tool_use') throw new Error('expected tool_use')
      expect(use.name).toBe('Bash')
      expect(use.input).toEqual({ command: 'bun test test/login.test.ts' })
      expect(use.id).toMatch(/^[a-zA-Z0-9_-]+$/)
      expect(msg.usage.output_tokens).toBe(7)

      const sent = rig.generations().slice(before)
      expect(sent).toHaveLength(1)
      const r = sent[0]
      expect(r.query.get('beta')).toBeNull()
      expect(r.headers.get('anthropic-beta')).toBeNull()
      const body = r.body
      const json = JSON.stringify(body)
      expect(PROBLEMS[up](body)).toEqual([])
      for (const sig of SIGNATURES) expect(json).not.toContain(sig)
      for (const key of ['cache_control', 'defer_loading', 'context_management', 'clear_thinking', 'anthropic', 'web_search']) expect(json).not.toContain(key)
      // the screenshot inside the tool_result reaches the upstream exactly once
      expect(occurrences(json, PNG)).toBe(1)

      const v = upstreamView(up, body)
      expect(v.system).toContain("You are Claude Code, Anthropic's official CLI for Claude.")
      expect(v.system).toContain('Be concise.')
      expect(v.toolNames).toEqual(['Bash', 'Read', 'mcp__github__search_issues'])
      expect(v.reasoning).toBe(true)
      expect(v.text).toContain('The login test fails, fix it.')
      expect(v.text).toContain('Keep going.')
      // every result is there, with its text, and paired with its call's id (Gemini: by position and name)
      expect(v.toolResults).toHaveLength(3)
      expect(v.toolCallIds).toHaveLength(3)
      const outputs = v.toolResults.map((t) => t.output)
      expect(outputs[0]).toContain("import { login } from '../src/login'")
      expect(outputs[1]).toContain('Exit code 1')
      if (up !== 'gemini') expect(v.toolResults.map((t) => t.id)).toEqual(['toolu_01Read', 'toolu_02Bash', 'toolu_03Shot'])
      else expect(v.toolResults.map((t) => t.id)).toEqual(v.toolCallIds)
      const maxTokens = up === 'openai-chat' ? (body.max_completion_tokens ?? body.max_tokens) : up === 'openai-responses' ? body.max_output_tokens : body.generationConfig?.maxOutputTokens
      expect(maxTokens).toBe(32000)
    })

    test(`→ ${up}: the same request without stream gets a tool_use message`, async () => {
      const msg = await client.beta.messages.create({ ...claudeCodeBody(MODEL[up], false), betas: CLAUDE_CODE_BETAS } as unknown as Parameters<typeof client.beta.messages.create>[0], {
        timeout: 10_000,
      })
      if (!('content' in msg)) throw new Error('expected a message')
      expect(msg.stop_reason).toBe('tool_use')
      expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use'])
      expect(PROBLEMS[up](rig.generations().at(-1)!.body)).toEqual([])
    })

    for (const thinking of [{ type: 'adaptive' }, { type: 'enabled', budget_tokens: 31999 }])
      test(`→ ${up}: raw stream passes Claude Code's strict parser (thinking ${thinking.type})`, async () => {
        const res = await fetch(`${rig.proxy.url}/v1/messages?beta=true`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer cc-token', 'anthropic-version': '2023-06-01', 'anthropic-beta': CLAUDE_CODE_BETAS.join(',') },
          body: JSON.stringify({ ...claudeCodeBody(MODEL[up]), thinking }),
        })
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toContain('text/event-stream')
        const events = (await readSse(res)).filter((e) => e.data?.type !== 'ping')
        expect(claudeCodeStreamProblems(events)).toEqual([])
        expect(events.find((e) => e.data.type === 'message_delta')!.data.delta.stop_reason).toBe('tool_use')
        expect(PROBLEMS[up](rig.generations().at(-1)!.body)).toEqual([])
      })

    test(`→ ${up}: count_tokens is answered locally with a plausible count`, async () => {
      const before = rig.mock.received.length
      const { stream: _s, max_tokens: _m, ...body } = claudeCodeBody(MODEL[up])
      const res = await fetch(`${rig.proxy.url}/v1/messages/count_tokens?beta=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'cc-key', 'anthropic-version': '2023-06-01', 'anthropic-beta': CLAUDE_CODE_BETAS.join(',') },
        body: JSON.stringify(body),
      })
      expect(res.status).toBe(200)
      const out = (await res.json()) as { input_tokens: number }
      expect(Object.keys(out)).toEqual(['input_tokens'])
      // system + 5 turns + 3 tool schemas: far more than a handful, far less than a real file dump
      expect(out.input_tokens).toBeGreaterThan(150)
      expect(out.input_tokens).toBeLessThan(5000)
      expect(rig.mock.received.length).toBe(before)
    })
  }
})

describe('Claude Code → Anthropic', () => {
  test('count_tokens is forwarded to /v1/messages/count_tokens with the upstream model', async () => {
    const before = rig.mock.received.length
    const res = await client.beta.messages.countTokens({ ...claudeCodeBody(MODEL.anthropic), betas: CLAUDE_CODE_BETAS } as unknown as Parameters<typeof client.beta.messages.countTokens>[0])
    expect(res.input_tokens).toBe(4242)
    const seen = rig.mock.received.slice(before)
    expect(seen.map((r) => r.path)).toEqual(['/v1/messages/count_tokens'])
    expect(seen[0].body.model).toBe(MODEL.anthropic)
    expect(seen[0].headers.get('x-api-key')).toBe('sk-ant')
  })

  test('the streamed request is valid for Claude and keeps the signed thinking', async () => {
    const before = rig.generations().length
    const msg = await claudeCodeStream(MODEL.anthropic)
    expect(msg.stop_reason).toBe('tool_use')
    expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use'])
    const body = rig.generations()[before].body
    expect(PROBLEMS.anthropic(body)).toEqual([])
    expect(body.messages[3].content[0]).toEqual({ type: 'thinking', thinking: 'Run it and look at the screenshot.', signature: SIGNATURES[1] })
  })
})
