// Bedrock CountTokens (`POST /model/{id}/count-tokens`) for Claude models: the InvokeModel body
// the request would send, base64-encoded in `{"input":{"invokeModel":{"body"}}}`; the answer is
// `{"inputTokens": N}`. CountTokens takes base model ids, so a cross-region inference profile's
// geography prefix (`us.`, `eu.`, `global.`…) is dropped. Other families have no CountTokens: the
// proxy counts locally.
import type { CanonRequest } from '../../canonical/request'
import type { WireRequest } from '../dialect'
import { asNumber, isObject } from '../anthropic/wire'
import { encodeInvoke } from './encode-invoke'
import { isClaudeModel, modelPath } from './model-id'

export function countTokensRequest(req: CanonRequest, model: string): WireRequest | undefined {
  if (!isClaudeModel(model) || model.startsWith('arn:')) return undefined
  const base = model.replace(/^[a-z]{2,6}\.(?=anthropic\.)/, '')
  const body = Buffer.from(JSON.stringify(encodeInvoke({ ...req, stream: false }, base, 1).body)).toString('base64')
  return { path: modelPath(base, 'count-tokens'), body: { input: { invokeModel: { body } } } }
}

export function readTokenCount(body: unknown): number | undefined {
  return isObject(body) ? asNumber(body.inputTokens) : undefined
}
