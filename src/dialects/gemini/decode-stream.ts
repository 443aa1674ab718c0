// Upstream: Gemini `alt=sse` chunks (each a whole GenerateContentResponse with only the new parts;
// no event names, no [DONE]: the stream just ends) → canonical events. Candidate 0 only.
//
// Blocks: consecutive text parts continue one text block, thought parts one reasoning block;
// a switch of kind closes the open block. Empty text parts (`{"text":""}` on the last chunk) open
// nothing. A function call arrives whole: block_start, one tool_args_delta with the complete JSON,
// block_stop; with Vertex `streamFunctionCallArguments` it arrives as a named part with
// willContinue, `partialArgs` fragments and an empty closing `functionCall`, assembled here and
// sent as one delta when the call closes. Calls without an id get `call_<responseId>_<n>`.
// thoughtSignature: on a thought part → reasoning_signature of that block; on a text part → a
// text-less gemini reasoning block right after the text block (encode-contents.ts puts it back on
// the text); on a functionCall → the tool_call block's `signature` (a Responses client carries it
// to the next turn; other clients cannot, and Google's placeholder goes up instead).
// finishReason completes the stream (finish once); usageMetadata carries running totals: a usage
// event goes out whenever a count changed. end() without any finishReason is a dropped stream.
import type { CanonEvent } from '../../canonical/event'
import type { SseFrame } from '../../framing/sse'
import type { StreamTranslator } from '../dialect'
import { StreamDecoder } from '../stream-decoder'
import { canonUsage, readUsage, type RawUsage } from './convert-usage'
import { readError } from './encode-error'
import { finishFromGemini } from './map-finish-reason'
import { applyPartialArg } from './partial-args'
import { TextChunkReader } from './read-text-chunk'
import { callId } from './tool-id'
import { asString, isObject, type Json } from './wire'

type Emit = (e: CanonEvent) => void

const NONE = 0
const TEXT = 1
const THOUGHT = 2
const TOOL = 3

export class GeminiStreamDecoder extends StreamDecoder {
  private hasToolCalls = false
  private nextBlock = 0
  private openKind = NONE
  private openIndex = -1
  /** the open text block's signature, sent as its own block when the text closes */
  private textSignature: string | undefined
  /** a Vertex call whose arguments are still streaming */
  private partialArgs: Json | undefined
  private calls = 0
  private responseId = ''
  private readonly raw: RawUsage = {}
  private readonly fast = new TextChunkReader()
  /** the latest running usage a fast-path chunk carried, not parsed yet */
  private usageText: string | undefined

  push(frame: SseFrame, emit: Emit): void {
    if (this.done) return
    const data = frame.data
    if (data.length === 0) return
    // the plain text chunk, read in place; its running usage is kept as text until needed
    const fast = this.fast
    if (this.started && !this.finished && fast.read(data)) {
      if (fast.text.length) {
        this.ensure(TEXT, emit)
        emit({ type: 'text_delta', index: this.openIndex, text: fast.text, quoted: fast.quoted })
      }
      if (fast.usageText !== undefined) this.usageText = fast.usageText
      return
    }
    this.flushUsage(emit)
    const chunk = this.parseObject(data, emit)
    if (!chunk) return
    if (chunk.error !== undefined) {
      const e = readError(chunk.error, 502)
      return this.fail(emit, e.status, e.kind, e.message || 'upstream stream error')
    }
    if (!this.started) this.start(chunk, emit)
    const candidates = chunk.candidates
    const candidate = Array.isArray(candidates) ? candidates[0] : undefined
    const cand = isObject(candidate) && (candidate.index === undefined || candidate.index === 0) ? candidate : undefined
    if (cand && !this.finished) {
      const content = cand.content
      const parts = isObject(content) ? content.parts : undefined
      if (Array.isArray(parts)) for (let i = 0; i < parts.length; i++) if (isObject(parts[i])) this.part(parts[i] as Json, emit)
    }
    if (chunk.usageMetadata !== undefined && readUsage(chunk.usageMetadata, this.raw)) emit({ type: 'usage', usage: canonUsage(this.raw) })
    if (this.finished) return
    if (cand) {
      if (typeof cand.finishReason === 'string') this.finish(finishFromGemini(cand.finishReason, this.hasToolCalls), emit)
    } else if (isObject(chunk.promptFeedback) && chunk.promptFeedback.blockReason !== undefined) {
      // the prompt was blocked before any generation
      this.finish('content_filter', emit)
    }
  }

  override end(emit: Emit): void {
    // the last running usage a fast-path chunk carried, before the stream's last events
    if (!this.done) this.flushUsage(emit)
    super.end(emit)
  }

  protected closeAll(emit: Emit): void {
    this.close(emit)
  }

