// Claude Code's request shape (claude-code-request.ts) through the Anthropic front door to Bedrock,
// InvokeModel (the default for Claude) and Converse: never a 400, a body Bedrock would accept
// (checked below with the rules Bedrock enforces), SigV4-signed, and an answer the Anthropic
// SDK's stream helper assembles with stop_reason tool_use and the signed thinking.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { bedrock, BEDROCK_CREDS } from '../helpers/bedrock-wire'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { CLAUDE_CODE_BETAS, claudeCodeBody, SIGNATURES } from './claude-code-request'
import { anthropicProblems } from './upstream-checks'

type Json = Record<string, any>
const TOOL_ID = /^[a-zA-Z0-9_-]+$/
const ANSWER = { reasoning: 'The assertion is wrong; rerun after the fix.', text: 'Found it: the test expects true.', tools: [{ id: 'tooluse_rerun', name: 'Bash', args: { command: 'bun test test/login.test.ts' } }] }

/** what Bedrock Converse refuses with a ValidationException */
function converseProblems(b: Json): string[] {
  const out: string[] = []
  const known = new Set(['messages', 'system', 'inferenceConfig', 'toolConfig', 'additionalModelRequestFields', 'outputConfig', 'additionalModelResponseFieldPaths', 'requestMetadata'])
  for (const k of Object.keys(b)) if (!known.has(k)) out.push(`unknown field ${k}`)
  let cachePoints = 0
  const count = (blocks: Json[] | undefined) => (blocks ?? []).forEach((x) => (cachePoints += x.cachePoint ? 1 : 0))
  count(b.system)
  count(b.toolConfig?.tools)
  const hasToolBlocks = b.messages.some((m: Json) => m.content.some((x: Json) => x.toolUse || x.toolResult))
  if (hasToolBlocks && !b.toolConfig) out.push('toolConfig missing with tool blocks in the history')
  b.messages.forEach((m: Json, i: number) => {
    if (m.role !== (i % 2 ? 'assistant' : 'user')) out.push(`messages.${i}: role ${m.role} breaks alternation`)
    if (!m.content.length) out.push(`messages.${i}: empty content`)
    count(m.content)
    m.content.forEach((x: Json, k: number) => {
      if (Object.keys(x).length !== 1) out.push(`messages.${i}.content.${k}: not exactly one member`)
      if (typeof x.text === 'string' && !/\S/.test(x.text)) out.push(`messages.${i}.content.${k}: blank text`)
      if (x.toolUse && (!TOOL_ID.test(x.toolUse.toolUseId) || typeof x.toolUse.input !== 'object')) out.push(`messages.${i}.content.${k}: bad toolUse`)
      if (x.reasoningContent?.reasoningText && !x.reasoningContent.reasoningText.signature) out.push(`messages.${i}.content.${k}: reasoning without signature`)
    })
    const uses = m.content.filter((x: Json) => x.toolUse).map((x: Json) => x.toolUse.toolUseId)
    if (uses.length && i + 1 < b.messages.length) {
      const results = b.messages[i + 1].content.filter((x: Json) => x.toolResult).map((x: Json) => x.toolResult.toolUseId)
      if (uses.some((id: string) => !results.includes(id))) out.push(`messages.${i}: toolUse without toolResult right after`)
    }
  })
  if (cachePoints > 4) out.push(`${cachePoints} cache points (Claude takes 4)`)
  const thinking = b.additionalModelRequestFields?.thinking
  if (thinking) {
    const last = [...b.messages].reverse().find((m: Json) => m.role === 'assistant')
    if (last?.content.some((x: Json) => x.toolUse) && !last.content[0].reasoningContent) out.push('thinking on but the last tool turn does not start with its reasoning')
    if (!(b.inferenceConfig.maxTokens > thinking.budget_tokens)) out.push('maxTokens must exceed budget_tokens')
    if (b.inferenceConfig.temperature !== undefined) out.push('temperature with thinking')
  }
  return out
}

/** what InvokeModel refuses for Claude: Anthropic's rules plus Bedrock's body differences */
function invokeProblems(b: Json): string[] {
  const out = anthropicProblems(b)
  if (b.anthropic_version !== 'bedrock-2023-05-31') out.push('anthropic_version missing')
  for (const k of ['model', 'stream', 'metadata', 'context_management']) if (k in b) out.push(`${k} not accepted`)
  const json = JSON.stringify(b)
  if (json.split('"cache_control"').length - 1 > 4) out.push('more than 4 cache_control blocks')
  return out
}

let mock: Mock
let proxy: TestProxy
let client: Anthropic
const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0'

beforeAll(async () => {
  mock = startMock((r) => bedrock(r, ANSWER))
  const keys = { region: 'us-east-1', base_url: mock.url, aws_access_key_id: BEDROCK_CREDS.accessKeyId, aws_secret_access_key: BEDROCK_CREDS.secretAccessKey, max_retries: 0 }
  proxy = await startProxy({
    providers: { inv: { dialect: 'bedrock', ...keys }, conv: { dialect: 'bedrock', bedrock_api: 'converse', ...keys } },
    models: { 'cc-invoke': `inv/${CLAUDE}`, 'cc-converse': `conv/${CLAUDE}` },
  })
  client = new Anthropic({ apiKey: 'cc-key', baseURL: proxy.url, maxRetries: 0 })
})
afterAll(() => {
  proxy?.stop()
  mock?.stop()
})

describe('Claude Code → Bedrock', () => {
  for (const [model, problems] of [
    ['cc-invoke', invokeProblems],
    ['cc-converse', converseProblems],
  ] as const)
    test(`${model}: streamed tool call with signed thinking, upstream body Bedrock accepts`, async () => {
      const before = mock.received.length
      const body = { ...claudeCodeBody(model), betas: CLAUDE_CODE_BETAS }
      const msg = await client.beta.messages
        .stream(body as unknown as Parameters<typeof client.beta.messages.stream>[0], { headers: { 'x-app': 'cli', 'user-agent': 'claude-cli/2.1.30 (external, cli)' } })
        .finalMessage()
      expect(msg.stop_reason).toBe('tool_use')
      expect(msg.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use'])
      expect((msg.content[0] as any).signature).toBe(model === 'cc-invoke' ? 'sig-mock' : 'sig-bedrock')
      expect(msg.content[2]).toMatchObject({ name: 'Bash', input: { command: 'bun test test/login.test.ts' } })
      expect(mock.received.length - before).toBe(1)
      const sent = mock.received.at(-1)!
      expect(sent.headers.get('authorization')).toStartWith('AWS4-HMAC-SHA256 ')
      expect(problems(sent.body)).toEqual([])
      // Claude Code's own signed thinking goes back to Claude on Bedrock
      const json = JSON.stringify(sent.body)
      for (const sig of SIGNATURES) expect(json).toContain(sig)
    })
})
