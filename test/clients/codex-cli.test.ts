// The real Codex CLI (`codex exec`) through the proxy's Responses front door, on every foreign
// upstream dialect: the model calls Codex's exec_command tool, Codex runs it, sends the output
// back, and prints the answer; on Claude, the signed thinking Codex replays (carried in the
// reasoning item's encrypted_content) reaches Claude again with the tool call, and Gemini gets
// its call's thoughtSignature back the same way. Needs the CLI: CODEX_BIN, or
// `npm install --prefix /tmp/llm-proxy-clients @openai/codex` (.ci/run does that); else skipped.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'

const BIN = process.env.CODEX_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/codex'
const HAVE = existsSync(BIN)
if (!HAVE) console.warn(`codex-cli.test.ts: SKIPPED, no Codex CLI at ${BIN}`)

const UPSTREAMS = ['anthropic', 'openai-chat', 'gemini'] as const
const dir = mkdtempSync(join(tmpdir(), 'llmp-codex-'))
const dialectOf = (path: string) => (path.endsWith('/chat/completions') ? 'openai-chat' : path.includes('/v1beta/') ? 'gemini' : 'anthropic')
const MARK = 'proxied-through-llm-proxy'

describe.skipIf(!HAVE)('Codex CLI through the proxy', () => {
  let mock: Mock
  let proxy: TestProxy
  beforeAll(async () => {
    mock = startMock((r) => {
      const d = dialectOf(r.path)
      const file = join(dir, `${d}.txt`)
      return JSON.stringify(r.body).includes(`${MARK}-${d}`)
        ? WIRE[d](r, { text: `All done on ${d}.` })
        : WIRE[d](r, {
            reasoning: 'Write the file with tee.',
            tools: [{ id: `call_${d.replace(/-/g, '_')}_1`, name: 'exec_command', args: { cmd: `echo ${MARK}-${d} | tee ${file}`, workdir: dir }, signature: 'gsig-cli' }],
          })
    })
    proxy = await startProxy({
      providers: {
        ant: { dialect: 'anthropic', base_url: mock.url, api_key: 'sk-up' },
        chat: { dialect: 'openai-chat', base_url: `${mock.url}/v1`, api_key: 'sk-up' },
        gem: { dialect: 'gemini', base_url: mock.url, api_key: 'sk-up' },
      },
      models: { 'model-anthropic': 'ant/claude-mock', 'model-openai-chat': 'chat/gpt-mock', 'model-gemini': 'gem/gemini-mock' },
    })
    mkdirSync(join(dir, 'home'), { recursive: true })
    writeFileSync(
      join(dir, 'home', 'config.toml'),
      `model_provider = "proxy"\nmodel_reasoning_effort = "medium"\n\n[model_providers.proxy]\nname = "llm-proxy"\nbase_url = "${proxy.url}/v1"\nwire_api = "responses"\nenv_key = "PROXY_KEY"\n`,
    )
  })
  afterAll(() => {
    proxy?.stop()
    mock?.stop()
  })

  for (const up of UPSTREAMS)
    test(`an exec_command round trip on a ${up} upstream`, async () => {
      const p = Bun.spawn([BIN, 'exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-m', `model-${up}`, 'Write the file, then say you are done.'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), CODEX_HOME: join(dir, 'home'), PROXY_KEY: 'sk-client-anything' },
        stdout: 'pipe',
        stderr: 'pipe',
      })
      const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
      if (code !== 0) console.error(out, err)
      expect(code).toBe(0)
      expect(out + err).toContain(`All done on ${up}.`)
      expect(readFileSync(join(dir, `${up}.txt`), 'utf8').trim()).toBe(`${MARK}-${up}`)
      if (up === 'anthropic') {
        // Codex replayed the reasoning item we gave it: Claude gets its signed thinking back before
        // the tool call, and thinking stays on for the tool loop
        const last = mock.received.filter((r) => dialectOf(r.path) === 'anthropic').at(-1)!.body
        const turn = last.messages.find((m: { role: string; content: unknown }) => m.role === 'assistant' && Array.isArray(m.content))
        expect(turn.content[0]).toEqual({ type: 'thinking', thinking: 'Write the file with tee.', signature: 'sig-mock' })
        expect(last.thinking).toMatchObject({ type: 'enabled' })
      }
      if (up === 'gemini') {
        // and Gemini gets its signature back on the call, not Google's placeholder
        const last = mock.received.filter((r) => dialectOf(r.path) === 'gemini').at(-1)!.body
        const call = last.contents.flatMap((c: { parts: Array<Record<string, unknown>> }) => c.parts).find((p: Record<string, unknown>) => p.functionCall)
        expect(call.thoughtSignature).toBe('gsig-cli')
      }
    }, 60_000)
})
