// Upstream: Bedrock event-stream frames (already unframed and CRC-checked by
// framing/aws-eventstream.ts: `event` = `:event-type`, `data` = payload) → canonical events.
//
// ConverseStream: text and reasoning blocks open on their first non-empty delta (Bedrock sends no
// contentBlockStart for them), tool blocks on contentBlockStart; Bedrock's block indexes are
// remapped so canonical ones stay contiguous. messageStop completes the message (finish once);
// `metadata` (usage) comes after it. InvokeModelWithResponseStream: each `chunk` carries one
// Anthropic stream event as base64 JSON, handed to the Anthropic decoder unchanged. Exception
// frames (and framing errors) end the stream with the mapped error. Reasoning is marked as
// Anthropic's: Bedrock's reasoning signatures are Claude's, and Anthropic clients must get them back.
import { withQuoted, type CanonEvent } from '../../canonical/event'
import type { EventFrame } from '../../framing/aws-eventstream'
import type { SseFrame } from '../../framing/sse'
import { AnthropicStreamDecoder } from '../anthropic/decode-stream'
import { ANTHROPIC_ORIGIN } from '../anthropic/origin'
import { asString, isObject, type Json } from '../anthropic/wire'
import type { StreamTranslator } from '../dialect'
import { StreamDecoder } from '../stream-decoder'
import { usageFromConverse } from './convert-usage'
import { streamException } from './errors'
import { finishFromConverse } from './map-finish-reason'
import { DeltaEventReader, REASONING_DELTA, TEXT_DELTA, TOOL_DELTA } from './read-delta-event'

type Emit = (e: CanonEvent) => void

const TEXT = 1
const REASONING = 2
const TOOL = 3
const REDACTED = 4

interface Slot {
  kind: number
  canon: number
  open: boolean
}

const CHUNK_HEAD = '{"bytes":"'
/** block indexes beyond this are a broken or hostile stream: their events are dropped (slots is an array) */
const MAX_INDEX = 4096

type Base64Decoder = (b64: string) => Uint8Array
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: Base64Decoder }).fromBase64
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Uint8Array, start: number, end: number) => string }).utf8Slice

/** base64 → UTF-8 text; Uint8Array.fromBase64 and Buffer's native slice where the runtime has them (twice as fast as Buffer.from) */
const fromBase64: (b64: string) => string =
  nativeFromBase64 && utf8Slice
    ? (b64) => {
        const bytes = nativeFromBase64(b64)
        return utf8Slice.call(bytes, 0, bytes.length)
      }
    : (b64) => Buffer.from(b64, 'base64').toString('utf8')

export class BedrockStreamDecoder extends StreamDecoder {
  private hasToolCalls = false
  private nextBlock = 0
  private slots: Slot[] = []
  private readonly fast = new DeltaEventReader()
  /** InvokeModel streams: the Anthropic decoder the chunks go to */
  private invoke: AnthropicStreamDecoder | undefined

  push(frame: SseFrame, emit: Emit): void {
    if (this.done) return
    const exception = (frame as EventFrame).exception
    if (exception !== undefined) {
      const e = streamException(exception, frame.data)
      if (this.invoke) {
        this.done = true
        return this.invoke.push({ data: JSON.stringify({ type: 'error', error: { type: 'api_error', message: e.message } }) }, (ev) => emit(ev.type === 'error' ? { ...ev, status: e.status, kind: e.kind } : ev))
      }
      return this.fail(emit, e.status, e.kind, e.message)
    }
    const data = frame.data
    switch (frame.event) {
      case 'contentBlockDelta': {
        const fast = this.fast
        if (this.started && fast.read(data)) return this.delta(fast.index, fast.kind, fast.value, emit, fast.quoted)
        const ev = this.parse(data, emit)
        if (ev) this.slowDelta(ev, emit)
        return
      }
      case 'chunk':
        return this.chunk(data, emit)
      case 'messageStart':
        if (!this.started) this.start(undefined, emit)
        return
      case 'contentBlockStart': {
        const ev = this.parse(data, emit)
        if (ev) this.blockStart(ev, emit)
        return
      }
      case 'contentBlockStop': {
        const ev = this.parse(data, emit)
        const slot = ev && typeof ev.contentBlockIndex === 'number' ? this.slots[ev.contentBlockIndex] : undefined
        if (slot?.open) this.stop(slot, emit)
        return
      }
      case 'messageStop': {
        const ev = this.parse(data, emit)
        if (ev) this.messageStop(ev, emit)
        return
      }
      case 'metadata': {
        const ev = this.parse(data, emit)
        if (!ev) return
        this.begin(emit)
        if (isObject(ev.usage)) emit({ type: 'usage', usage: usageFromConverse(ev.usage) })
        return
      }
      default:
        // newer event types
        return
    }
  }

  override end(emit: Emit): void {
    if (this.invoke) {
      if (this.done) return
      this.done = true
      return this.invoke.end(emit)
    }
    super.end(emit)
  }

  protected start(_from: undefined, emit: Emit): void {
    this.started = true
    emit({ type: 'start', id: '', model: '' })
  }

  private parse(data: string, emit: Emit): Json | undefined {
    let ev: unknown
    try {
      ev = JSON.parse(data)
    } catch {
      this.badJson(emit, data)
      return undefined
    }
    return isObject(ev) ? ev : undefined
  }

