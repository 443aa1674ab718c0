// Usage for the ledger on pass-through Chat streams. OpenAI reports a stream's usage only when the
// client asks for it (stream_options.include_usage), in an extra last chunk with `choices: []`;
// without it the request would be billed nothing and budgets could be streamed around. So the
// proxy asks for it itself, and hides that chunk from a client that did not ask (one that does
// not expect it may read `choices[0]` of it and fail). The `"usage":null` OpenAI then adds to the
// other chunks stays: one extra null member.
import type { PassthroughAdaptation } from '../dialect'
import { isObject, type Json } from './wire'

export function askStreamUsage(body: Json): PassthroughAdaptation {
  if (body.stream !== true) return { body }
  const options = body.stream_options
  if (isObject(options) && options.include_usage === true) return { body }
  return { body: { ...body, stream_options: { ...(isObject(options) ? options : {}), include_usage: true } }, hide: isUsageOnlyChunk }
}

/** the extra last chunk: no choices, a usage object */
export function isUsageOnlyChunk(data: string): boolean {
  if (data.indexOf('"choices"') === -1 || data.indexOf('"usage"') === -1) return false
  try {
    const chunk = JSON.parse(data) as unknown
    return isObject(chunk) && Array.isArray(chunk.choices) && chunk.choices.length === 0 && isObject(chunk.usage)
  } catch {
    return false
  }
}
