// A request shaped the way Codex CLI (0.1xx) sends it to /v1/responses: instructions, a developer
// message, the freeform `apply_patch` custom tool with its Lark grammar, function tools, built-ins
// only OpenAI runs, reasoning with encrypted state, store:false, a prompt cache key.
export const PATCH = '*** Begin Patch\n*** Update File: README.md\n@@\n-# app\n+# app — ✨ 日本語 docs\n*** End Patch\n'

const GRAMMAR = `start: begin_patch hunk+ end_patch
begin_patch: "*** Begin Patch" LF
end_patch: "*** End Patch" LF?
hunk: add_hunk | delete_hunk | update_hunk
add_hunk: "*** Add File: " filename LF add_line+
delete_hunk: "*** Delete File: " filename LF
update_hunk: "*** Update File: " filename LF change?
filename: /(.+)/
add_line: "+" /(.*)/ LF -> line
change: (change_context | change_line)+
change_context: ("@@" | "@@ " /(.+)/) LF
change_line: ("+" | "-" | " ") /(.*)/ LF
%import common.LF`

export const CODEX_TOOLS = [
  {
    type: 'function',
    name: 'shell',
    description: 'Runs a shell command and returns its output.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { command: { type: 'array', items: { type: 'string' } }, workdir: { type: 'string' }, timeout_ms: { type: 'number' } },
      required: ['command'],
      additionalProperties: false,
    },
  },
  { type: 'custom', name: 'apply_patch', description: 'Use the `apply_patch` tool to edit files. This is a FREEFORM tool.', format: { type: 'grammar', syntax: 'lark', definition: GRAMMAR } },
  { type: 'web_search' },
  { type: 'local_shell' },
  {
    type: 'function',
    name: 'update_plan',
    description: 'Updates the task plan.',
    strict: false,
    parameters: { type: 'object', properties: { plan: { type: 'array', items: { type: 'object', properties: { step: { type: 'string' }, status: { type: 'string' } }, required: ['step', 'status'] } } }, required: ['plan'] },
  },
]

export const CODEX_FIRST_INPUT = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions instructions>\nFilesystem sandboxing: workspace-write.\n</permissions instructions>' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/repo</cwd>\n  <shell>bash</shell>\n</environment_context>' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Mention the Japanese docs in the README title.' }] },
]

export function codexBody(model: string, input: unknown[], stream = true): Record<string, unknown> {
  return {
    model,
    instructions: 'You are Codex, based on GPT-5. You are running as a coding agent in the Codex CLI on a user\'s computer.',
    input,
    tools: CODEX_TOOLS,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '0199a4c2-5b1e-7f43-9c2d-3e8f1a6b7c90',
    text: { verbosity: 'low' },
  }
}