  protected start(chunk: Json | undefined, emit: Emit): void {
    this.started = true
    this.responseId = asString(chunk?.responseId) ?? ''
    const ev: CanonEvent = { type: 'start', id: this.responseId, model: asString(chunk?.modelVersion) ?? '' }
    if (chunk && readUsage(chunk.usageMetadata, this.raw)) ev.usage = canonUsage(this.raw)
    emit(ev)
  }

  private part(p: Json, emit: Emit): void {
    const fc = p.functionCall
    if (isObject(fc)) return this.functionCall(fc, emit, asString(p.thoughtSignature))
    const text = p.text
    const signature = p.thoughtSignature
    if (p.thought === true) {
      if (typeof text === 'string' && text.length) {
        this.ensure(THOUGHT, emit)
        emit({ type: 'reasoning_delta', index: this.openIndex, text })
      }
      if (typeof signature === 'string' && signature.length) {
        this.ensure(THOUGHT, emit)
        emit({ type: 'reasoning_signature', index: this.openIndex, signature })
      }
      return
    }
    if (typeof text === 'string' && text.length) {
      this.ensure(TEXT, emit)
      emit({ type: 'text_delta', index: this.openIndex, text })
    }
    if (typeof signature === 'string' && signature.length) {
      if (this.openKind === TEXT) this.textSignature = signature
      else {
        this.close(emit)
        this.signatureBlock(signature, emit)
      }
    }
    // executableCode, codeExecutionResult, inlineData…: no canonical block
  }

  private functionCall(fc: Json, emit: Emit, signature: string | undefined): void {
    const name = asString(fc.name)
    if (this.partialArgs) {
      if (name === undefined) {
        // a fragment of the streaming call, or the empty part that closes it
        const frags = fc.partialArgs
        if (Array.isArray(frags)) for (let i = 0; i < frags.length; i++) applyPartialArg(this.partialArgs, frags[i])
        if (fc.willContinue !== true) this.close(emit)
        return
      }
      // a new call while the previous one never got its closing part
      this.close(emit)
    }
    if (name === undefined) return
    this.close(emit)
    this.hasToolCalls = true
    const id = asString(fc.id) || callId(this.responseId, this.calls)
    this.calls++
    const index = this.nextBlock++
    emit({ type: 'block_start', index, block: signature ? { kind: 'tool_call', id, name, signature } : { kind: 'tool_call', id, name } })
    const args: Json = isObject(fc.args) ? fc.args : {}
    const frags = fc.partialArgs
    if (Array.isArray(frags)) for (let i = 0; i < frags.length; i++) applyPartialArg(args, frags[i])
    if (fc.willContinue === true) {
      this.openKind = TOOL
      this.openIndex = index
      this.partialArgs = args
      return
    }
    emit({ type: 'tool_args_delta', index, json: JSON.stringify(args) })
    emit({ type: 'block_stop', index })
  }

  /** the open block is `kind`, opening it (and closing another) if needed */
  private ensure(kind: number, emit: Emit): void {
    if (this.openKind === kind) return
    this.close(emit)
    const index = (this.openIndex = this.nextBlock++)
    this.openKind = kind
    emit({ type: 'block_start', index, block: kind === TEXT ? { kind: 'text' } : { kind: 'reasoning', origin: 'gemini' } })
  }

  private close(emit: Emit): void {
    const kind = this.openKind
    if (kind === NONE) return
    const index = this.openIndex
    this.openKind = NONE
    if (kind === TOOL && this.partialArgs) {
      emit({ type: 'tool_args_delta', index, json: JSON.stringify(this.partialArgs) })
      this.partialArgs = undefined
    }
    emit({ type: 'block_stop', index })
    if (kind === TEXT && this.textSignature !== undefined) {
      const signature = this.textSignature
      this.textSignature = undefined
      this.signatureBlock(signature, emit)
    }
  }

  /** a signature that came on a text part: a text-less reasoning block of its own */
  private signatureBlock(signature: string, emit: Emit): void {
    const index = this.nextBlock++
    emit({ type: 'block_start', index, block: { kind: 'reasoning', origin: 'gemini' } })
    emit({ type: 'reasoning_signature', index, signature })
    emit({ type: 'block_stop', index })
  }

  private finish(finish: Extract<CanonEvent, { type: 'finish' }>['finish'], emit: Emit): void {
    this.close(emit)
    this.finished = true
    emit({ type: 'finish', finish })
  }

  /** the counts of the last fast-path chunk, before anything that may end the stream */
  private flushUsage(emit: Emit): void {
    const text = this.usageText
    if (text === undefined) return
    this.usageText = undefined
    let members: unknown
    try {
      members = JSON.parse(text)
    } catch {
      return
    }
    if (isObject(members) && readUsage(members.usageMetadata, this.raw)) emit({ type: 'usage', usage: canonUsage(this.raw) })
  }
}

export const decodeStream = (): StreamTranslator<SseFrame, CanonEvent> => new GeminiStreamDecoder()
