import { describe, expect, test } from 'bun:test'
import { anthropicDialect } from '../../../src/dialects/anthropic'
import { openaiResponsesDialect } from '../../../src/dialects/openai-responses'
import { sessionIdOf } from '../../../src/sessions/session-id'
import { entryWithProgress, historyFacts, progressBlock, SessionProgress } from '../../../src/sessions/session-progress'
import { claudeCodeBody } from '../../clients/claude-code-request'
import { CODEX_FIRST_INPUT, codexBody, PATCH } from '../../clients/codex-request'

describe('session ids', () => {
  test('from each agent: header, Claude Code metadata (both forms), Codex prompt_cache_key', () => {
    const none = new Headers()
    expect(sessionIdOf(new Headers({ 'x-session-id': 'abc' }), {})).toBe('abc')
    expect(sessionIdOf(new Headers({ session_id: 'codex-1' }), {})).toBe('codex-1')
    expect(sessionIdOf(none, claudeCodeBody('m'))).toBe('7d2e')
    expect(sessionIdOf(none, { metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: 'cc-9' }) } })).toBe('cc-9')
    expect(sessionIdOf(none, codexBody('m', []))).toBe('0199a4c2-5b1e-7f43-9c2d-3e8f1a6b7c90')
    expect(sessionIdOf(none, { messages: [] })).toBeUndefined()
    expect(sessionIdOf(new Headers({ 'x-session-id': 'x'.repeat(129) }), {})).toBeUndefined()
  })
})

describe('history facts and the block', () => {
  test('Claude Code: turns, tool calls by name, files from edit/write calls', () => {
    const body = claudeCodeBody('m')
    body.messages.push(
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_09', name: 'Edit', input: { file_path: '/repo/src/login.ts', old_string: 'a', new_string: 'b' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_09', content: 'ok' }] },
    )
    const f = historyFacts(anthropicDialect.decodeRequest(body))
    expect(f.turns).toBe(2)
    expect(Object.fromEntries(f.toolCalls)).toEqual({ Read: 2, Bash: 1, Edit: 1 })
    expect(f.files).toEqual(['/repo/src/login.ts'])
    const block = progressBlock(f, { firstSeen: 0, lastSeen: 0, requests: 3, inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 }, 125_000)
    expect(block).toBe(
      [
        '## Session progress (from the gateway)',
        '- turns so far: 2',
        '- tool calls: Read ×2, Bash ×1, Edit ×1',
        '- files edited or written: /repo/src/login.ts',
        '- tokens so far: 1200 in, 340 out (≈ $0.0123)',
        '- elapsed: 2 min over 3 requests',
      ].join('\n'),
    )
  })

  test('Codex: files from apply_patch', () => {
    const input = [...CODEX_FIRST_INPUT, { type: 'custom_tool_call', call_id: 'call_1', name: 'apply_patch', input: PATCH }, { type: 'custom_tool_call_output', call_id: 'call_1', output: 'Done' }]
    const f = historyFacts(openaiResponsesDialect.decodeRequest(codexBody('gpt-5-codex', input)))
    expect(Object.fromEntries(f.toolCalls)).toEqual({ apply_patch: 1 })
    expect(f.files).toEqual(['README.md'])
  })

  test('the block is appended to the entry\'s own system append', () => {
    expect(entryWithProgress({ system: { append: 'Be brief.' } }, 'B').system).toEqual({ append: 'Be brief.\n\nB' })
    expect(entryWithProgress({} as { system?: { append?: string } }, 'B').system).toEqual({ append: 'B' })
  })
})

describe('bounded memory', () => {
  test('LRU past the cap, forgotten after the TTL', () => {
    const s = new SessionProgress(3, 1000)
    for (const id of ['a', 'b', 'c']) s.add(id, 0, { inputTokens: 1, outputTokens: 1 }, 0)
    s.add('a', 10, undefined, 0) // a is now the most recent
    s.add('d', 20, undefined, 0)
    expect(s.size).toBe(3)
    expect(s.get('b', 20)).toBeUndefined()
    expect(s.get('a', 20)?.requests).toBe(2)
    expect(s.get('a', 2000)).toBeUndefined()
    for (let i = 0; i < 50_000; i++) s.add(`s${i}`, 30, undefined, 0)
    expect(s.size).toBe(3)
  })
})
