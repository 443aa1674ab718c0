// Upstream: Anthropic Messages SSE → canonical events.
//
// Dispatch is on the JSON `type` (streams relayed by other gateways may lack `event:` lines,
// pitfall A1). Upstream block indexes are remapped: server-tool blocks (server_tool_use,
// web_search_tool_result…) and empty text/thinking blocks are skipped, so canonical indexes stay
// contiguous; text and thinking blocks open on their first non-empty content. message_delta
// with a stop_reason completes the message (finish is emitted there, once); message_stop is the
// terminal event. Usage counters are cumulative: kept raw and re-summed, never added up.
import { withQuoted, type CanonEvent } from '../../canonical/event'
import type { SseFrame } from '../../framing/sse'
import type { StreamTranslator } from '../dialect'
import { StreamDecoder } from '../stream-decoder'
import { canonUsage, readUsage, type RawUsage } from './convert-usage'
import { streamError } from './encode-error'
import { finishFromAnthropic } from './map-finish-reason'
import { DeltaFrameReader, type DeltaType } from './read-delta-frame'
import { asString, hasKeys, isObject, type Json } from './wire'

type Emit = (e: CanonEvent) => void

const SKIP = 0
const TEXT = 1
const THINKING = 2
const TOOL = 3
const REDACTED = 4

interface Slot {
  kind: number
  /** canonical index, -1 until opened */
  canon: number
  open: boolean
  /** a tool_use start that already carried its input (no deltas expected) */
  startInput?: string
  gotArgs: boolean
}

const SKIPPED: Slot = { kind: SKIP, canon: -1, open: false, gotArgs: false }

export class AnthropicStreamDecoder extends StreamDecoder {
  private hasToolCalls = false
  private nextBlock = 0
  /** upstream block index → slot */
  private slots: Slot[] = []
  private readonly raw: RawUsage = {}
  private readonly fast = new DeltaFrameReader()

  push(frame: SseFrame, emit: Emit): void {
    if (this.done || frame.event === 'ping') return
    const data = frame.data
    if (data.length === 0 || data === '[DONE]') return
    // the plain delta frame, read in place (no JSON.parse)
    if (this.fast.read(data)) return this.deltaOf(this.fast.index, this.fast.type, this.fast.value, emit, this.fast.quoted)
    const ev = this.parseObject(data, emit)
    if (!ev) return
    switch (ev.type) {
      case 'content_block_delta':
        return this.delta(ev, emit)
      case 'content_block_start':
        this.begin(emit)
        return this.blockStart(ev, emit)
      case 'content_block_stop': {
        const slot = typeof ev.index === 'number' ? this.slots[ev.index] : undefined
        if (slot) this.stop(slot, emit)
        return
      }
      case 'message_start':
        // a second message_start (an upstream retrying inside one stream) is ignored (pitfall B5)
        if (!this.started) this.start(isObject(ev.message) ? ev.message : undefined, emit)
        return
      case 'message_delta':
        this.begin(emit)
        return this.messageDelta(ev, emit)
      case 'message_stop':
        return this.terminate(emit)
      case 'error': {
        const e = streamError(ev)
        return this.fail(emit, e.status, e.kind, e.message)
      }
      default:
        // ping, and event types newer than this code
        return
    }
  }

  protected start(message: Json | undefined, emit: Emit): void {
    this.started = true
    const ev: CanonEvent = { type: 'start', id: asString(message?.id) ?? '', model: asString(message?.model) ?? '' }
    if (message && isObject(message.usage)) {
      readUsage(message.usage, this.raw)
      ev.usage = canonUsage(this.raw)
    }
    emit(ev)
  }

  private blockStart(ev: Json, emit: Emit): void {
    const index = ev.index
    const cb = ev.content_block
    if (typeof index !== 'number' || !isObject(cb)) return
    const slot: Slot = { kind: SKIP, canon: -1, open: false, gotArgs: false }
    switch (cb.type) {
      case 'text':
        slot.kind = TEXT
        this.slots[index] = slot
        if (typeof cb.text === 'string' && cb.text.length) this.text(slot, cb.text, emit)
        return
      case 'thinking':
        slot.kind = THINKING
        this.slots[index] = slot
        if (typeof cb.thinking === 'string' && cb.thinking.length) this.thinking(slot, cb.thinking, emit)
        if (typeof cb.signature === 'string' && cb.signature.length) this.signature(slot, cb.signature, emit)
        return
      case 'redacted_thinking':
        slot.kind = REDACTED
        this.slots[index] = slot
        this.open(slot, emit, { type: 'block_start', index: this.nextBlock, block: { kind: 'redacted_reasoning', data: asString(cb.data) ?? '' } })
        return
      case 'tool_use': {
        slot.kind = TOOL
        this.slots[index] = slot
        this.hasToolCalls = true
        const input = cb.input
        if (isObject(input) && hasKeys(input)) slot.startInput = JSON.stringify(input)
        const block = { kind: 'tool_call' as const, id: asString(cb.id) ?? '', name: asString(cb.name) ?? '' }
        this.open(slot, emit, { type: 'block_start', index: this.nextBlock, block })
        return
      }
      default:
        // server tools and their results ran at Anthropic: no canonical block, deltas dropped
        this.slots[index] = SKIPPED
        return
    }
  }

