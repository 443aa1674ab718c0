// Anthropic Messages (`/v1/messages`), front door and upstream.
import type { Dialect } from '../dialect'
import { decodeRequest } from './decode-request'
import { decodeResponse } from './decode-response'
import { decodeStream } from './decode-stream'
import { decodeError, encodeError, streamErrorFrames } from './encode-error'
import { encodeRequest } from './encode-request'
import { encodeResponse } from './encode-response'
import { encodeStream } from './encode-stream'

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
}

export type { AnthropicMessage } from './encode-response'
export type { AnthropicUsage } from './convert-usage'
export type { AnthropicStopReason } from './map-finish-reason'
