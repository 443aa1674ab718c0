// The contract every dialect folder fulfils. Pure: no fetch, no clock, no randomness except
// through the context passed in. Nothing outside dialects/index.ts names a dialect.
import type { CanonEvent } from '../canonical/event'
import type { CanonRequest } from '../canonical/request'
import type { CanonResponse } from '../canonical/response'
import type { GatewayError } from '../errors'
import type { SseFrame } from '../framing/sse'

export type DialectName = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'bedrock' | 'echo'

/** A stateful translator, one instance per stream. push() and end() call emit synchronously. */
export interface StreamTranslator<I, O> {
  push(input: I, emit: (out: O) => void): void
  /** input ended (cleanly or not): close open blocks, emit what the format needs to finish */
  end(emit: (out: O) => void): void
}

export interface WireRequest {
  /** path appended to the provider's base_url, e.g. "/chat/completions" or "/v1/messages" */
  path: string
  body: Record<string, unknown>
  /** extra headers the dialect needs (e.g. anthropic-version) */
  headers?: Record<string, string>
}

/** A pass-through body as it goes upstream, and what of the stream the client must not see. */
export interface PassthroughAdaptation {
  body: Record<string, unknown>
  /** true for a frame (its `data`) the proxy asked for and the client did not */
  hide?: (data: string) => boolean
}

export interface EncodeOptions {
  /** the upstream model name */
  model: string
  /** used when the dialect requires max tokens and the request has none */
  defaultMaxTokens: number
}

export interface ResponseContext {
  /** the model name the client asked for: responses echo it back */
  model: string
  /** id generator (injected so tests are deterministic) */
  newId: (prefix: string) => string
  /** unix seconds */
  now: () => number
  /** the decoded client request, when an encoder needs it (Responses echoes tools, instructions…) */
  request?: CanonRequest
}

export interface ErrorReply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface Dialect {
  name: DialectName
  /** client body (already JSON-parsed, an object) → canonical; throws GatewayError(400) on bad input */
  decodeRequest(body: Record<string, unknown>): CanonRequest
  encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest
  decodeResponse(body: unknown): CanonResponse
  encodeResponse(res: CanonResponse, ctx: ResponseContext): unknown
  /** upstream SSE frames → canonical events */
  decodeStream(): StreamTranslator<SseFrame, CanonEvent>
  /** canonical events → client SSE frames */
  encodeStream(ctx: ResponseContext): StreamTranslator<CanonEvent, SseFrame>
  /** error the proxy raises, rendered for this dialect's client */
  encodeError(err: GatewayError): ErrorReply
  /** an upstream non-2xx answer of this dialect → GatewayError (status kept, message extracted) */
  decodeError(status: number, bodyText: string, headers: Headers): GatewayError
  /** the SSE frame(s) announcing an error after the stream has started */
  streamErrorFrames(err: { status: number; kind: string; message: string }): SseFrame[]
}
