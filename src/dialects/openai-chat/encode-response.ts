// Front door: CanonResponse → a Chat Completions body.
import { wrapCustomInput } from '../../canonical/custom-tools'
import type { CanonResponse } from '../../canonical/response'
import type { ResponseContext } from '../dialect'
import { usageToChat, type ChatUsage } from './convert-usage'
import { finishToChat, type ChatFinishReason } from './map-finish-reason'

export interface ChatToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: {
    index: 0
    message: {
      role: 'assistant'
      content: string | null
      refusal: string | null
      tool_calls?: ChatToolCall[]
      /** non-standard (DeepSeek/vLLM style), only when there is reasoning text */
      reasoning_content?: string
    }
    finish_reason: ChatFinishReason
    logprobs: null
  }[]
  usage: ChatUsage
}

export function encodeResponse(res: CanonResponse, ctx: ResponseContext): ChatCompletion {
  let text = ''
  let refusal = ''
  let reasoning = ''
  let hasText = false
  const calls: ChatToolCall[] = []
  for (const p of res.parts) {
    if (p.type === 'text') {
      text += p.text
      hasText = true
    } else if (p.type === 'refusal') refusal += p.text
    else if (p.type === 'reasoning') reasoning += p.text
    else if (p.type === 'tool_call')
      calls.push({
        id: p.id,
        type: 'function',
        // a custom tool reaches a Chat client as the function it declared: arguments {"input": raw}
        function: { name: p.name, arguments: p.custom ? wrapCustomInput(p.argumentsJson) : p.argumentsJson || '{}' },
      })
  }
  const message: ChatCompletion['choices'][0]['message'] = {
    role: 'assistant',
    content: hasText ? text : calls.length || refusal ? null : '',
    refusal: refusal || null,
  }
  if (calls.length) message.tool_calls = calls
  if (reasoning) message.reasoning_content = reasoning
  return {
    id: ctx.newId('chatcmpl-'),
    object: 'chat.completion',
    created: res.created || ctx.now(),
    model: ctx.model,
    choices: [{ index: 0, message, finish_reason: finishToChat(res.finish, calls.length > 0), logprobs: null }],
    usage: usageToChat(res.usage),
  }
}
