// The built-in `echo` provider: answers from the canonical request itself, no network. Output is a
// canonical event list that obeys every stream invariant, so it exercises the same renderers as a
// real upstream (streaming or folded for non-streaming clients). Deterministic: ids come from ctx.
import type { CanonEvent } from '../../canonical/event'
import type { CanonRequest } from '../../canonical/request'
import type { CanonFinish } from '../../canonical/response'
import type { CanonUsage } from '../../canonical/usage'
import { kindForStatus } from '../../errors'
import { countRequestTokens, countTextTokens, truncateTextTokens } from '../../tokens/count-tokens'
import { parseCalls, parseErrorStatus, type EchoCall } from './parse-commands'
import { echoedText, lastUserMessage, summaryLine, typedText } from './read-request'
import { splitAtWords, splitEvenly } from './split-text'

export interface EchoContext {
  newId: (prefix: string) => string
}

const TEXT_PIECES = 6
const REASONING_PIECES = 3
const ARGS_PIECES = 3

const wantsReasoning = (req: CanonRequest): boolean => {
  const r = req.reasoning
  if (!r || r.enabled === false) return false
  return (r.effort !== undefined && r.effort !== 'none') || (r.budgetTokens ?? 0) > 0
}

/** Token budget shared by the blocks in emission order; cuts the text that does not fit. */
class Budget {
  left: number
  truncated = false
  used = 0
  constructor(max: number | undefined) {
    this.left = max ?? Number.POSITIVE_INFINITY
  }
  take(text: string): string {
    let out = text
    let n = countTextTokens(out)
    if (n > this.left) {
      out = truncateTextTokens(out, this.left)
      n = countTextTokens(out)
      this.truncated = true
    }
    this.left -= n
    this.used += n
    return out
  }
}

export function echoRespond(req: CanonRequest, ctx: EchoContext): CanonEvent[] {
  const turn = lastUserMessage(req)
  const typed = typedText(turn)
  const id = ctx.newId('msg_echo_')

  const status = parseErrorStatus(typed)
  if (status !== undefined) {
    return [
      { type: 'start', id, model: req.model },
      { type: 'error', status, kind: kindForStatus(status), message: `echo: simulated error ${status}` },
      { type: 'end' },
    ]
  }

  const inputTokens = countRequestTokens(req)
  const events: CanonEvent[] = [{ type: 'start', id, model: req.model, usage: { inputTokens } }]
  const budget = new Budget(req.maxOutputTokens)
  let index = 0

  let reasoningTokens: number | undefined
  if (wantsReasoning(req)) {
    const thought = budget.take(`The user sent ${typed.length} characters; I will echo them back with a summary of the request.`)
    reasoningTokens = budget.used
    if (thought) {
      events.push({ type: 'block_start', index, block: { kind: 'reasoning', origin: 'openai' } })
      for (const piece of splitAtWords(thought, REASONING_PIECES)) events.push({ type: 'reasoning_delta', index, text: piece })
      events.push({ type: 'block_stop', index })
      index++
    }
  }

  const calls = budget.truncated || !req.tools?.length || req.toolChoice?.type === 'none' ? [] : parseCalls(typed, req.tools)
  let finish: CanonFinish
  if (calls.length) {
    for (const call of req.parallelToolCalls === false ? calls.slice(0, 1) : calls) pushCall(events, index++, call, ctx, budget)
    finish = 'tool_calls'
  } else {
    const text = budget.take(`echo: ${echoedText(turn)}\n${summaryLine(req)}`)
    if (text) {
      events.push({ type: 'block_start', index, block: { kind: 'text' } })
      for (const piece of splitAtWords(text, TEXT_PIECES)) events.push({ type: 'text_delta', index, text: piece })
      events.push({ type: 'block_stop', index })
    }
    finish = budget.truncated ? 'length' : 'stop'
  }

  const usage: CanonUsage = { inputTokens, outputTokens: budget.used }
  if (reasoningTokens !== undefined) usage.reasoningTokens = reasoningTokens
  events.push({ type: 'usage', usage }, { type: 'finish', finish }, { type: 'end' })
  return events
}

/** Tool calls are emitted whole (clients cannot run a cut call); their tokens still count. */
function pushCall(events: CanonEvent[], index: number, call: EchoCall, ctx: EchoContext, budget: Budget): void {
  const id = ctx.newId('call_echo_')
  events.push({ type: 'block_start', index, block: call.custom ? { kind: 'tool_call', id, name: call.name, custom: true } : { kind: 'tool_call', id, name: call.name } })
  for (const piece of splitEvenly(call.argumentsJson, ARGS_PIECES)) events.push({ type: 'tool_args_delta', index, json: piece })
  events.push({ type: 'block_stop', index })
  const n = countTextTokens(call.name) + countTextTokens(call.argumentsJson)
  budget.used += n
  budget.left -= n
}
