// OpenAI Chat Completions (`/v1/chat/completions`), front door and upstream.
import type { Dialect } from '../dialect'
import { openaiApi } from '../openai-api'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'
import { openaiModelList } from './model-list'
import { askStreamUsage } from './stream-usage'
import { chatWireEdits } from './wire-edits'

// `o[0-9]*` as plain globs (the router's globs have no character classes)
const O_SERIES = Array.from({ length: 9 }, (_, d) => `o${d + 1}*`)

export const openaiChatDialect: Dialect = {
  name: 'openai-chat',
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
  routes: ['/v1/chat/completions', '/chat/completions'],
  required: [['messages', ['array']]],
  modelList: openaiModelList,
  upstreamPath: '/chat/completions',
  auth: { header: 'authorization', scheme: 'Bearer' },
  modelsPath: '/models',
  forward: { headers: ['openai-beta'], query: ['api-version'] },
  defaultBaseUrl: 'https://api.openai.com/v1',
  genAiSystem: 'openai',
  api: openaiApi,
  wire: chatWireEdits,
  adaptPassthrough: askStreamUsage,
  // an older OpenAI-compatible server that refuses the stream_options the proxy added
  refusedAdaptation: (status, text) => (status === 400 || status === 422) && /stream_options|include_usage/.test(text),
  discovery: { provider: 'openai', vars: ['OPENAI_API_KEY'], families: ['gpt-*', ...O_SERIES, 'chatgpt-*', 'codex-*'] },
}

export type { ChatCompletion, ChatToolCall } from './encode-response'
export type { ChatUsage } from './convert-usage'
