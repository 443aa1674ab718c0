// Bedrock model ids: which API a model goes through, and the request path that names it.
// Claude ids (`anthropic.*`, or an inference profile `us.`/`eu.`/`apac.`/`global.`/… in front of
// `anthropic.`) default to InvokeModel with the native Anthropic body, so thinking signatures,
// cache_control and every Claude feature pass unchanged; everything else goes through Converse.
import { encodedPathSegment } from '../../canonical/model-name'

export type BedrockApi = 'converse' | 'invoke'

/** `anthropic.claude-…`, `us.anthropic.claude-…`, `global.anthropic.claude-…`, or an ARN naming one */
export function isClaudeModel(model: string): boolean {
  const id = model.startsWith('arn:') ? model.slice(model.lastIndexOf('/') + 1) : model
  return /^(?:[a-z]{2,6}\.)?anthropic\./.test(id)
}

/** the API to use: the provider's `bedrock_api`, else invoke for Claude ids and converse otherwise */
export function apiFor(model: string, configured: BedrockApi | undefined): BedrockApi {
  return configured ?? (isClaudeModel(model) ? 'invoke' : 'converse')
}

/**
 * `/model/{modelId}/{operation}` with the id percent-encoded as one path segment (`:` → %3A,
 * `/` → %2F): the signer then encodes it once more for the canonical request, as AWS does.
 */
export function modelPath(model: string, operation: 'converse' | 'converse-stream' | 'invoke' | 'invoke-with-response-stream' | 'count-tokens'): string {
  return `/model/${encodedPathSegment(model, 'Bedrock')}/${operation}`
}
