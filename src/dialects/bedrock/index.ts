// AWS Bedrock Runtime, upstream only: Converse / ConverseStream for every model family, and
// InvokeModel / InvokeModelWithResponseStream with the native Anthropic body for Claude. The model
// and the operation are in the URL (encodeRequest picks them), streams are AWS event-streams,
// requests are SigV4-signed (or carry a Bedrock API key), count_tokens asks CountTokens.
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'
import type { Dialect } from '../dialect'
import { cacheMarkers } from './cache-points'
import { countTokensRequest, readTokenCount } from './count-tokens'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { encodeRequest } from './encode-request'
import { decodeError, encodeError, streamErrorFrames } from './errors'
import { decodeRequest, encodeResponse, encodeStream } from './front-door'
import { BEDROCK_KEYS, normalizeBedrockProvider } from './provider-config'
import { signBedrockRequest } from './sign'

export const bedrockDialect: Dialect = {
  name: 'bedrock',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  decodeStream,
  encodeStream,
  encodeError,
  decodeError,
  streamErrorFrames,
  // Bedrock's reasoning signatures are Claude's: Anthropic clients must get them back
  reasoningOrigin: ANTHROPIC_ORIGIN,
  routes: [],
  required: [],
  upstreamPath: '',
  auth: { header: 'authorization', scheme: 'Bearer' },
  cacheMarkers,
  normalizeProvider: normalizeBedrockProvider,
  providerKeys: BEDROCK_KEYS,
  genAiSystem: 'aws.bedrock',
  framing: 'aws-eventstream',
  sign: signBedrockRequest,
  upstreamTokenCount: { request: countTokensRequest, read: readTokenCount },
}
