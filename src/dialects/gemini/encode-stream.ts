// Front door: canonical events → Gemini `alt=sse` chunks, as @google/genai's reader parses them:
// bare `data: <one-line JSON>` events (no `event:` lines, no [DONE]), each a whole
// GenerateContentResponse whose candidate 0 has role "model" and a non-empty `parts`.
// Text and thought deltas go out as they come (Gemini has no block indexes, so interleaved
// blocks need no serializing); a function call is sent whole when its block stops (Gemini clients
// expect complete `args` objects). A gemini signature goes on a `{"text":""}` part when its block
// stops, as the real API does for text answers. The last chunk, at the end of the canonical
// stream, carries `{"text":""}`, finishReason and the final usage. An error becomes
// `data: {"error":{code,message,status}}` and nothing follows it.
import type { CanonEvent } from '../../canonical/event'
import type { CanonFinish } from '../../canonical/response'
import { emptyUsage, mergeUsage, type CanonUsage } from '../../canonical/usage'
import type { SseFrame } from '../../framing/sse'
import type { ResponseContext, StreamTranslator } from '../dialect'
import { usageToGemini } from './convert-usage'
import { parseArgs } from './encode-contents'
import { streamErrorFrames } from './encode-error'
import { responseId } from './encode-response'
import { finishToGemini } from './map-finish-reason'
import { StreamEncoder } from '../stream-encoder'

type Emit = (f: SseFrame) => void

const HEAD = '{"candidates":[{"content":{"role":"model","parts":['

interface Block {
  tool: boolean
  thought: boolean
  /** gemini reasoning: its signature is forwarded */
  own: boolean
  signature: string | undefined
  id: string
  name: string
  custom: boolean
  args: string
  /** a thought block that streamed text (its signature part keeps `thought: true`) */
  hadText: boolean
  stopped: boolean
}

export class GeminiStreamEncoder extends StreamEncoder {
  protected readonly errorFrames = streamErrorFrames
  /** `"modelVersion":…,"responseId":…}` once the id is known, and `]},"index":0}],` + it */
  private meta = ''
  private tail = ''
  private readonly blocks: (Block | undefined)[] = []
  private readonly usage: CanonUsage = emptyUsage()
  private finish: CanonFinish | undefined

  constructor(private readonly ctx: ResponseContext) {
    super()
  }

  protected event(ev: CanonEvent, emit: Emit): void {
    switch (ev.type) {
      case 'text_delta':
        // the upstream frame's own JSON literal when its decoder kept it (no re-escaping)
        if (ev.text && this.blocks[ev.index]) this.parts(`{"text":${ev.quoted ?? JSON.stringify(ev.text)}}`, emit)
        return
      case 'reasoning_delta': {
        const b = this.blocks[ev.index]
        if (!ev.text || !b?.thought) return
        b.hadText = true
        this.parts(`{"text":${ev.quoted ?? JSON.stringify(ev.text)},"thought":true}`, emit)
        return
      }
      case 'tool_args_delta': {
        const b = this.blocks[ev.index]
        if (b?.tool) b.args += ev.json
        return
      }
      case 'reasoning_signature': {
        const b = this.blocks[ev.index]
        if (b?.own) b.signature = ev.signature
        return
      }
      case 'block_start': {
        this.begin('')
        const k = ev.block
        const b: Block = { tool: false, thought: false, own: false, signature: undefined, id: '', name: '', custom: false, args: '', hadText: false, stopped: false }
        if (k.kind === 'tool_call') {
          b.tool = true
          b.id = k.id
          b.name = k.name
          b.custom = k.custom === true
          // Gemini's own signature on the call (only Gemini decoders set it): back on the call
          b.signature = k.signature
        } else if (k.kind === 'reasoning') {
          b.thought = true
          b.own = k.origin === 'gemini'
        }
        this.blocks[ev.index] = b
        return
      }
      case 'block_stop': {
        const b = this.blocks[ev.index]
        if (b) this.stop(b, emit)
        return
      }
      case 'start':
        if (ev.usage) mergeUsage(this.usage, ev.usage)
        this.begin(ev.id)
        return
      case 'usage':
        mergeUsage(this.usage, ev.usage)
        return
      case 'finish':
        this.finish = ev.finish
        return
      default:
        // redacted and encrypted reasoning: Gemini clients have no field for them
        return
    }
  }

  private begin(id: string): void {
    if (this.meta) return
    this.meta = `"modelVersion":${JSON.stringify(this.ctx.model)},"responseId":${JSON.stringify(responseId(id, this.ctx))}}`
    this.tail = `]},"index":0}],${this.meta}`
  }

  private parts(parts: string, emit: Emit): void {
    if (!this.meta) this.begin('')
    emit({ data: HEAD + parts + this.tail })
  }

  private stop(b: Block, emit: Emit): void {
    if (b.stopped) return
    b.stopped = true
    if (b.tool) {
      const args = b.custom ? JSON.stringify({ input: b.args }) : JSON.stringify(parseArgs(b.args))
      const id = b.id ? `"id":${JSON.stringify(b.id)},` : ''
      const sig = b.signature ? `,"thoughtSignature":${JSON.stringify(b.signature)}` : ''
      this.parts(`{"functionCall":{${id}"name":${JSON.stringify(b.name)},"args":${args}}${sig}}`, emit)
    } else if (b.signature) {
      this.parts(`{"text":"",${b.hadText ? '"thought":true,' : ''}"thoughtSignature":${JSON.stringify(b.signature)}}`, emit)
    }
  }

  protected close(emit: Emit): void {
    if (this.closed) return
    this.closed = true
    this.begin('')
    // calls whose block_stop never came still go out whole
    for (const b of this.blocks) if (b && !b.stopped) this.stop(b, emit)
    const usage = JSON.stringify(usageToGemini(this.usage))
    emit({ data: `${HEAD}{"text":""}]},"finishReason":"${finishToGemini(this.finish)}","index":0}],"usageMetadata":${usage},${this.meta}` })
  }
}

export const encodeStream = (ctx: ResponseContext): StreamTranslator<CanonEvent, SseFrame> => new GeminiStreamEncoder(ctx)
