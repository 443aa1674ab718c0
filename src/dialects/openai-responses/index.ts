// OpenAI Responses (`/v1/responses`), front door (Codex CLI, openai SDK) and upstream.
import type { Dialect } from '../dialect'
import { openaiApi } from '../openai-api'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'
import { dropCarriedReasoning } from './carried-reasoning'
import { responsesWireEdits } from './wire-edits'
import { storedResponses } from './stored'

export const openaiResponsesDialect: Dialect = {
  name: 'openai-responses',
  decodeRequest,
  encodeRequest,
  decodeResponse,
  encodeResponse,
  decodeStream,
  encodeStream,
  encodeError,
  decodeError,
  streamErrorFrames,
  reasoningOrigin: 'openai',
  routes: ['/v1/responses', '/responses'],
  required: [['input', ['string', 'array']]],
  upstreamPath: '/responses',
  auth: { header: 'authorization', scheme: 'Bearer' },
  modelsPath: '/models',
  forward: { headers: ['openai-beta'], query: ['api-version'] },
  defaultBaseUrl: 'https://api.openai.com/v1',
  genAiSystem: 'openai',
  api: openaiApi,
  wire: responsesWireEdits,
  adaptPassthrough: (body) => ({ body: dropCarriedReasoning(body) }),
  stored: storedResponses,
}

export type { ResponsesUsage } from './convert-usage'
