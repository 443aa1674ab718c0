// The requests each lane sends, per client dialect. The model name carries the mock's shape
// (`-c<chunks>-d<delay ms>`); `gpt-*` routes to the OpenAI mock, `claude-*` to the Anthropic one.
import type { StreamReq } from './stream-client'

export type ClientDialect = 'chat' | 'anthropic' | 'responses'

export interface Target {
  name: 'direct' | 'bare' | 'llm' | 'auth'
  base: string
  /** the proxy process (CPU and memory readings); none for direct */
  pid?: number
  /** client key, for the lane with auth */
  key?: string
}

const PROMPT = 'Write a short greeting.'

export function buildReq(t: Target, dialect: ClientDialect, model: string, chunks: number, stream: boolean): StreamReq {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (dialect === 'chat') {
    if (t.key) headers.authorization = `Bearer ${t.key}`
    const body = { model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 256, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) }
    return { url: `${t.base}/v1/chat/completions`, headers, body: JSON.stringify(body), chunks, endMarker: '[DONE]' }
  }
  if (dialect === 'anthropic') {
    headers['anthropic-version'] = '2023-06-01'
    if (t.key) headers['x-api-key'] = t.key
    const body = { model, max_tokens: 256, messages: [{ role: 'user', content: PROMPT }], stream }
    return { url: `${t.base}/v1/messages`, headers, body: JSON.stringify(body), chunks, endMarker: 'message_stop' }
  }
  if (t.key) headers.authorization = `Bearer ${t.key}`
  const body = { model, input: PROMPT, max_output_tokens: 256, stream }
  return { url: `${t.base}/v1/responses`, headers, body: JSON.stringify(body), chunks, endMarker: 'response.completed' }
}

export const modelName = (family: 'gpt' | 'claude', chunks: number, delayMs: number) => `${family}-bench-c${chunks}-d${delayMs}`
