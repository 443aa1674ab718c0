// OpenAI Chat Completions (`/v1/chat/completions`), front door and upstream.
import type { Dialect } from '../dialect'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'

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
}

export type { ChatCompletion, ChatToolCall } from './encode-response'
export type { ChatUsage } from './convert-usage'
