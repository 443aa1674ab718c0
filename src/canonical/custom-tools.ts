// Responses `custom` tools (Codex's apply_patch) take one raw string, not JSON arguments.
// Towards every other dialect such a tool becomes a function with a single string parameter
// `input`; its calls carry `{"input": "<raw>"}` and are unwrapped again for the Responses client.
// Canonical tool_call parts with `custom: true` hold the raw input string in `argumentsJson`.

export const CUSTOM_INPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input for this tool, exactly as its format requires.' } },
  required: ['input'],
  additionalProperties: false,
}

/** raw custom input → JSON arguments for a function-style dialect */
export const wrapCustomInput = (raw: string): string => JSON.stringify({ input: raw })

/** JSON arguments produced by a function-style upstream → the raw input (lenient) */
export function unwrapCustomInput(argumentsJson: string): string {
  try {
    const v = JSON.parse(argumentsJson) as unknown
    if (v && typeof v === 'object' && typeof (v as { input?: unknown }).input === 'string') return (v as { input: string }).input
    if (typeof v === 'string') return v
  } catch {
    // not JSON: the model wrote the raw input directly
  }
  return argumentsJson
}
