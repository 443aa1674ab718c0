// Upstream: Responses SSE → canonical events.
//
// Items are routed by `output_index`. A message opens its text block at the first non-empty text
// (refusal text included); a reasoning item at its first summary text, or at output_item.done if it
// carries only encrypted state (which a Responses client needs for replay); one with neither is
// never opened. Function and custom tool calls open at output_item.added. Summary parts after the first are joined with a blank line. A server that
// sends an item's content only in `.done` events (or only in `response.completed`) is covered:
// whatever no delta delivered is emitted from the complete item. Built-in tool items
// (web_search_call…), keep-alives and unknown events are skipped. The stream is complete at
// response.completed / response.incomplete; response.failed and `error` become a canonical error.
import { withQuoted, type CanonEvent } from '../../canonical/event'
import { kindForStatus } from '../../errors'
import type { SseFrame } from '../../framing/sse'
import type { StreamTranslator } from '../dialect'
import { StreamDecoder } from '../stream-decoder'
import { usageFromResponses } from './convert-usage'
import { statusForErrorCode } from './encode-error'
import { finishFromResponses } from './map-finish-reason'
import { ARGS_DELTA, DeltaEventReader, REASONING_DELTA, TEXT_DELTA } from './read-delta-event'
import { asString, isObject, type Json } from './wire'

type Emit = (e: CanonEvent) => void

const TEXT = 0
const REASONING = 1
const TOOL = 2

interface Item {
  kind: number
  /** canonical block, -1 until opened */
  block: number
  open: boolean
  /** some delta delivered content (the .done text is then not repeated) */
  streamed: boolean
  /** a later summary part started: the next summary delta is preceded by a blank line */
  separate: boolean
}

const joinTexts = (list: unknown, type: string): string => {
  if (!Array.isArray(list)) return ''
  let out = ''
  for (const s of list) if (isObject(s) && s.type === type && typeof s.text === 'string' && s.text) out += (out ? '\n\n' : '') + s.text
  return out
}

export class ResponsesStreamDecoder extends StreamDecoder {
  private nextBlock = 0
  private hasToolCalls = false
  /** output_index → item */
  private readonly items: (Item | undefined)[] = []
  private readonly fast = new DeltaEventReader()

  push(frame: SseFrame, emit: Emit): void {
    if (this.done) return
    const data = frame.data
    if (data.length === 0 || data === '[DONE]') return
    // the plain delta event, read in place (no JSON.parse)
    const fast = this.fast
    if (fast.read(data)) {
      if (fast.kind === TEXT_DELTA) return this.text(fast.outputIndex, fast.delta, emit, fast.quoted)
      if (fast.kind === REASONING_DELTA) return this.reasoning(fast.outputIndex, fast.delta, emit, fast.quoted)
      if (fast.kind === ARGS_DELTA) return this.args(fast.outputIndex, fast.delta, emit, fast.quoted)
    }
    const ev = this.parseObject(data, emit)
    if (!ev) return
    const i = typeof ev.output_index === 'number' ? ev.output_index : -1
    switch (ev.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.text(i, ev.delta, emit)
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.reasoning(i, ev.delta, emit)
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
        return this.args(i, ev.delta, emit)
      case 'response.reasoning_summary_part.added': {
        const item = this.items[i]
        if (item && item.streamed && typeof ev.summary_index === 'number' && ev.summary_index > 0) item.separate = true
        return
      }
      case 'response.output_item.added':
        if (isObject(ev.item)) this.added(i, ev.item, emit)
        return
      case 'response.output_item.done':
        if (isObject(ev.item)) this.itemDone(i, ev.item, emit)
        return
      case 'response.output_text.done':
      case 'response.refusal.done': {
        const item = this.items[i]
        if (item && !item.streamed) this.text(i, ev.text ?? ev.refusal, emit)
        return
      }
      case 'response.function_call_arguments.done':
      case 'response.custom_tool_call_input.done': {
        const item = this.items[i]
        if (item && !item.streamed) this.args(i, ev.arguments ?? ev.input, emit)
        return
      }
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        this.start(ev.response, emit)
        return
      case 'response.completed':
      case 'response.incomplete':
        return this.complete(isObject(ev.response) ? ev.response : {}, ev.type === 'response.incomplete' ? 'incomplete' : 'completed', emit)
      case 'response.failed': {
        const r = isObject(ev.response) ? ev.response : {}
        const e: Json = isObject(r.error) ? r.error : {}
        return this.upstreamError(e, emit)
      }
      case 'error':
        return this.upstreamError(isObject(ev.error) ? ev.error : ev, emit)
      default:
        return
    }
  }

  protected start(response: unknown, emit: Emit): void {
    if (this.started) return
    this.started = true
    const r = isObject(response) ? response : undefined
    emit({ type: 'start', id: asString(r?.id) ?? '', model: asString(r?.model) ?? '' })
  }

