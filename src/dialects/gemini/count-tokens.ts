// Front door `models/{model}:countTokens`: the body is `{contents, …}` or
// `{generateContentRequest: {model, contents, systemInstruction, tools, …}}`; the answer is
// `{totalTokens}` (counted locally, an estimate like every local count).
import { bareModel } from './encode-request'
import { isObject } from './wire'

export function geminiCountRequest(body: Record<string, unknown>): Record<string, unknown> {
  const inner = body.generateContentRequest ?? body.generate_content_request
  if (isObject(inner)) {
    const { model: _m, ...rest } = inner
    return rest
  }
  return body
}

export const geminiCountReply = (tokens: number) => ({ totalTokens: tokens })

/** a count sent to a Gemini upstream: its own model inside a generateContentRequest form */
export function geminiCountUpstream(model: string, body: Record<string, unknown>): { path: string; body: Record<string, unknown> } {
  const bare = bareModel(model)
  const inner = body.generateContentRequest ?? body.generate_content_request
  const out = isObject(inner) ? { generateContentRequest: { ...inner, model: `models/${bare}` } } : body
  return { path: `/v1beta/models/${encodeURIComponent(bare)}:countTokens`, body: out }
}
