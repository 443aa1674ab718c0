// Canonical events → one CanonResponse: answers a non-streaming client from a streaming upstream.
// Incremental, so the events themselves are never kept: each block keeps only its growing part.
import { GatewayError, type ErrorKind } from '../errors'
import type { CanonEvent } from './event'
import type { CanonPart } from './request'
import type { CanonFinish, CanonResponse } from './response'
import { emptyUsage, mergeUsage, type CanonUsage } from './usage'

type TextPart = Extract<CanonPart, { type: 'text' }>
type ReasoningPart = Extract<CanonPart, { type: 'reasoning' }>
type ToolCallPart = Extract<CanonPart, { type: 'tool_call' }>
type BlockPart = TextPart | ReasoningPart | ToolCallPart

export class EventFolder {
  private id = ''
  private model = ''
  private readonly created: number
  /** one part per block, at its block index */
  private readonly blocks: BlockPart[] = []
  private readonly usage: CanonUsage = emptyUsage()
  private finish?: CanonFinish
  private stopSequence?: string
  private error?: { status: number; kind: ErrorKind; message: string }

  /** `created`: unix seconds for the response (0 when the caller has no clock to give) */
  constructor(created = 0) {
    this.created = created
  }

  push(ev: CanonEvent): void {
    switch (ev.type) {
      case 'text_delta': {
        const b = this.blocks[ev.index]
        if (b?.type === 'text') b.text += ev.text
        return
      }
      case 'reasoning_delta': {
        const b = this.blocks[ev.index]
        if (b?.type === 'reasoning') b.text += ev.text
        return
      }
      case 'tool_args_delta': {
        const b = this.blocks[ev.index]
        if (b?.type === 'tool_call') b.argumentsJson += ev.json
        return
      }
      case 'block_start':
        this.blocks[ev.index] = openPart(ev.block)
        return
      case 'reasoning_signature': {
        const b = this.blocks[ev.index]
        // the event carries the whole signature, not a fragment
        if (b?.type === 'reasoning') b.signature = ev.signature
        return
      }
      case 'reasoning_encrypted': {
        const b = this.blocks[ev.index]
        if (b?.type !== 'reasoning') return
        b.encrypted = ev.encrypted
        if (ev.itemId !== undefined) b.itemId = ev.itemId
        return
      }
      case 'usage':
        mergeUsage(this.usage, ev.usage)
        return
      case 'start':
        this.id = ev.id
        this.model = ev.model
        if (ev.usage) mergeUsage(this.usage, ev.usage)
        return
      case 'finish':
        this.finish = ev.finish
        if (ev.stopSequence !== undefined) this.stopSequence = ev.stopSequence
        return
      case 'error':
        this.error = { status: ev.status, kind: ev.kind, message: ev.message }
        return
      case 'block_stop':
      case 'end':
        return
    }
  }

  /** The folded response (its parts are the folder's own: call once, at the end); throws the
   *  stream's error as a GatewayError if one arrived. */
  result(): CanonResponse {
    if (this.error) throw new GatewayError(this.error.status, this.error.message, { kind: this.error.kind })
    const parts: CanonPart[] = []
    let hasToolCall = false
    for (const b of this.blocks) {
      // sparse slots (an index never opened) and empty text are not content
      if (!b || (b.type === 'text' && b.text.length === 0)) continue
      if (b.type === 'tool_call') hasToolCall = true
      parts.push(b)
    }
    const res: CanonResponse = {
      id: this.id,
      model: this.model,
      created: this.created,
      parts,
      // a stream cut before its finish: derive the reason from the content, as upstreams do
      finish: this.finish ?? (hasToolCall ? 'tool_calls' : 'stop'),
      usage: { ...this.usage },
    }
    if (this.stopSequence !== undefined) res.stopSequence = this.stopSequence
    return res
  }
}

function openPart(block: Extract<CanonEvent, { type: 'block_start' }>['block']): BlockPart {
  switch (block.kind) {
    case 'text':
      return { type: 'text', text: '' }
    case 'reasoning':
      return { type: 'reasoning', text: '', origin: block.origin }
    case 'redacted_reasoning':
      // the event names no origin: redacted thinking is Claude's (Bedrock's redactedContent is the same data)
      return { type: 'reasoning', text: '', redacted: block.data, origin: 'anthropic' }
    case 'tool_call': {
      const part: ToolCallPart = { type: 'tool_call', id: block.id, name: block.name, argumentsJson: '' }
      if (block.custom) part.custom = true
      if (block.signature) part.signature = block.signature
      return part
    }
  }
}

/** Fold a whole event list (or any iterable) into a response. */
export function foldEvents(events: Iterable<CanonEvent>, created = 0): CanonResponse {
  const folder = new EventFolder(created)
  for (const ev of events) folder.push(ev)
  return folder.result()
}
