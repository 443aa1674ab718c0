// The real Claude Code CLI (`claude -p`) through the proxy, on every foreign upstream dialect: the
// model asks for its Bash tool, Claude Code runs it, sends the result back, and prints the answer.
// Needs the CLI: CLAUDE_CODE_BIN, or `npm install --prefix /tmp/llm-proxy-clients @anthropic-ai/claude-code`
// (.ci/run does that). Without it the test is skipped and says so.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'

const BIN = process.env.CLAUDE_CODE_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/claude'
const HAVE = existsSync(BIN)
if (!HAVE) console.warn(`claude-code-cli.test.ts: SKIPPED, no Claude Code CLI at ${BIN}`)

const UPSTREAMS = ['openai-chat', 'openai-responses', 'gemini'] as const
const dir = mkdtempSync(join(tmpdir(), 'llmp-claude-'))
const dialectOf = (path: string) =>
  path.endsWith('/chat/completions') ? 'openai-chat' : path.endsWith('/responses') ? 'openai-responses' : 'gemini'

/** has the conversation already carried a tool result? then answer with text */
const sawToolResult = (body: any): boolean => JSON.stringify(body).includes('proxied-through-llm-proxy')

describe.skipIf(!HAVE)('Claude Code CLI through the proxy', () => {
  let mock: Mock
  let proxy: TestProxy
  beforeAll(async () => {
    mock = startMock((r) => {
      const d = dialectOf(r.path)
      const file = join(dir, `${d}.txt`)
      return sawToolResult(r.body)
        ? WIRE[d](r, { text: `All done: the file for ${d} was written.` })
        : WIRE[d](r, { tools: [{ id: `call_${d.replace(/-/g, '_')}_1`, name: 'Bash', args: { command: `echo proxied-through-llm-proxy > ${file} && cat ${file}`, description: 'write a file' } }] })
    })
    proxy = await startProxy({
      providers: {
        chat: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-up' },
        resp: { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'sk-up' },
        gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-up' },
      },
      models: { 'model-openai-chat': 'chat/gpt-mock', 'model-openai-responses': 'resp/gpt-mock', 'model-gemini': 'gem/gemini-mock' },
    })
  })
  afterAll(() => {
    proxy?.stop()
    mock?.stop()
  })

  for (const up of UPSTREAMS)
    test(`a Bash tool round trip on a ${up} upstream`, async () => {
      const p = Bun.spawn([BIN, '-p', 'Write the file, then tell me you are done.', '--model', `model-${up}`, '--allowedTools', 'Bash', '--output-format', 'text'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: join(dir, 'home'),
          ANTHROPIC_BASE_URL: proxy.url,
          ANTHROPIC_API_KEY: 'sk-client-anything',
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
      expect(out).toContain(`All done: the file for ${up} was written.`)
      expect(readFileSync(join(dir, `${up}.txt`), 'utf8').trim()).toBe('proxied-through-llm-proxy')
      // two model calls reached the upstream: the tool call, then the answer after the result
      expect(mock.received.filter((r) => dialectOf(r.path) === up && /completions|responses|generatecontent/i.test(r.path)).length).toBeGreaterThanOrEqual(2)
    }, 60_000)
})
