// Upstream answers are hostile until bounded: a 300 MB JSON answer took RSS to 2 GB, one SSE line
// without end to 2.5 GB in 3 s. Defaults no real API reaches; a provider can override the server's.
import { GatewayError } from '../errors'

export const DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024
export const DEFAULT_MAX_EVENT_SIZE = 8 * 1024 * 1024

export interface ResponseLimits {
  /** bytes of a non-streamed answer */
  response: number
  /** bytes of one SSE line or event */
  event: number
}

type Sized = { max_response_size?: number; max_event_size?: number }

export const responseLimits = (provider: Sized, server: Sized): ResponseLimits => ({
  response: provider.max_response_size ?? server.max_response_size ?? DEFAULT_MAX_RESPONSE_SIZE,
  event: provider.max_event_size ?? server.max_event_size ?? DEFAULT_MAX_EVENT_SIZE,
})

export const responseTooLarge = (provider: string, limit: number) =>
  new GatewayError(502, `provider ${provider} sent an answer larger than ${limit} bytes (max_response_size); it was cut off`, {
    code: 'bad_upstream_response',
    retryable: true,
  })
