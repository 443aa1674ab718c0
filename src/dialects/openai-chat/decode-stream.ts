// Upstream: Chat Completions SSE chunks → canonical events.
//
// Block layout: text and reasoning share one "current" block that is closed when the kind
// switches or a tool call starts (text after a tool opens a new block). Tool calls are routed by
// their upstream `index` and stay open until finish_reason, since compatible servers may
// interleave argument fragments of several calls. Only choice 0 is translated (n > 1 is not
// fanned out here). A finish_reason chunk counts as completion even if `[DONE]` never follows.
import { withQuoted, type CanonEvent } from '../../canonical/event'
import { kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { StreamTranslator } from '../dialect'
import { StreamDecoder } from '../stream-decoder'
import { usageFromChat } from './convert-usage'
import { statusForError } from './encode-error'
import { finishFromChat } from './map-finish-reason'
import { DeltaChunkReader } from './read-delta-chunk'
import { isObject, type Json } from './wire'

type Emit = (e: CanonEvent) => void

const NONE = 0
const TEXT = 1
const REASONING = 2

export class ChatStreamDecoder extends StreamDecoder {
  private nextBlock = 0
  private textKind = NONE
  private textBlock = -1
  /** upstream tool index → canonical block / call id */
  private blockOf: number[] = []
  private idOf: string[] = []
  private lastTool = 0
  /** open tool blocks in opening order */
  private openTools: number[] = []
  private readonly fast = new DeltaChunkReader()

  push(frame: SseFrame, emit: Emit): void {
    if (this.done) return
    const data = frame.data
    if (data === '[DONE]') return this.terminate(emit)
    if (data.length === 0) return
    // the plain text chunk, read in place (no JSON.parse)
    const fast = this.fast
    if (this.started && !this.finished && fast.read(data)) {
      if (fast.reasoning) this.textLike(REASONING, fast.reasoning, emit, fast.reasoningQuoted)
      if (fast.content) this.textLike(TEXT, fast.content, emit, fast.contentQuoted)
      return
    }
    const chunk = this.parseObject(data, emit)
    if (!chunk) return
    const err = chunk.error
    if (err) {
      if (!this.started) this.start(chunk, emit)
      const e: Json = isObject(err) ? err : { message: String(err) }
      const status = statusForError(e, 502)
      const message = typeof e.message === 'string' && e.message ? e.message : 'upstream stream error'
      return this.fail(emit, status, kindForStatus(status), message)
    }
    const choices = chunk.choices
    let choice: Json | undefined
    if (Array.isArray(choices)) {
      for (let i = 0; i < choices.length; i++) {
        const c = choices[i]
        if (isObject(c) && (c.index === 0 || c.index === undefined)) {
          choice = c
          break
        }
      }
    }
    const usage = chunk.usage
    const hasUsage = isObject(usage)
    // Azure's prompt_filter_results chunk, other choices of n > 1: nothing for us
    if (!choice && !hasUsage) return
    if (!this.started) this.start(chunk, emit)
    if (choice && !this.finished) this.choice(choice, emit)
    if (hasUsage) emit({ type: 'usage', usage: usageFromChat(usage) })
  }

  protected start(chunk: Json | undefined, emit: Emit): void {
    this.started = true
    const id = chunk && typeof chunk.id === 'string' ? chunk.id : ''
    const model = chunk && typeof chunk.model === 'string' ? chunk.model : ''
    emit({ type: 'start', id, model })
  }

  private choice(choice: Json, emit: Emit): void {
    const delta = choice.delta
    if (isObject(delta)) {
      // non-standard reasoning fields (DeepSeek/vLLM: reasoning_content, OpenRouter: reasoning)
      const r = delta.reasoning_content ?? delta.reasoning
      if (typeof r === 'string' && r.length) this.textLike(REASONING, r, emit)
      const c = delta.content
      if (typeof c === 'string' && c.length) this.textLike(TEXT, c, emit)
      const refusal = delta.refusal
      if (typeof refusal === 'string' && refusal.length) this.textLike(TEXT, refusal, emit)
      const calls = delta.tool_calls
      if (Array.isArray(calls)) for (let i = 0; i < calls.length; i++) if (isObject(calls[i])) this.tool(calls[i] as Json, emit)
      const legacy = delta.function_call
      if (isObject(legacy)) this.tool({ index: 0, id: typeof legacy.name === 'string' ? `call_${legacy.name}` : undefined, function: legacy }, emit)
    }
    const reason = choice.finish_reason
    if (reason !== null && reason !== undefined) {
      this.closeAll(emit)
      this.finished = true
      emit({ type: 'finish', finish: finishFromChat(reason, this.blockOf.length > 0) })
    }
  }

  private textLike(kind: number, text: string, emit: Emit, quoted?: string): void {
    if (this.textKind !== kind) {
      this.closeText(emit)
      this.textKind = kind
      this.textBlock = this.nextBlock++
      emit({ type: 'block_start', index: this.textBlock, block: kind === TEXT ? { kind: 'text' } : { kind: 'reasoning', origin: 'openai' } })
    }
    if (kind === TEXT) emit(withQuoted({ type: 'text_delta', index: this.textBlock, text }, quoted))
    else emit(withQuoted({ type: 'reasoning_delta', index: this.textBlock, text }, quoted))
  }

  private tool(t: Json, emit: Emit): void {
    const id = typeof t.id === 'string' && t.id ? t.id : undefined
    let k: number
    if (typeof t.index === 'number') k = t.index
    else k = id !== undefined && this.blockOf.length && this.idOf[this.lastTool] !== id ? this.blockOf.length : this.lastTool
    this.lastTool = k
    const fn = isObject(t.function) ? t.function : isObject(t.custom) ? t.custom : undefined
    let block = this.blockOf[k]
    // a new index, or a server that reuses index 0 for every complete call (a different id)
    if (block === undefined || (id !== undefined && this.idOf[k] !== undefined && id !== this.idOf[k])) {
      this.closeText(emit)
      block = this.nextBlock++
      this.blockOf[k] = block
      const callId = id ?? `call_${block}`
      this.idOf[k] = callId
      this.openTools.push(block)
      const name = fn && typeof fn.name === 'string' ? fn.name : ''
      emit({ type: 'block_start', index: block, block: t.type === 'custom' ? { kind: 'tool_call', id: callId, name, custom: true } : { kind: 'tool_call', id: callId, name } })
    }
    const args = fn ? (fn.arguments ?? fn.input) : undefined
    if (typeof args === 'string' && args.length) emit({ type: 'tool_args_delta', index: block, json: args })
  }

  private closeText(emit: Emit): void {
    if (this.textKind === NONE) return
    this.textKind = NONE
    emit({ type: 'block_stop', index: this.textBlock })
  }

  protected closeAll(emit: Emit): void {
    this.closeText(emit)
    const open = this.openTools
    for (let i = 0; i < open.length; i++) emit({ type: 'block_stop', index: open[i] })
    open.length = 0
  }

  private terminate(emit: Emit): void {
    this.begin(emit)
    if (!this.finished) {
      // [DONE] without a finish_reason (some compatible servers): a normal stop
      this.closeAll(emit)
      this.finished = true
      emit({ type: 'finish', finish: finishFromChat(null, this.blockOf.length > 0) })
    }
    this.done = true
    emit({ type: 'end' })
  }
}

export const decodeStream = (): StreamTranslator<SseFrame, CanonEvent> => new ChatStreamDecoder()
