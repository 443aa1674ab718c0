// Anthropic Messages (`/v1/messages`), front door and upstream.
import type { Dialect } from '../dialect'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'
import { addCacheMarkers } from './cache-markers'
import { anthropicModelList, claimsAnthropic } from './model-list'
import { ANTHROPIC_ORIGIN } from './origin'
import { anthropicOnVertex } from './vertex'
import { anthropicWireEdits } from './wire-edits'

export const anthropicDialect: Dialect = {
  name: 'anthropic',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  decodeStream,
  encodeStream,
  encodeError,
  decodeError,
  streamErrorFrames,
  reasoningOrigin: ANTHROPIC_ORIGIN,
  routes: ['/v1/messages', '/messages'],
  required: [['messages', ['array']]],
  claims: claimsAnthropic,
  modelList: anthropicModelList,
  countTokens: { routes: ['/v1/messages/count_tokens', '/messages/count_tokens'], upstreamSuffix: '/count_tokens' },
  // Claude Code's telemetry: accepted and dropped
  sinkRoutes: ['/api/event_logging/batch'],
  upstreamPath: '/v1/messages',
  vertex: anthropicOnVertex,
  auth: { header: 'x-api-key', scheme: '' },
  modelsPath: '/v1/models',
  forward: { headers: ['anthropic-version', 'anthropic-beta'], query: ['beta'] },
  defaultBaseUrl: 'https://api.anthropic.com',
  genAiSystem: 'anthropic',
  // message batches and files (files with anthropic-version: the OpenAI family has /v1/files too)
  api: {
    family: 'anthropic',
    paths: ['/v1/messages/batches', '/v1/messages/batches/**', '/v1/files', '/v1/files/**'],
    basePrefix: '',
    usage: { input: ['input_tokens'], output: ['output_tokens'] },
  },
  wire: anthropicWireEdits,
  cacheMarkers: addCacheMarkers,
  discovery: { provider: 'anthropic', vars: ['ANTHROPIC_API_KEY'], families: ['claude-*'] },
}

export type { AnthropicMessage } from './encode-response'
export type { AnthropicUsage } from './convert-usage'
export type { AnthropicStopReason } from './map-finish-reason'
