// The content-block lifecycle the stream encoders share: one block on the wire at a time.
// Canonical blocks may interleave (OpenAI Chat parallel tool calls); most client wires cannot.
// A block opened while another streams waits in the queue, its content held; when the current
// block stops, the next one takes the wire, its held content is flushed, and if it already
// stopped, it hands over at once. finish/end drain every block, stopped upstream or not.
// The dialect says what opening, writing and stopping look like on its wire (the hooks).
import type { SseFrame } from '../framing/sse'

type Emit = (f: SseFrame) => void

export interface LaneBlock {
  /** content that arrived while another block had the wire */
  held: string[] | undefined
  stopped: boolean
}

export interface LaneHooks<B extends LaneBlock> {
  /** `b` takes the wire (blocks that open eagerly go out here) */
  activate(b: B, emit: Emit): void
  /** content of the block on the wire; `quoted`: its JSON literal, when the upstream frame had it
   *  (absent: the dialect keeps content itself and never calls content()) */
  write?(b: B, text: string, emit: Emit, quoted?: string): void
  /** `b` leaves the wire */
  release(b: B, emit: Emit): void
}

export class BlockLane<B extends LaneBlock> {
  /** the block on the wire */
  current: B | undefined
  private readonly queue: B[] = []

  constructor(private readonly hooks: LaneHooks<B>) {}

  /** a new block: on the wire now, or queued behind the current one */
  add(b: B, emit: Emit): void {
    if (this.current) this.queue.push(b)
    else this.take(b, emit)
  }

  content(b: B, text: string, emit: Emit, quoted?: string): void {
    if (b !== this.current) {
      if (b.held) b.held.push(text)
      else b.held = [text]
      return
    }
    this.hooks.write?.(b, text, emit, quoted)
  }

  stop(b: B, emit: Emit): void {
    if (b.stopped) return
    b.stopped = true
    if (b === this.current) this.next(emit)
  }

  /** finish or end: every block goes out and stops */
  drain(emit: Emit): void {
    while (this.current) {
      this.current.stopped = true
      this.next(emit)
    }
  }

  private take(b: B, emit: Emit): void {
    this.current = b
    this.hooks.activate(b, emit)
    if (b.held) {
      const text = b.held.length === 1 ? b.held[0] : b.held.join('')
      b.held = undefined
      this.hooks.write?.(b, text, emit)
    }
  }

  /** the current block is complete: release it, hand the wire to the next waiting block (a dialect
   *  that completes a stopped block later, on the next event, calls this itself) */
  handOver(emit: Emit): void {
    this.next(emit)
  }

  private next(emit: Emit): void {
    const cur = this.current
    if (cur) this.hooks.release(cur, emit)
    this.current = undefined
    while (this.queue.length) {
      const b = this.queue.shift()!
      this.take(b, emit)
      if (!b.stopped) return
      this.hooks.release(b, emit)
      this.current = undefined
    }
  }
}
