// Front door: canonical events → Chat Completions SSE chunks, as the openai SDK's
// ChatCompletionStream and the Vercel AI SDK parse them:
//   role chunk {role:"assistant", content:""} (content null when the answer opens with a tool
//   call, as OpenAI sends it: the AI SDK would otherwise record an empty text part) → content / reasoning_content / tool_calls deltas →
//   finish chunk {delta:{}, finish_reason} → usage chunk {choices:[], usage} (only when the client
//   asked with stream_options.include_usage, as OpenAI does) → [DONE].
// Tool calls are streamed one at a time even when the canonical blocks interleave: the SDK helper
// treats a call as done (and JSON-parses strict arguments) as soon as the next `index` appears,
// so fragments of a later call are held until the current one stops. The tool `index` counts
// tool calls only, in the order they are streamed, never canonical blocks (pitfall B3).
// Chunks are built as strings around a prebuilt prefix: no per-event object graph to serialize.
import type { CanonEvent } from '../../canonical/event'
import { emptyUsage, mergeUsage, type CanonUsage } from '../../canonical/usage'
import type { SseFrame } from '../../framing/sse'
import { flat } from '../../framing/flat-string'
import { BlockLane } from '../block-lane'
import type { ResponseContext, StreamTranslator } from '../dialect'
import { usageToChat } from './convert-usage'
import { streamErrorFrames } from './encode-error'
import { finishToChat } from './map-finish-reason'
import { jsonStringBody } from './wire'
import { StreamEncoder } from '../stream-encoder'

type Emit = (f: SseFrame) => void

const TAIL = ',"finish_reason":null,"logprobs":null}]}'
/** a custom (free-form) tool reaches a Chat client as a function taking {"input": raw} */
const CUSTOM_OPEN = JSON.stringify('{"input":"')
const CUSTOM_CLOSE = JSON.stringify('"}')

interface ToolSlot {
  id: string
  name: string
  custom: boolean
  /** `{"tool_calls":[{"index":k,"function":{"arguments":`, set once the call streams */
  prefix: string
  /** argument fragments held while another call streams */
  held: string[] | undefined
  stopped: boolean
}

export class ChatStreamEncoder extends StreamEncoder {
  protected readonly errorFrames = streamErrorFrames
  /** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,` */
  private readonly base: string
  /** base + `"choices":[{"index":0,"delta":` */
  private readonly head: string
  private roleSent = false
  private finishSent = false
  /** tool calls seen, and the next Chat tool index */
  private toolCount = 0
  private nextTool = 0
  /** canonical block index → its tool call (undefined for text/reasoning blocks) */
  private readonly tools: (ToolSlot | undefined)[] = []
  /** one call streams at a time; calls opened meanwhile wait, their fragments held */
  private readonly lane = new BlockLane<ToolSlot>({
    activate: (slot, emit) => this.header(slot, emit),
    write: (slot, json, emit, quoted) => this.args(slot, json, emit, quoted),
    release: (slot, emit) => {
      if (slot.custom) emit({ data: `${this.head}${slot.prefix}${CUSTOM_CLOSE}}}]}${TAIL}` })
    },
  })
  private readonly usage: CanonUsage = emptyUsage()

  constructor(private readonly ctx: ResponseContext) {
    super()
    // spliced into every chunk: flat, or each chunk's encode walks the template's pieces again
    this.base = flat(`{"id":${JSON.stringify(ctx.newId('chatcmpl-'))},"object":"chat.completion.chunk","created":${ctx.now()},"model":${JSON.stringify(ctx.model)},`)
    this.head = flat(`${this.base}"choices":[{"index":0,"delta":`)
  }

  protected event(ev: CanonEvent, emit: Emit): void {
    switch (ev.type) {
      case 'start':
        // the role chunk goes out at once (time to first byte); it carries no `content`, so a
        // tool-only answer still ends with content null and no empty text part
        if (ev.usage) mergeUsage(this.usage, ev.usage)
        if (!this.roleSent) {
          this.roleSent = true
          emit({ data: `${this.head}{"role":"assistant"}${TAIL}` })
        }
        return
      case 'text_delta':
        if (!ev.text) return
        this.role(emit)
        emit({ data: `${this.head}{"content":${ev.quoted ?? JSON.stringify(ev.text)}}${TAIL}` })
        return
      case 'reasoning_delta':
        if (!ev.text) return
        this.role(emit)
        emit({ data: `${this.head}{"reasoning_content":${ev.quoted ?? JSON.stringify(ev.text)}}${TAIL}` })
        return
      case 'tool_args_delta': {
        const slot = this.tools[ev.index]
        if (slot && ev.json) this.lane.content(slot, ev.json, emit, ev.quoted)
        return
      }
      case 'block_start':
        this.role(emit, ev.block.kind === 'tool_call')
        if (ev.block.kind === 'tool_call') {
          const slot: ToolSlot = { id: ev.block.id, name: ev.block.name, custom: ev.block.custom === true, prefix: '', held: undefined, stopped: false }
          this.tools[ev.index] = slot
          this.toolCount++
          this.lane.add(slot, emit)
        }
        return
      case 'block_stop': {
        const slot = this.tools[ev.index]
        if (slot) this.lane.stop(slot, emit)
        return
      }
      case 'usage':
        mergeUsage(this.usage, ev.usage)
        return
      case 'finish':
        this.finish(finishToChat(ev.finish, this.toolCount > 0), emit)
        return
      default:
        // signatures, encrypted reasoning, redacted blocks: Chat has no field for them
        return
    }
  }

  private role(emit: Emit, toolFirst = false): void {
    if (this.roleSent) return
    this.roleSent = true
    emit({ data: `${this.head}{"role":"assistant","content":${toolFirst ? 'null' : '""'}}${TAIL}` })
  }

  /** the call takes the wire: its header chunk, with the Chat tool index */
  private header(slot: ToolSlot, emit: Emit): void {
    const k = this.nextTool++
    slot.prefix = flat(`{"tool_calls":[{"index":${k},"function":{"arguments":`)
    const header = `{"tool_calls":[{"index":${k},"id":${JSON.stringify(slot.id)},"type":"function","function":{"name":${JSON.stringify(slot.name)},"arguments":${slot.custom ? CUSTOM_OPEN : '""'}}}]}`
    emit({ data: `${this.head}${header}${TAIL}` })
  }

  private args(slot: ToolSlot, json: string, emit: Emit, quoted?: string): void {
    const args = slot.custom ? JSON.stringify(jsonStringBody(json)) : (quoted ?? JSON.stringify(json))
    emit({ data: `${this.head}${slot.prefix}${args}}}]}${TAIL}` })
  }

  private finish(reason: string, emit: Emit): void {
    if (this.finishSent) return
    this.finishSent = true
    this.role(emit)
    // calls whose block_stop never came are flushed as they are
    this.lane.drain(emit)
    emit({ data: `${this.head}{},"finish_reason":"${reason}","logprobs":null}]}` })
  }

  /** the end of the canonical stream, or of the input: finish (if none came), usage, [DONE] */
  protected close(emit: Emit): void {
    if (this.closed) return
    this.closed = true
    this.finish(this.toolCount > 0 ? 'tool_calls' : 'stop', emit)
    if (this.ctx.request?.streamUsage !== false) emit({ data: `${this.base}"choices":[],"usage":${JSON.stringify(usageToChat(this.usage))}}` })
    emit({ data: '[DONE]' })
  }
}

export const encodeStream = (ctx: ResponseContext): StreamTranslator<CanonEvent, SseFrame> => new ChatStreamEncoder(ctx)
