// inject_progress through the gateway: a Claude Code session translated to a Chat upstream, the
// same session passed through to an Anthropic upstream, and a Codex session: each upstream
// request's system prompt carries the session's progress, and the tokens of finished requests.
import { afterAll, expect, test } from 'bun:test'
import { startMock, type Received } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { anthropic, openaiChat } from '../helpers/wire'
import { claudeCodeBody } from '../clients/claude-code-request'
import { CODEX_FIRST_INPUT, codexBody } from '../clients/codex-request'

const up = startMock((r: Received) => (r.path.endsWith('/v1/messages') ? anthropic(r, { text: 'ok', usage: { input: 100, output: 20 } }) : openaiChat(r, { text: 'ok', usage: { input: 100, output: 20 } })))
afterAll(() => up.stop())

const raw = {
  providers: {
    chat: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'k' },
    claude: { dialect: 'anthropic', base_url: up.url, api_key: 'k' },
  },
  models: {
    'claude-*': { targets: ['chat/gpt-5'], inject_progress: true, system: { append: 'Answer in English.' } },
    'pass-*': { targets: ['claude/claude-sonnet-4-5'], inject_progress: true },
    'gpt-5*': { targets: ['chat/gpt-5'], inject_progress: true },
    plain: 'chat/gpt-5',
  },
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://proxy.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body: JSON.stringify(body) })

const chatSystem = (r: Received) => r.body.messages.filter((m: any) => m.role === 'system' || m.role === 'developer').map((m: any) => (typeof m.content === 'string' ? m.content : m.content.map((p: any) => p.text).join(''))).join('\n')

test('a Claude Code session on a Chat upstream: progress and tokens so far reach the system prompt', async () => {
  const { gateway } = await startGateway(raw)
  try {
    const first = await gateway.fetch(post('/v1/messages', claudeCodeBody('claude-sonnet-4-5', false)))
    expect(first.status).toBe(200)
    await first.text()
    let sys = chatSystem(up.received.at(-1)!)
    expect(sys).toContain('Answer in English.\n\n## Session progress (from the gateway)')
    expect(sys).toContain('- tool calls: Read ×2, Bash ×1')
    expect(sys).toContain('- tokens so far: 0 in, 0 out')
    const second = await gateway.fetch(post('/v1/messages', claudeCodeBody('claude-sonnet-4-5', true)))
    await second.text()
    sys = chatSystem(up.received.at(-1)!)
    expect(sys).toContain('- tokens so far: 100 in, 20 out')
    expect(sys).toMatch(/- elapsed: \d+ s over 1 request\n?/)
    // another entry without inject_progress: untouched
    await (await gateway.fetch(post('/v1/chat/completions', { model: 'plain', messages: [{ role: 'user', content: 'hi' }] }))).text()
    expect(chatSystem(up.received.at(-1)!)).toBe('')
  } finally {
    await gateway.close()
  }
})

test('pass-through to Anthropic keeps the client body but adds the block to its system', async () => {
  const { gateway } = await startGateway(raw)
  try {
    const res = await gateway.fetch(post('/v1/messages', claudeCodeBody('pass-through', false)))
    expect(res.status).toBe(200)
    await res.text()
    const sent = up.received.at(-1)!
    expect(sent.path).toBe('/v1/messages')
    const text = JSON.stringify(sent.body.system)
    expect(text).toContain("You are Claude Code, Anthropic's official CLI for Claude.")
    expect(text).toContain('## Session progress (from the gateway)')
    // the client's own cache markers are kept
    expect(sent.body.system[0].cache_control).toEqual({ type: 'ephemeral' })
  } finally {
    await gateway.close()
  }
})

test('a Codex session named by its session header', async () => {
  const { gateway } = await startGateway(raw)
  try {
    const body = { ...codexBody('gpt-5-codex', CODEX_FIRST_INPUT, false), prompt_cache_key: undefined }
    await (await gateway.fetch(post('/v1/responses', body, { session_id: 'codex-session-1' }))).text()
    expect(chatSystem(up.received.at(-1)!)).toContain('- turns so far: 2')
    // no session named at all: nothing is added
    await (await gateway.fetch(post('/v1/responses', body))).text()
    expect(chatSystem(up.received.at(-1)!)).not.toContain('Session progress')
  } finally {
    await gateway.close()
  }
})