  private added(i: number, item: Json, emit: Emit): Item | undefined {
    if (i < 0 || this.items[i]) return this.items[i]
    this.start(undefined, emit)
    const type = item.type
    let state: Item
    if (type === 'message') {
      state = { kind: TEXT, block: -1, open: false, streamed: false, separate: false }
    } else if (type === 'reasoning') {
      state = { kind: REASONING, block: -1, open: false, streamed: false, separate: false }
    } else if (type === 'function_call' || type === 'custom_tool_call') {
      state = { kind: TOOL, block: this.nextBlock++, open: true, streamed: false, separate: false }
      this.hasToolCalls = true
      const id = asString(item.call_id) || asString(item.id) || `call_${state.block}`
      const name = asString(item.name) ?? ''
      emit({ type: 'block_start', index: state.block, block: type === 'custom_tool_call' ? { kind: 'tool_call', id, name, custom: true } : { kind: 'tool_call', id, name } })
    } else return undefined
    this.items[i] = state
    return state
  }

  /** `quoted` (text, reasoning, args): the delta's JSON literal, when the fast path read it */
  private text(i: number, delta: unknown, emit: Emit, quoted?: string): void {
    const item = this.items[i]
    if (item?.kind !== TEXT || typeof delta !== 'string' || !delta || !this.opened(item, emit)) return
    item.streamed = true
    emit(withQuoted({ type: 'text_delta', index: item.block, text: delta }, quoted))
  }

  private reasoning(i: number, delta: unknown, emit: Emit, quoted?: string): void {
    const item = this.items[i]
    if (item?.kind !== REASONING || typeof delta !== 'string' || !delta || !this.opened(item, emit)) return
    item.streamed = true
    if (item.separate) {
      item.separate = false
      delta = `\n\n${delta}`
      quoted = undefined
    }
    emit(withQuoted({ type: 'reasoning_delta', index: item.block, text: delta as string }, quoted))
  }

  private args(i: number, delta: unknown, emit: Emit, quoted?: string): void {
    const item = this.items[i]
    if (item?.kind !== TOOL || !item.open || typeof delta !== 'string' || !delta) return
    item.streamed = true
    emit(withQuoted({ type: 'tool_args_delta', index: item.block, json: delta }, quoted))
  }

  /** the complete item: what no delta delivered, the encrypted reasoning state, block_stop */
  private itemDone(i: number, item: Json, emit: Emit): void {
    const state = this.added(i, item, emit)
    // an item without a canonical form, or one already closed
    if (!state || (!state.open && state.block >= 0)) return
    if (!state.streamed) {
      if (state.kind === TEXT) {
        if (Array.isArray(item.content))
          for (const c of item.content) if (isObject(c)) this.text(i, c.type === 'refusal' ? c.refusal : c.text, emit)
      } else if (state.kind === REASONING) {
        this.reasoning(i, joinTexts(item.summary, 'summary_text') || joinTexts(item.content, 'reasoning_text'), emit)
      } else this.args(i, item.type === 'custom_tool_call' ? item.input : item.arguments, emit)
    }
    if (state.kind === REASONING && typeof item.encrypted_content === 'string' && item.encrypted_content && this.opened(state, emit)) {
      const ev: CanonEvent = { type: 'reasoning_encrypted', index: state.block, encrypted: item.encrypted_content }
      if (typeof item.id === 'string') ev.itemId = item.id
      emit(ev)
    }
    this.close(state, emit)
  }

  /** a text or reasoning block opens at its first content; false once it was closed */
  private opened(item: Item, emit: Emit): boolean {
    if (item.block >= 0) return item.open
    item.block = this.nextBlock++
    item.open = true
    emit({ type: 'block_start', index: item.block, block: item.kind === TEXT ? { kind: 'text' } : { kind: 'reasoning', origin: 'openai' } })
    return true
  }

  private close(state: Item, emit: Emit): void {
    if (!state.open) return
    state.open = false
    emit({ type: 'block_stop', index: state.block })
  }

  protected closeAll(emit: Emit): void {
    for (const item of this.items) if (item) this.close(item, emit)
  }

  private complete(r: Json, status: string, emit: Emit): void {
    this.start(r, emit)
    // a server that streamed no items at all: the final output is the answer
    if (this.items.length === 0 && Array.isArray(r.output)) {
      const out = r.output
      for (let i = 0; i < out.length; i++) if (isObject(out[i])) this.itemDone(i, out[i] as Json, emit)
    }
    this.closeAll(emit)
    this.done = true
    if (isObject(r.usage)) emit({ type: 'usage', usage: usageFromResponses(r.usage) })
    const details = r.incomplete_details
    emit({ type: 'finish', finish: finishFromResponses(r.status ?? status, isObject(details) ? details.reason : undefined, this.hasToolCalls) })
    emit({ type: 'end' })
  }

  private upstreamError(e: Json, emit: Emit): void {
    const code = asString(e.code)
    const status = statusForErrorCode(code, asString(e.type))
    this.fail(emit, status, kindForStatus(status), asString(e.message) || code || 'upstream stream error')
  }
}

export const decodeStream = (): StreamTranslator<SseFrame, CanonEvent> => new ResponsesStreamDecoder()
