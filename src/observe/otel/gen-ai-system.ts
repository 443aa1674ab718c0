// gen_ai.system for an upstream dialect (the OpenTelemetry GenAI semantic conventions' names).
const SYSTEMS: Record<string, string> = {
  'openai-chat': 'openai',
  'openai-responses': 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  bedrock: 'aws.bedrock',
}

export const genAiSystem = (dialect: string): string => SYSTEMS[dialect] ?? dialect
