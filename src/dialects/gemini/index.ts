// Google Gemini (`generateContent` / `streamGenerateContent?alt=sse`), upstream and front door.
import type { Dialect } from '../dialect'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'

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
  // upstream only for now: a Gemini front door needs pattern routes (model and stream are in the URL)
  routes: [],
  required: [['contents', ['array']]],
  upstreamPath: '/v1beta/models',
  auth: { header: 'x-goog-api-key', scheme: '' },
  modelsPath: '/v1beta/models',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  genAiSystem: 'gcp.gemini',
  discovery: { provider: 'gemini', vars: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'], families: ['gemini-*'] },
}

export type { GeminiResponse } from './encode-response'
export type { GeminiUsage } from './convert-usage'
export type { GeminiFinishReason } from './map-finish-reason'
