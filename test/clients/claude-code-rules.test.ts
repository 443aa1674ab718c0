// Content-aware routing with the real Claude Code CLI: its main requests go to the main model and
// its background requests (a subagent on the haiku tier) to a small model on another upstream,
// by a rule on the requested name. Skipped, saying so, without the CLI (see claude-code-cli.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

const BIN = process.env.CLAUDE_CODE_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/claude'
const HAVE = existsSync(BIN)
if (!HAVE) console.warn(`claude-code-rules.test.ts: SKIPPED, no Claude Code CLI at ${BIN}`)

describe.skipIf(!HAVE)('Claude Code background and main requests routed by rule', () => {
  let main: Mock, small: Mock, proxy: TestProxy
  const dir = mkdtempSync(join(tmpdir(), 'llmp-claude-rules-'))
  beforeAll(async () => {
    // the main model delegates to the helper agent once, then answers with what it said
    main = startMock((r) =>
      JSON.stringify(r.body).includes('the helper says 42')
        ? openaiChat(r, { text: 'All done: the helper says 42.' })
        : openaiChat(r, { tools: [{ id: 'call_agent_1', name: 'Agent', args: { description: 'ask the helper', prompt: 'What is the answer?', subagent_type: 'helper', run_in_background: false } }] }),
    )
    small = startMock((r) => openaiChat(r, { text: 'the helper says 42' }))
    proxy = await startProxy({
      providers: {
        big: { dialect: 'openai-chat', base_url: `${main.url}/v1`, api_key: 'sk-main' },
        cheap: { dialect: 'openai-chat', base_url: `${small.url}/v1`, api_key: 'sk-small' },
      },
      models: {
        'claude-*': {
          targets: ['big/main-model'],
          rules: [{ name: 'background', when: { model: 'claude-*haiku*' }, target: 'cheap/small-model' }],
        },
      },
    })
  })
  afterAll(() => {
    proxy?.stop()
    main?.stop()
    small?.stop()
  })

  test('a subagent turn: main requests on the main upstream, background ones on the small one', async () => {
    const agents = JSON.stringify({ helper: { description: 'Answers questions briefly', prompt: 'You answer briefly.', model: 'haiku' } })
    const p = Bun.spawn([BIN, '-p', 'Ask the helper agent for the answer, then tell me.', '--model', 'claude-sonnet-4-5', '--agents', agents, '--allowedTools', 'Agent', '--output-format', 'text'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: join(dir, 'home'),
        ANTHROPIC_BASE_URL: proxy.url,
        ANTHROPIC_API_KEY: 'sk-client-anything',
        ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-4-5',
        DISABLE_TELEMETRY: '1',
        DISABLE_ERROR_REPORTING: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
    if (code !== 0) console.error(err)
    expect(code).toBe(0)
    expect(out).toContain('All done: the helper says 42.')
    const mainModels = main.received.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model)
    const smallModels = small.received.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model)
    expect(mainModels.length).toBeGreaterThanOrEqual(2)
    expect(new Set(mainModels)).toEqual(new Set(['main-model']))
    expect(smallModels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(smallModels)).toEqual(new Set(['small-model']))
    // the proxy says which rule decided, in its request log lines
    const ruled = proxy.logs.filter((l) => l.includes('"msg":"request"') && l.includes('"rule":"background"'))
    expect(ruled.length).toBe(smallModels.length)
  }, 90_000)
})