  private delta(ev: Json, emit: Emit): void {
    const d = ev.delta
    if (typeof ev.index !== 'number' || !isObject(d)) return
    const type = d.type
    // citations_delta and newer delta types carry none of these
    const value = type === 'text_delta' ? d.text : type === 'input_json_delta' ? d.partial_json : type === 'thinking_delta' ? d.thinking : type === 'signature_delta' ? d.signature : undefined
    if (typeof value === 'string') this.deltaOf(ev.index, type as DeltaType, value, emit)
  }

  /** `quoted`: the value's JSON literal, when the fast path read it */
  private deltaOf(index: number, type: DeltaType, value: string, emit: Emit, quoted?: string): void {
    const slot = this.slots[index]
    if (!slot || value.length === 0) return
    switch (type) {
      case 'text_delta':
        if (slot.kind === TEXT) this.text(slot, value, emit, quoted)
        return
      case 'input_json_delta':
        if (slot.kind === TOOL && slot.open) {
          slot.gotArgs = true
          emit(withQuoted({ type: 'tool_args_delta', index: slot.canon, json: value }, quoted))
        }
        return
      case 'thinking_delta':
        if (slot.kind === THINKING) this.thinking(slot, value, emit, quoted)
        return
      case 'signature_delta':
        if (slot.kind === THINKING) this.signature(slot, value, emit)
        return
    }
  }

  private text(slot: Slot, text: string, emit: Emit, quoted?: string): void {
    if (slot.canon < 0) this.open(slot, emit, { type: 'block_start', index: this.nextBlock, block: { kind: 'text' } })
    if (slot.open) emit(withQuoted({ type: 'text_delta', index: slot.canon, text }, quoted))
  }

  private thinking(slot: Slot, text: string, emit: Emit, quoted?: string): void {
    if (slot.canon < 0) this.open(slot, emit, { type: 'block_start', index: this.nextBlock, block: { kind: 'reasoning', origin: 'anthropic' } })
    if (slot.open) emit(withQuoted({ type: 'reasoning_delta', index: slot.canon, text }, quoted))
  }

  private signature(slot: Slot, signature: string, emit: Emit): void {
    // display "omitted": a thinking block may carry only its signature, which must be replayed
    if (slot.canon < 0) this.open(slot, emit, { type: 'block_start', index: this.nextBlock, block: { kind: 'reasoning', origin: 'anthropic' } })
    if (slot.open) emit({ type: 'reasoning_signature', index: slot.canon, signature })
  }

  private open(slot: Slot, emit: Emit, ev: Extract<CanonEvent, { type: 'block_start' }>): void {
    // a block reopened after its stop (a broken upstream) gets nothing more
    if (slot.canon >= 0 || this.finished) return
    slot.canon = this.nextBlock++
    slot.open = true
    emit(ev)
  }

  private stop(slot: Slot, emit: Emit): void {
    if (!slot.open) return
    if (slot.startInput !== undefined && !slot.gotArgs) emit({ type: 'tool_args_delta', index: slot.canon, json: slot.startInput })
    slot.open = false
    emit({ type: 'block_stop', index: slot.canon })
  }

  protected closeAll(emit: Emit): void {
    const slots = this.slots
    for (let i = 0; i < slots.length; i++) if (slots[i]?.open) this.stop(slots[i], emit)
  }

  private messageDelta(ev: Json, emit: Emit): void {
    if (isObject(ev.usage)) {
      readUsage(ev.usage, this.raw)
      emit({ type: 'usage', usage: canonUsage(this.raw) })
    }
    const d = ev.delta
    const reason = isObject(d) ? d.stop_reason : undefined
    if (this.finished || typeof reason !== 'string') return
    this.closeAll(emit)
    this.finished = true
    const finish: CanonEvent = { type: 'finish', finish: finishFromAnthropic(reason, this.hasToolCalls) }
    const seq = isObject(d) ? asString(d.stop_sequence) : undefined
    if (seq !== undefined) finish.stopSequence = seq
    emit(finish)
  }

  private terminate(emit: Emit): void {
    this.begin(emit)
    this.closeAll(emit)
    if (!this.finished) {
      this.finished = true
      emit({ type: 'finish', finish: finishFromAnthropic(null, this.hasToolCalls) })
    }
    this.done = true
    emit({ type: 'end' })
  }
}

export const decodeStream = (): StreamTranslator<SseFrame, CanonEvent> => new AnthropicStreamDecoder()
