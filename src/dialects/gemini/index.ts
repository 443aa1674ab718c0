// Google Gemini (`generateContent` / `streamGenerateContent?alt=sse`), upstream and front door.
import type { Dialect } from '../dialect'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'
import { geminiCountReply, geminiCountRequest, geminiCountUpstream } from './count-tokens'
import { geminiPath } from './encode-request'
import { GEMINI_VERSIONS, geminiPathCall, MODELS_SEGMENT } from './front-door-path'
import { geminiModel, geminiModelList, isGeminiClient } from './models-list'
import { geminiOnVertex } from './vertex'

export const geminiDialect: Dialect = {
  name: 'gemini',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  decodeStream,
  encodeStream,
  encodeError,
  decodeError,
  streamErrorFrames,
  reasoningOrigin: 'gemini',
  // the front door's routes carry the model and the method: `/v1beta/models/{model}:{method}`
  routes: [],
  pathRoutes: {
    prefixes: GEMINI_VERSIONS.map((v) => v + MODELS_SEGMENT),
    parse: geminiPathCall,
    countRequest: geminiCountRequest,
    countReply: geminiCountReply,
    countUpstream: geminiCountUpstream,
  },
  required: [['contents', ['array']]],
  claims: isGeminiClient,
  modelList: geminiModelList,
  modelEntry: geminiModel,
  upstreamPath: '/v1beta/models',
  passthroughPath: geminiPath,
  // the route put the URL's model and stream on the body; Gemini rejects unknown fields
  adaptPassthrough: ({ model: _m, stream: _s, ...body }) => ({ body }),
  vertex: geminiOnVertex,
  auth: { header: 'x-goog-api-key', scheme: '' },
  modelsPath: '/v1beta/models',
  forward: { headers: ['x-goog-api-client'] },
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  genAiSystem: 'gcp.gemini',
  discovery: { provider: 'gemini', vars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], families: ['gemini-*'] },
}

export type { GeminiResponse } from './encode-response'
export type { GeminiUsage } from './convert-usage'
export type { GeminiFinishReason } from './map-finish-reason'
