// Upstream: CanonRequest → the native Anthropic body InvokeModel takes for Claude. The Anthropic
// encoder does the work; Bedrock's differences are applied to its output: the API version goes in
// the body (`bedrock-2023-05-31`), the model is in the path and the endpoint decides streaming
// (no `model`, no `stream`), and `metadata` is not accepted.
import type { CanonRequest } from '../../canonical/request'
import { encodeRequest as encodeAnthropic } from '../anthropic/encode-request'
import type { Json } from '../anthropic/wire'
import { drop } from '../dropped'

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31'

/** the body, and the request fields it could not carry (the Anthropic encoder's, plus the user id) */
export function encodeInvoke(req: CanonRequest, model: string, defaultMaxTokens: number): { body: Json; dropped: string[] } {
  const { body, dropped = [] } = encodeAnthropic(req, { model, defaultMaxTokens })
  const { model: _model, stream: _stream, metadata: _metadata, ...rest } = body
  if (req.user) drop(dropped, 'user')
  return { body: { anthropic_version: BEDROCK_ANTHROPIC_VERSION, ...rest }, dropped }
}
