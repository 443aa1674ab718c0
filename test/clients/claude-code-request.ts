// A request shaped the way Claude Code (2.1.x) sends it, mid-session: cached system blocks,
// adaptive thinking, JSON Schema 2020-12 tools (one deferred, one server tool), metadata.user_id,
// context management, and a history with signed thinking, parallel tool calls, an error result
// and a screenshot inside a tool_result.
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='
/** Anthropic signatures in the history: never to be sent to another vendor */
export const SIGNATURES = ['EqQBCgIYAhIMsig-cc-first', 'EqQBCgIYAhIMsig-cc-second']

export const CLAUDE_CODE_BETAS = ['claude-code-20250219', 'interleaved-thinking-2025-05-14', 'context-management-2025-06-27', 'fine-grained-tool-streaming-2025-05-14']

const schema = (properties: Record<string, unknown>, required: string[]) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties,
  required,
  additionalProperties: false,
})

export const CLAUDE_CODE_TOOLS = [
  {
    name: 'Bash',
    description: 'Executes a given bash command in a persistent shell session.',
    input_schema: schema({ command: { type: 'string', description: 'The command to execute' }, timeout: { type: 'number', maximum: 600000 }, description: { type: 'string' } }, ['command']),
  },
  {
    name: 'Read',
    description: 'Reads a file from the local filesystem. Images are shown visually.',
    input_schema: schema({ file_path: { type: 'string' }, offset: { type: 'number' }, limit: { type: 'number' } }, ['file_path']),
    cache_control: { type: 'ephemeral' },
  },
  {
    name: 'mcp__github__search_issues',
    description: 'Search GitHub issues',
    input_schema: schema({ q: { type: 'string' }, labels: { type: 'array', items: { type: 'string' }, minItems: 0 } }, ['q']),
    defer_loading: true,
  },
  { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
]

export function claudeCodeBody(model: string, stream = true): Record<string, any> {
  return {
    model,
    max_tokens: 32000,
    stream,
    system: [
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude.", cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'You are an interactive CLI tool that helps users with software engineering tasks.\n\n# Tone\nBe concise.', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ],
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: '<system-reminder>\nAs you answer the user, use the context below.\n</system-reminder>' },
          { type: 'text', text: 'The login test fails, fix it. Look at the screenshot too.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'I should read the test first.', signature: SIGNATURES[0] },
          { type: 'text', text: "I'll read the test." },
          { type: 'tool_use', id: 'toolu_01Read', name: 'Read', input: { file_path: '/repo/test/login.test.ts' } },
        ],
      },
      {
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: 'toolu_01Read', content: [{ type: 'text', text: "1→import { login } from '../src/login'\n2→expect(login()).toBe(true)" }] }],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Run it and look at the screenshot.', signature: SIGNATURES[1] },
          { type: 'tool_use', id: 'toolu_02Bash', name: 'Bash', input: { command: 'bun test test/login.test.ts', description: 'Run the login test' } },
          { type: 'tool_use', id: 'toolu_03Shot', name: 'Read', input: { file_path: '/repo/shot.png' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_02Bash', content: 'Exit code 1\nerror: expect(received).toBe(expected)', is_error: true },
          { type: 'tool_result', tool_use_id: 'toolu_03Shot', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
          { type: 'text', text: 'Keep going.', cache_control: { type: 'ephemeral' } },
        ],
      },
    ],
    tools: CLAUDE_CODE_TOOLS,
    metadata: { user_id: 'user_3f9a_account_0b1c_session_7d2e' },
    thinking: { type: 'adaptive' },
    output_config: { effort: 'medium' },
    context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
  }
}