  /** one InvokeModel chunk: `{"bytes":"<base64 of an Anthropic event>"}` (maybe with padding `p`) */
  private chunk(data: string, emit: Emit): void {
    let b64: string | undefined
    if (data.startsWith(CHUNK_HEAD)) {
      const q = data.indexOf('"', CHUNK_HEAD.length)
      if (q !== -1) b64 = data.slice(CHUNK_HEAD.length, q)
    } else {
      const ev = this.parse(data, emit)
      if (!ev) return
      b64 = asString(ev.bytes)
    }
    if (b64 === undefined) return
    let json: string
    try {
      json = fromBase64(b64)
    } catch {
      return this.fail(emit, 502, 'api_error', `Bedrock sent a stream chunk that is not base64: ${b64.slice(0, 100)}`)
    }
    this.invoke ??= new AnthropicStreamDecoder()
    this.started = true
    this.invoke.push({ data: json }, emit)
  }

  private slowDelta(ev: Json, emit: Emit): void {
    const index = ev.contentBlockIndex
    const d = ev.delta
    if (typeof index !== 'number' || !(index >= 0 && index <= MAX_INDEX) || !isObject(d)) return
    if (typeof d.text === 'string') return this.delta(index, TEXT_DELTA, d.text, emit)
    if (isObject(d.toolUse) && typeof d.toolUse.input === 'string') return this.delta(index, TOOL_DELTA, d.toolUse.input, emit)
    const r = d.reasoningContent
    if (!isObject(r)) return
    if (typeof r.text === 'string') return this.delta(index, REASONING_DELTA, r.text, emit)
    if (typeof r.signature === 'string' && r.signature.length) {
      const slot = this.slot(index, REASONING, emit)
      if (slot?.open) emit({ type: 'reasoning_signature', index: slot.canon, signature: r.signature })
      return
    }
    if (typeof r.redactedContent === 'string') {
      this.begin(emit)
      if (this.slots[index] || this.finished) return
      const slot: Slot = { kind: REDACTED, canon: this.nextBlock++, open: true }
      this.slots[index] = slot
      emit({ type: 'block_start', index: slot.canon, block: { kind: 'redacted_reasoning', data: r.redactedContent } })
    }
  }

  private delta(index: number, kind: number, value: string, emit: Emit, quoted?: string): void {
    if (value.length === 0 || index > MAX_INDEX) return
    if (kind === TOOL_DELTA) {
      const slot = this.slots[index]
      if (slot?.kind === TOOL && slot.open) emit(withQuoted({ type: 'tool_args_delta', index: slot.canon, json: value }, quoted))
      return
    }
    const slot = this.slot(index, kind === TEXT_DELTA ? TEXT : REASONING, emit)
    if (!slot?.open) return
    if (slot.kind === TEXT) emit(withQuoted({ type: 'text_delta', index: slot.canon, text: value }, quoted))
    else emit(withQuoted({ type: 'reasoning_delta', index: slot.canon, text: value }, quoted))
  }

  /** the block at a Bedrock index, opened as `kind` on first use; undefined if it is of another kind */
  private slot(index: number, kind: number, emit: Emit): Slot | undefined {
    const have = this.slots[index]
    if (have) return have.kind === kind ? have : undefined
    if (this.finished) return undefined
    this.begin(emit)
    const slot: Slot = { kind, canon: this.nextBlock++, open: true }
    this.slots[index] = slot
    emit({ type: 'block_start', index: slot.canon, block: kind === TEXT ? { kind: 'text' } : { kind: 'reasoning', origin: ANTHROPIC_ORIGIN } })
    return slot
  }

  private blockStart(ev: Json, emit: Emit): void {
    const index = ev.contentBlockIndex
    const start = ev.start
    if (typeof index !== 'number' || !(index >= 0 && index <= MAX_INDEX) || !isObject(start) || !isObject(start.toolUse) || this.slots[index] || this.finished) return
    this.begin(emit)
    this.hasToolCalls = true
    const slot: Slot = { kind: TOOL, canon: this.nextBlock++, open: true }
    this.slots[index] = slot
    const t = start.toolUse
    emit({ type: 'block_start', index: slot.canon, block: { kind: 'tool_call', id: asString(t.toolUseId) ?? '', name: asString(t.name) ?? '' } })
  }

  private stop(slot: Slot, emit: Emit): void {
    slot.open = false
    emit({ type: 'block_stop', index: slot.canon })
  }

  protected closeAll(emit: Emit): void {
    const slots = this.slots
    for (let i = 0; i < slots.length; i++) if (slots[i]?.open) this.stop(slots[i], emit)
  }

  private messageStop(ev: Json, emit: Emit): void {
    this.begin(emit)
    this.closeAll(emit)
    if (this.finished) return
    this.finished = true
    const finish: CanonEvent = { type: 'finish', finish: finishFromConverse(ev.stopReason, this.hasToolCalls) }
    // the path the request asked for is resolved against Claude's stream event: /delta/stop_sequence
    const extra = ev.additionalModelResponseFields
    const seq = isObject(extra) ? (asString(extra.stop_sequence) ?? (isObject(extra.delta) ? asString(extra.delta.stop_sequence) : undefined)) : undefined
    if (seq !== undefined) finish.stopSequence = seq
    emit(finish)
  }
}

export const decodeStream = (): StreamTranslator<SseFrame, CanonEvent> => new BedrockStreamDecoder()
