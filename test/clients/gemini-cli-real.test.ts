// The real Gemini CLI (`gemini -p`) through the proxy's Gemini front door, on OpenAI Chat,
// Responses and Anthropic upstreams: the model asks for its shell tool, the CLI runs it (--yolo),
// sends the result back and prints the answer. Needs the CLI: GEMINI_CLI_BIN, or
// `npm install --prefix /tmp/llm-proxy-clients @google/gemini-cli` (.ci/run does that). Without
// it the test is skipped and says so.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE } from '../helpers/wire'

const BIN = process.env.GEMINI_CLI_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/gemini'
const HAVE = existsSync(BIN)
if (!HAVE) console.warn(`gemini-cli-real.test.ts: SKIPPED, no Gemini CLI at ${BIN}`)

const UPSTREAMS = ['openai-chat', 'openai-responses', 'anthropic'] as const
const dir = mkdtempSync(join(tmpdir(), 'llmp-gemini-'))
const dialectOf = (path: string) => (path.endsWith('/chat/completions') ? 'openai-chat' : path.endsWith('/responses') ? 'openai-responses' : 'anthropic')
const sawToolResult = (body: unknown): boolean => JSON.stringify(body).includes('proxied-through-llm-proxy')

describe.skipIf(!HAVE)('Gemini CLI through the proxy', () => {
  let mock: Mock
  let proxy: TestProxy
  beforeAll(async () => {
    mock = startMock((r) => {
      const d = dialectOf(r.path)
      const file = join(dir, `${d}.txt`)
      return sawToolResult(r.body)
        ? WIRE[d](r, { text: `All done: the file for ${d} was written.` })
        : WIRE[d](r, { tools: [{ id: `call_${d.replace(/-/g, '_')}_1`, name: 'run_shell_command', args: { command: `echo proxied-through-llm-proxy > ${file} && cat ${file}`, description: 'write a file' } }] })
    })
    proxy = await startProxy({
      providers: {
        chat: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-up' },
        resp: { dialect: 'openai-responses', base_url: `${mock.url}/v1`, api_key: 'sk-up' },
        claude: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-up' },
      },
      models: { 'gemini-on-openai-chat': 'chat/gpt-mock', 'gemini-on-openai-responses': 'resp/gpt-mock', 'gemini-on-anthropic': 'claude/claude-mock' },
    })
    // headless use: API-key auth chosen, the work folder trusted
    mkdirSync(join(dir, 'home/.gemini'), { recursive: true })
    writeFileSync(join(dir, 'home/.gemini/settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } }, selectedAuthType: 'gemini-api-key' }))
  })
  afterAll(() => {
    proxy?.stop()
    mock?.stop()
  })

  for (const up of UPSTREAMS)
    test(`a shell tool round trip on a ${up} upstream`, async () => {
      const p = Bun.spawn([BIN, '-p', 'Write the file, then tell me you are done.', '-m', `gemini-on-${up}`, '--yolo'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: join(dir, 'home'),
          GEMINI_API_KEY: 'gemini-client-anything',
          GOOGLE_GEMINI_BASE_URL: proxy.url,
          GEMINI_CLI_TRUST_WORKSPACE: 'true',
          NO_COLOR: '1',
        },
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const timer = setTimeout(() => p.kill(), 80_000)
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
      clearTimeout(timer)
      if (code !== 0) console.error(err)
      expect(code).toBe(0)
      expect(out).toContain(`All done: the file for ${up} was written.`)
      expect(readFileSync(join(dir, `${up}.txt`), 'utf8').trim()).toBe('proxied-through-llm-proxy')
      // the tool call, then the answer after its result, both reached the upstream translated
      expect(mock.received.filter((r) => dialectOf(r.path) === up && sawToolResult(r.body)).length).toBeGreaterThanOrEqual(1)
    }, 90_000)
})
