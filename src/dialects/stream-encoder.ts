// What every client stream encoder shares, the counterpart of StreamDecoder: after an `error`
// event (rendered by the dialect's own error frames) nothing more goes out; `end`, or the end of
// the input, closes the stream once. A dialect supplies the other events and its close.
import type { CanonEvent } from '../canonical/event'
import type { SseFrame } from '../framing/sse'
import type { StreamTranslator } from './dialect'

type Emit = (f: SseFrame) => void

export abstract class StreamEncoder implements StreamTranslator<CanonEvent, SseFrame> {
  /** an error or the close went out: nothing more is written */
  protected closed = false

  /** the dialect's in-stream error frames */
  protected abstract readonly errorFrames: (err: { status: number; kind: string; message: string }) => SseFrame[]

  push(ev: CanonEvent, emit: Emit): void {
    if (this.closed) return
    if (ev.type === 'error') {
      this.closed = true
      for (const f of this.errorFrames(ev)) emit(f)
    } else if (ev.type === 'end') this.close(emit)
    else this.event(ev, emit)
  }

  end(emit: Emit): void {
    this.close(emit)
  }

  /** every event but error and end */
  protected abstract event(ev: CanonEvent, emit: Emit): void

  /** finish the stream the dialect's way (once: set `closed`) */
  protected abstract close(emit: Emit): void
}
