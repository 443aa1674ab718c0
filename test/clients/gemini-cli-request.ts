// A Gemini CLI turn as it reaches a Gemini endpoint through @google/genai's generateContentStream:
// a long system instruction, its tools declared with parametersJsonSchema (some older ones as
// OpenAPI `parameters` with upper-case types), thinking on with thought summaries, temperature 0,
// and a history holding a model turn with a thought summary, a function call and the CLI's own
// call id echoed in the functionResponse. Shape from @google/gemini-cli's request code (not a
// recording): the real CLI runs in CI (the lead's).

export const GEMINI_CLI_SYSTEM = 'You are an interactive CLI agent specializing in software engineering tasks. Use the tools available to you.'

export const GEMINI_CLI_TOOLS = [
  {
    functionDeclarations: [
      {
        name: 'run_shell_command',
        description: 'Executes a shell command.',
        parametersJsonSchema: { type: 'object', properties: { command: { type: 'string' }, description: { type: 'string' } }, required: ['command'] },
      },
      {
        name: 'read_file',
        description: 'Reads a file.',
        parameters: { type: 'OBJECT', properties: { absolute_path: { type: 'STRING' }, offset: { type: 'NUMBER', nullable: true } }, required: ['absolute_path'] },
      },
      { name: 'list_directory', description: 'Lists a directory.', parametersJsonSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] } },
    ],
  },
]

export const GEMINI_CLI_CONFIG = {
  systemInstruction: GEMINI_CLI_SYSTEM,
  tools: GEMINI_CLI_TOOLS,
  temperature: 0,
  topP: 1,
  thinkingConfig: { includeThoughts: true, thinkingBudget: 8192 },
}

/** turn 2: the history after the model asked for a command (its call id as the upstream sent it, or none) */
export function geminiCliHistory(callId: string | undefined, signature?: string): any[] {
  const call: any = { name: 'run_shell_command', args: { command: 'bun test test/login.test.ts' } }
  if (callId) call.id = callId
  const callPart: any = { functionCall: call }
  if (signature) callPart.thoughtSignature = signature
  return [
    { role: 'user', parts: [{ text: 'The login test fails. Find out why.' }] },
    { role: 'model', parts: [{ text: '**Running the test**\nI should run it first.', thought: true }, { text: 'Let me run the test.' }, callPart] },
    {
      role: 'user',
      parts: [{ functionResponse: { id: callId ?? `run_shell_command-${1764700000000}-abc123`, name: 'run_shell_command', response: { output: 'FAIL test/login.test.ts\nExpected: true\nReceived: false' } } }],
    },
  ]
}
