// Upstream: CanonRequest → a Bedrock Runtime request. The provider's `bedrock_api` (or the model
// id) picks Converse or InvokeModel; `req.stream` picks the streaming operation of each.
import type { CanonRequest } from '../../canonical/request'
import { providerSetting, type EncodeOptions, type WireRequest } from '../dialect'
import { withDropped } from '../dropped'
import { encodeConverse } from './encode-converse'
import { encodeInvoke } from './encode-invoke'
import { apiFor, modelPath } from './model-id'

const EVENT_STREAM = 'application/vnd.amazon.eventstream'

export function encodeRequest(req: CanonRequest, opts: EncodeOptions): WireRequest {
  const configured = providerSetting(opts.provider, 'bedrock_api')
  const api = apiFor(opts.model, configured === 'converse' || configured === 'invoke' ? configured : undefined)
  if (api === 'invoke') {
    const path = modelPath(opts.model, req.stream ? 'invoke-with-response-stream' : 'invoke')
    const headers: Record<string, string> = req.stream ? { accept: EVENT_STREAM, 'x-amzn-bedrock-accept': 'application/json' } : { accept: 'application/json' }
    const { body, dropped } = encodeInvoke(req, opts.model, opts.defaultMaxTokens)
    return withDropped({ path, body, headers }, dropped)
  }
  const path = modelPath(opts.model, req.stream ? 'converse-stream' : 'converse')
  const { body, dropped } = encodeConverse(req, opts.model, opts.defaultMaxTokens)
  return withDropped({ path, body, headers: { accept: req.stream ? EVENT_STREAM : 'application/json' } }, dropped)
}
