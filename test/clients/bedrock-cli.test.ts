// The real Claude Code and Codex CLIs on a Bedrock upstream: each completes a tool-using turn
// through the proxy, against a Bedrock mock that checks every request's SigV4 signature and
// answers in AWS event-streams with real CRCs. Claude goes through InvokeModel (Claude's native
// body), a Nova-style model through Converse. Skipped, saying so, without the CLIs (see
// claude-code-cli.test.ts and codex-cli.test.ts).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bedrock, bedrockPath, BEDROCK_CREDS } from '../helpers/bedrock-wire'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'

const CLAUDE_BIN = process.env.CLAUDE_CODE_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/claude'
const CODEX_BIN = process.env.CODEX_BIN ?? '/tmp/llm-proxy-clients/node_modules/.bin/codex'
const HAVE_CLAUDE = existsSync(CLAUDE_BIN)
const HAVE_CODEX = existsSync(CODEX_BIN)
if (!HAVE_CLAUDE || !HAVE_CODEX) console.warn(`bedrock-cli.test.ts: SKIPPED for a missing CLI (claude: ${HAVE_CLAUDE}, codex: ${HAVE_CODEX})`)

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'
const NOVA = 'amazon.nova-pro-v1:0'
const MARK = 'proxied-through-bedrock'
const dir = mkdtempSync(join(tmpdir(), 'llmp-bedrock-cli-'))

let mock: Mock
let proxy: TestProxy
beforeAll(async () => {
  mock = startMock((r) => {
    const { model } = bedrockPath(r.path)
    const tag = model === CLAUDE ? 'claude' : 'nova'
    const done = JSON.stringify(r.body).includes(`${MARK}-${tag}`)
    if (done) return bedrock(r, { text: `All done on Bedrock ${tag}.` })
    // Claude Code's shell tool is Bash {command}; Codex's is exec_command {cmd}
    const client = JSON.stringify(r.body).includes('exec_command') ? 'codex' : 'claude-code'
    const file = join(dir, `${client}-${tag}.txt`)
    const tool =
      client === 'codex'
        ? { id: `tooluse_${tag}_1`, name: 'exec_command', args: { cmd: `echo ${MARK}-${tag} | tee ${file}`, workdir: dir } }
        : { id: `tooluse_${tag}_1`, name: 'Bash', args: { command: `echo ${MARK}-${tag} | tee ${file}`, description: 'write a file' } }
    return bedrock(r, { reasoning: model === CLAUDE ? 'Write the file.' : undefined, tools: [tool] })
  })
  proxy = await startProxy({
    providers: {
      aws: { dialect: 'bedrock', region: 'us-east-1', base_url: mock.url, aws_access_key_id: BEDROCK_CREDS.accessKeyId, aws_secret_access_key: BEDROCK_CREDS.secretAccessKey },
    },
    models: { 'claude-*': `aws/${CLAUDE}`, 'bedrock-claude': `aws/${CLAUDE}`, 'bedrock-nova': `aws/${NOVA}` },
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

async function run(cmd: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  const p = Bun.spawn(cmd, { cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), ...env }, stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => p.kill(), 80_000)
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  clearTimeout(timer)
  if (code !== 0) console.error(out, err)
  return { code, out: out + err }
}

describe.skipIf(!HAVE_CLAUDE)('Claude Code on Bedrock', () => {
  test('a Bash round trip on Claude through InvokeModel, signed', async () => {
    const { code, out } = await run([CLAUDE_BIN, '-p', 'Write the file, then tell me you are done.', '--model', 'claude-sonnet-4-5', '--allowedTools', 'Bash', '--output-format', 'text'], {
      ANTHROPIC_BASE_URL: proxy.url,
      ANTHROPIC_API_KEY: 'sk-client-anything',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    })
    expect(code).toBe(0)
    expect(out).toContain('All done on Bedrock claude.')
    expect(readFileSync(join(dir, 'claude-code-claude.txt'), 'utf8').trim()).toBe(`${MARK}-claude`)
    const calls = mock.received.filter((r) => bedrockPath(r.path).model === CLAUDE)
    expect(calls.length).toBeGreaterThanOrEqual(2)
    // every call reached Bedrock signed, through InvokeModel with Claude's own body
    for (const c of calls) expect(c.headers.get('authorization')).toStartWith('AWS4-HMAC-SHA256 ')
    expect(calls.every((c) => bedrockPath(c.path).op.startsWith('invoke'))).toBe(true)
  }, 90_000)
})

describe.skipIf(!HAVE_CODEX)('Codex CLI on Bedrock', () => {
  for (const [name, tag] of [
    ['bedrock-claude', 'claude'],
    ['bedrock-nova', 'nova'],
  ] as const)
    test(`an exec_command round trip on ${tag} (${tag === 'claude' ? 'InvokeModel' : 'Converse'})`, async () => {
      const { code, out } = await run([CODEX_BIN, 'exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-m', name, 'Write the file, then say you are done.'], {
        CODEX_HOME: join(dir, 'home'),
        PROXY_KEY: 'sk-client-anything',
      })
      expect(code).toBe(0)
      expect(out).toContain(`All done on Bedrock ${tag}.`)
      expect(readFileSync(join(dir, `codex-${tag}.txt`), 'utf8').trim()).toBe(`${MARK}-${tag}`)
      const ops = mock.received.filter((r) => bedrockPath(r.path).model === (tag === 'claude' ? CLAUDE : NOVA)).map((r) => bedrockPath(r.path).op)
      expect(ops.every((op) => (tag === 'claude' ? op.startsWith('invoke') : op.startsWith('converse')))).toBe(true)
    }, 90_000)
})
